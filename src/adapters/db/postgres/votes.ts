/**
 * The PostgreSQL store's local votes (ports/votes.ts, decision 028). Each change is one
 * transaction on the pool, outside the store's write lock (a vote never waits for an ingest
 * batch): it first locks the paper's tally row, so that the votes on one paper count one after
 * the other on every node, and the network count read next is exact. Tally rows, then day rows,
 * are always locked in that order: no deadlock between votes on different papers of one day.
 */
import type { PgQuery } from '../pg-client.js';
import type { Ballot, PaperTally, VoteOutcome, Votes, WeighVote } from '../../../ports/votes.js';
import { anonymousVoterId, checkBallot, dayKey, rowToTally, unknownPaper, weightOf } from '../vote-rows.js';
import { bumpVoteDay, isCalendarDay, PostgresPart } from './connection.js';

type Row = Record<string, unknown>;

export class PostgresVotes extends PostgresPart implements Votes {
  async castVote(b: Ballot, weigh: WeighVote): Promise<VoteOutcome> {
    checkBallot(b);
    return this.change(async (q) => {
      const paper = await q.query<{ day: string | null }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM papers WHERE id = $1`, [b.paperId]);
      if (!paper[0]) throw unknownPaper(b.paperId);
      // the tally row, created if need be, locked until commit
      const [tally] = await q.query<{ votes: number }>(
        `INSERT INTO paper_votes (paper_id, votes, weight) VALUES ($1, 0, 0)
         ON CONFLICT (paper_id) DO UPDATE SET votes = paper_votes.votes RETURNING votes`,
        [b.paperId],
      );
      const mine = await q.query('SELECT 1 FROM votes WHERE paper_id = $1 AND account_id = $2', [b.paperId, b.accountId]);
      if (mine.length > 0) return { voted: true, changed: false, votes: tally!.votes };
      const [earlier] = await q.query<{ n: number }>('SELECT COUNT(*) AS n FROM votes WHERE paper_id = $1 AND network = $2 AND voted_at >= $3', [
        b.paperId,
        b.network,
        b.networkSince,
      ]);
      const weight = weightOf(weigh, earlier!.n);
      await q.query(
        'INSERT INTO votes (paper_id, account_id, network, account_created_at, voted_at, weight) VALUES ($1, $2, $3, $4, $5, $6)',
        [b.paperId, b.accountId, b.network, b.accountCreatedAt, b.at, weight],
      );
      const [after] = await q.query<{ votes: number }>('UPDATE paper_votes SET votes = votes + 1, weight = weight + $2 WHERE paper_id = $1 RETURNING votes', [
        b.paperId,
        weight,
      ]);
      await bumpDay(q, paper[0].day);
      return { voted: true, changed: true, votes: after!.votes };
    });
  }

  async withdrawVote(paperId: string, accountId: string): Promise<VoteOutcome> {
    return this.change(async (q) => {
      const [tally] = await q.query<{ votes: number }>('SELECT votes FROM paper_votes WHERE paper_id = $1 FOR UPDATE', [paperId]);
      if (!tally) return { voted: false, changed: false, votes: 0 };
      const [gone] = await q.query<{ weight: number }>('DELETE FROM votes WHERE paper_id = $1 AND account_id = $2 RETURNING weight', [paperId, accountId]);
      if (!gone) return { voted: false, changed: false, votes: tally.votes };
      const [after] = await q.query<{ votes: number }>('UPDATE paper_votes SET votes = votes - 1, weight = weight - $2 WHERE paper_id = $1 RETURNING votes', [
        paperId,
        gone.weight,
      ]);
      const [paper] = await q.query<{ day: string | null }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM papers WHERE id = $1`, [paperId]);
      await bumpDay(q, paper?.day ?? null);
      return { voted: false, changed: true, votes: after!.votes };
    });
  }

  async anonymiseVoter(accountId: string): Promise<number> {
    const rows = await this.db.query('UPDATE votes SET account_id = $1 WHERE account_id = $2 RETURNING 1', [anonymousVoterId(), accountId]);
    return rows.length;
  }

  async votedOn(accountId: string, paperIds: readonly string[]): Promise<Set<string>> {
    if (paperIds.length === 0) return new Set();
    const rows = await this.db.query<{ paper_id: string }>('SELECT paper_id FROM votes WHERE account_id = $1 AND paper_id = ANY($2::text[])', [
      accountId,
      [...paperIds],
    ]);
    return new Set(rows.map((r) => r.paper_id));
  }

  async talliesBetween(from: string, to: string): Promise<PaperTally[]> {
    if (!isCalendarDay(from) || !isCalendarDay(to)) return [];
    const rows = await this.db.query<Row>(
      `SELECT v.paper_id, v.votes, v.weight FROM papers p JOIN paper_votes v ON v.paper_id = p.id
       WHERE p.day BETWEEN $1::date AND $2::date AND NOT p.deleted AND v.votes > 0`,
      [from, to],
      'votes_tallies_between',
    );
    return rows.map(rowToTally);
  }

  async talliesOf(paperIds: readonly string[]): Promise<Map<string, PaperTally>> {
    if (paperIds.length === 0) return new Map();
    const rows = await this.db.query<Row>('SELECT paper_id, votes, weight FROM paper_votes WHERE paper_id = ANY($1::text[]) AND votes > 0', [[...paperIds]]);
    return new Map(rows.map((r) => [String(r.paper_id), rowToTally(r)]));
  }

  votesVersion(from: string, to: string): Promise<string> {
    // asked by every listing request (its cache version): kept a moment (connection.ts voteDays)
    return this.voteDays.get(`${from}|${to}`, () => this.readVotesVersion(from, to));
  }

  private async readVotesVersion(from: string, to: string): Promise<string> {
    const [v] = await this.db.query<{ n: number; s: number }>(
      'SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS s FROM vote_days WHERE day BETWEEN $1 AND $2',
      [from, to],
      'votes_version',
    );
    return `${v!.n}.${v!.s}`;
  }

  /**
   * fn in one transaction. Not counted as a commit of this store: a vote moves the votes version of
   * its paper's day (votesVersion), not dataVersion, so that it re-renders only the pages that
   * show that day (decision 028).
   */
  private change(fn: (q: PgQuery) => Promise<VoteOutcome>): Promise<VoteOutcome> {
    return this.movingVoteDays(fn);
  }
}

function bumpDay(q: PgQuery, day: string | null): Promise<unknown> {
  return bumpVoteDay(q, dayKey(day));
}
