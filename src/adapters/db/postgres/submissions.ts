/**
 * The PostgreSQL store's submissions (ports/submissions.ts, decision 032). A submission is one
 * transaction on the pool: the submission row (unique per account and paper), the paper's first
 * submission (ON CONFLICT DO NOTHING: of concurrent first submitters on any node, one is first),
 * and the listing versions (vote_days, decision 028) of the day submitted and the paper's own day;
 * the daily quota is counted in it under the account's row lock (account-lock.ts).
 */
import type { PgQuery } from '../pg-client.js';
import type { NewSubmission, Submission, SubmissionOutcome, SubmissionQuota, Submissions, SubmittedPaper } from '../../../ports/submissions.js';
import { rowToSubmission, rowToSubmitted, unknownPaperTo, utcDay } from '../library-rows.js';
import { dayKey } from '../vote-rows.js';
import { lockAccount } from './account-lock.js';
import { bumpVoteDay, PostgresPart } from './connection.js';

type Row = Record<string, unknown>;
const SUBMITTED = `SELECT s.paper_id, s.day, a.display_name FROM submitted_papers s LEFT JOIN accounts a ON a.id = s.account_id`;

export class PostgresSubmissions extends PostgresPart implements Submissions {
  async recordSubmission(s: NewSubmission, quota?: SubmissionQuota): Promise<SubmissionOutcome | null> {
    const day = utcDay(s.at, `submission of ${s.paperId}`);
    return this.movingVoteDays(async (q) => {
      const [paper] = await q.query<{ day: string | null }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM papers WHERE id = $1`, [s.paperId]);
      if (!paper) throw unknownPaperTo('submit', s.paperId);
      if (quota) {
        await lockAccount(q, s.accountId); // another submission of this account waits here, then counts this one
        if ((await countSince(q, s.accountId, quota.since)) >= quota.max) return null;
      }
      const added = await q.query('INSERT INTO submissions (paper_id, account_id, submitted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id', [
        s.paperId,
        s.accountId,
        s.at,
      ]);
      if (added.length === 0) return { recorded: false, first: false };
      const first = await q.query('INSERT INTO submitted_papers (paper_id, day, account_id, submitted_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING paper_id', [
        s.paperId,
        day,
        s.accountId,
        s.at,
      ]);
      // days in a fixed order, so that two submissions never wait on each other's day rows in a cycle
      if (first.length === 1) for (const d of [...new Set([day, dayKey(paper.day)])].sort()) await bumpVoteDay(q, d);
      return { recorded: true, first: first.length === 1 };
    });
  }

  async submissionsSince(accountId: string, since: string): Promise<number> {
    return countSince(this.db, accountId, since);
  }

  async submittedBetween(from: string, to: string): Promise<SubmittedPaper[]> {
    const rows = await this.db.query<Row>(`${SUBMITTED} WHERE s.day BETWEEN $1 AND $2 ORDER BY s.submitted_at, s.paper_id`, [from, to], 'submitted_between');
    return rows.map(rowToSubmitted);
  }

  async submittersOf(paperIds: readonly string[]): Promise<Map<string, SubmittedPaper>> {
    if (paperIds.length === 0) return new Map();
    const rows = await this.db.query<Row>(`${SUBMITTED} WHERE s.paper_id = ANY($1::text[])`, [[...paperIds]]);
    return new Map(rows.map((r) => [String(r.paper_id), rowToSubmitted(r)]));
  }

  async submissionsOf(accountId: string): Promise<Submission[]> {
    const rows = await this.db.query<Row>('SELECT paper_id, submitted_at FROM submissions WHERE account_id = $1 ORDER BY submitted_at, id', [accountId]);
    return rows.map(rowToSubmission);
  }

  async submitterRenamed(accountId: string): Promise<void> {
    await this.movingVoteDays((q) => bumpDaysOf(q, accountId));
  }

  async anonymiseSubmitter(accountId: string): Promise<number> {
    return this.movingVoteDays(async (q) => {
      await bumpDaysOf(q, accountId); // the pages that showed the name are rendered again without it
      await q.query('UPDATE submitted_papers SET account_id = NULL WHERE account_id = $1', [accountId]);
      const gone = await q.query('UPDATE submissions SET account_id = NULL WHERE account_id = $1 RETURNING id', [accountId]);
      return gone.length;
    });
  }
}

/** Moves the versions of the days that show the account's first submissions (their own days and their papers'), in order. */
async function bumpDaysOf(q: PgQuery, accountId: string): Promise<void> {
  const days = await q.query<{ day: string; paper_day: string | null }>(
    `SELECT s.day, to_char(p.day, 'YYYY-MM-DD') AS paper_day FROM submitted_papers s JOIN papers p ON p.id = s.paper_id WHERE s.account_id = $1`,
    [accountId],
  );
  for (const d of [...new Set(days.flatMap((r) => [r.day, dayKey(r.paper_day)]))].sort()) await bumpVoteDay(q, d);
}

async function countSince(q: PgQuery, accountId: string, since: string): Promise<number> {
  const [r] = await q.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM submissions WHERE account_id = $1 AND submitted_at >= $2', [accountId, since]);
  return Number(r!.n);
}
