/**
 * The SQLite store's local votes (ports/votes.ts, decision 028). Each change is one IMMEDIATE
 * transaction in the connection's queue: the file's write lock makes the votes of every process
 * count one after the other, so the tally and the network count read inside are exact.
 */
import type { Ballot, PaperTally, VoteOutcome, Votes, VoteWeights } from '../../../ports/votes.js';
import { anonymousVoterId, checkBallot, dayKey, rowToTally, unknownPaper, weightAt, weightsOf } from '../vote-rows.js';
import type { Row } from './connection.js';
import { SqliteInboxPart } from './inbox-part.js';

export class SqliteVotes extends SqliteInboxPart implements Votes {
  async castVote(b: Ballot, weights: VoteWeights): Promise<VoteOutcome> {
    checkBallot(b);
    return this.change(() => {
      const paper = this.st('SELECT day FROM papers WHERE id = ?').get(b.paperId) as { day: string | null } | undefined;
      if (!paper) throw unknownPaper(b.paperId);
      if (this.st('SELECT 1 FROM votes WHERE paper_id = ? AND account_id = ?').get(b.paperId, b.accountId)) return this.outcome(b.paperId, true, false);
      const earlier = Number(
        this.st('SELECT COUNT(*) FROM votes WHERE paper_id = ? AND network = ? AND voted_at >= ?').pluck().get(b.paperId, b.network, b.networkSince),
      );
      const weight = weightAt(weightsOf(weights), earlier);
      this.st('INSERT INTO votes (paper_id, account_id, network, account_created_at, voted_at, weight) VALUES (?, ?, ?, ?, ?, ?)').run(
        b.paperId,
        b.accountId,
        b.network,
        b.accountCreatedAt,
        b.at,
        weight,
      );
      this.st(
        `INSERT INTO paper_votes (paper_id, votes, weight) VALUES (?, 1, ?)
         ON CONFLICT (paper_id) DO UPDATE SET votes = votes + 1, weight = weight + excluded.weight`,
      ).run(b.paperId, weight);
      this.bumpDay(paper.day);
      return this.outcome(b.paperId, true, true);
    });
  }

  async withdrawVote(paperId: string, accountId: string): Promise<VoteOutcome> {
    return this.change(() => {
      const gone = this.st('DELETE FROM votes WHERE paper_id = ? AND account_id = ? RETURNING weight').get(paperId, accountId) as { weight: number } | undefined;
      if (!gone) return this.outcome(paperId, false, false);
      this.st('UPDATE paper_votes SET votes = votes - 1, weight = weight - ? WHERE paper_id = ?').run(gone.weight, paperId);
      this.bumpDay((this.st('SELECT day FROM papers WHERE id = ?').get(paperId) as { day: string | null }).day);
      return this.outcome(paperId, false, true);
    });
  }

  async anonymiseVoter(accountId: string): Promise<number> {
    return this.write(() => this.st('UPDATE votes SET account_id = ? WHERE account_id = ?').run(anonymousVoterId(), accountId).changes);
  }

  async votedOn(accountId: string, paperIds: readonly string[]): Promise<Set<string>> {
    const rows = this.st('SELECT paper_id FROM votes WHERE account_id = ? AND paper_id IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(accountId, JSON.stringify(paperIds)) as string[];
    return new Set(rows);
  }

  async talliesBetween(from: string, to: string): Promise<PaperTally[]> {
    const rows = this.st(
      `SELECT v.paper_id, v.votes, v.weight FROM papers p JOIN paper_votes v ON v.paper_id = p.id
       WHERE p.day BETWEEN ? AND ? AND p.deleted = 0 AND v.votes > 0`,
    ).all(from, to) as Row[];
    return rows.map(rowToTally);
  }

  async talliesOf(paperIds: readonly string[]): Promise<Map<string, PaperTally>> {
    const rows = this.st('SELECT paper_id, votes, weight FROM paper_votes WHERE paper_id IN (SELECT value FROM json_each(?)) AND votes > 0').all(
      JSON.stringify(paperIds),
    ) as Row[];
    return new Map(rows.map((r) => [String(r.paper_id), rowToTally(r)]));
  }

  async votesVersion(from: string, to: string): Promise<string> {
    const v = this.st('SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS s FROM vote_days WHERE day BETWEEN ? AND ?').get(from, to) as { n: number; s: number };
    return `${v.n}.${v.s}`;
  }

  /** votes waiting for the next transaction (group commit, change) */
  private waiting: Array<{ fn: () => VoteOutcome; resolve: (o: VoteOutcome) => void; reject: (e: unknown) => void }> = [];

  /**
   * fn in a write transaction, shared with the votes that arrive meanwhile (group commit): a vote
   * is a few row changes, and its own commit (the pages written to the WAL) costs more than they
   * do, so at 50 votes in flight one commit for all of them is most of the throughput. Each runs
   * in its own savepoint: one refused (an unknown paper) leaves the others. The transaction starts
   * on the next turn of the event loop, after the requests already read, so that their votes join.
   * Not counted as a commit of this handle: a vote moves the votes version of its paper's day
   * (votesVersion), not dataVersion, so that it re-renders only the pages that show that day
   * (decision 028).
   */
  private change(fn: () => VoteOutcome): Promise<VoteOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ fn, resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => void this.commitWaiting());
    });
  }

  private async commitWaiting(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const outcomes = await this.write(() =>
        batch.map((v): { ok: VoteOutcome } | { error: unknown } => {
          try {
            return { ok: this.db.transaction(v.fn)() };
          } catch (error) {
            return { error };
          }
        }),
      );
      outcomes.forEach((o, i) => ('ok' in o ? batch[i]!.resolve(o.ok) : batch[i]!.reject(o.error)));
    } catch (e) {
      for (const v of batch) v.reject(e);
    }
  }

  private outcome(paperId: string, voted: boolean, changed: boolean): VoteOutcome {
    const votes = this.st('SELECT votes FROM paper_votes WHERE paper_id = ?').pluck().get(paperId) as number | undefined;
    return { voted, changed, votes: votes ?? 0 };
  }

  private bumpDay(day: string | null): void {
    this.st('INSERT INTO vote_days (day, version) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET version = version + 1').run(dayKey(day));
  }
}
