/**
 * The PostgreSQL store's local votes (ports/votes.ts, decision 028). Each change is one call of a
 * function in the database (migration 21, decision 041), outside the store's write lock (a vote
 * never waits for an ingest batch): it first locks the paper's tally row, so that the votes on
 * one paper count one after the other on every node, and the network count read next is exact.
 * Tally rows, then day rows, are always locked in that order: no deadlock between votes on
 * different papers of one day.
 */
import type { Ballot, PaperTally, VoteOutcome, Votes, VoteWeights } from '../../../ports/votes.js';
import { anonymousVoterId, checkBallot, rowToTally, unknownPaper, weightsOf } from '../vote-rows.js';
import { isCalendarDay, PostgresPart } from './connection.js';

type Row = Record<string, unknown>;

export class PostgresVotes extends PostgresPart implements Votes {
  async castVote(b: Ballot, weights: VoteWeights): Promise<VoteOutcome> {
    checkBallot(b);
    const [out] = await this.change(() =>
      this.db.query<{ known: boolean; changed: boolean; tally: number }>(
        'SELECT known, changed, tally FROM paperboy_cast_vote($1, $2, $3, $4, $5, $6, $7::integer[])',
        [b.paperId, b.accountId, b.network, b.accountCreatedAt, b.at, b.networkSince, weightsOf(weights)],
        'cast_vote',
      ),
    );
    if (!out!.known) throw unknownPaper(b.paperId);
    return { voted: true, changed: out!.changed, votes: out!.tally };
  }

  async withdrawVote(paperId: string, accountId: string): Promise<VoteOutcome> {
    const [out] = await this.change(() =>
      this.db.query<{ changed: boolean; tally: number }>('SELECT changed, tally FROM paperboy_withdraw_vote($1, $2)', [paperId, accountId], 'withdraw_vote'),
    );
    return { voted: false, changed: out!.changed, votes: out!.tally };
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
   * A vote, one call of the function migration 21 made (one transaction, run in the server: the
   * tally row is locked for no longer than the statements take). Not counted as a commit of this
   * store: a vote moves the votes version of its paper's day (votesVersion), not dataVersion, so
   * that it re-renders only the pages that show that day (decision 028).
   */
  private change<T>(call: () => Promise<T>): Promise<T> {
    return this.afterVoteDaysMove(call);
  }
}
