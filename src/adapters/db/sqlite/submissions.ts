/**
 * The SQLite store's submissions (ports/submissions.ts, decision 032). A submission is one
 * IMMEDIATE transaction: the submission row, the paper's first submission if it had none, and the
 * listing versions (vote_days, decision 028) of the day submitted and of the paper's own day; the
 * daily quota is counted in it too.
 */
import type { NewSubmission, Submission, SubmissionOutcome, SubmissionQuota, Submissions, SubmittedPaper } from '../../../ports/submissions.js';
import { rowToSubmission, rowToSubmitted, unknownPaperTo, utcDay } from '../library-rows.js';
import { dayKey } from '../vote-rows.js';
import type { Row } from './connection.js';
import { SqliteInboxPart } from './inbox-part.js';

export class SqliteSubmissions extends SqliteInboxPart implements Submissions {
  async recordSubmission(s: NewSubmission, quota?: SubmissionQuota): Promise<SubmissionOutcome | null> {
    const day = utcDay(s.at, `submission of ${s.paperId}`);
    return this.write(() => {
      const paper = this.st('SELECT day FROM papers WHERE id = ?').get(s.paperId) as { day: string | null } | undefined;
      if (!paper) throw unknownPaperTo('submit', s.paperId);
      // counted inside the IMMEDIATE transaction: no other write to the file comes between
      if (quota && this.countSince(s.accountId, quota.since) >= quota.max) return null;
      const added = this.st('INSERT INTO submissions (paper_id, account_id, submitted_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(s.paperId, s.accountId, s.at);
      if (added.changes === 0) return { recorded: false, first: false };
      const first = this.st('INSERT INTO submitted_papers (paper_id, day, account_id, submitted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(s.paperId, day, s.accountId, s.at);
      if (first.changes === 1) for (const d of new Set([day, dayKey(paper.day)])) this.bumpDay(d);
      return { recorded: true, first: first.changes === 1 };
    });
  }

  async submissionsSince(accountId: string, since: string): Promise<number> {
    return this.countSince(accountId, since);
  }

  private countSince(accountId: string, since: string): number {
    return Number(this.st('SELECT COUNT(*) FROM submissions WHERE account_id = ? AND submitted_at >= ?').pluck().get(accountId, since));
  }

  async submittedBetween(from: string, to: string): Promise<SubmittedPaper[]> {
    const rows = this.st(
      `SELECT s.paper_id, s.day, a.display_name FROM submitted_papers s LEFT JOIN accounts a ON a.id = s.account_id
       WHERE s.day BETWEEN ? AND ? ORDER BY s.submitted_at, s.paper_id`,
    ).all(from, to) as Row[];
    return rows.map(rowToSubmitted);
  }

  async submittersOf(paperIds: readonly string[]): Promise<Map<string, SubmittedPaper>> {
    const rows = this.st(
      `SELECT s.paper_id, s.day, a.display_name FROM submitted_papers s LEFT JOIN accounts a ON a.id = s.account_id
       WHERE s.paper_id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(paperIds)) as Row[];
    return new Map(rows.map((r) => [String(r.paper_id), rowToSubmitted(r)]));
  }

  async submissionsOf(accountId: string): Promise<Submission[]> {
    const rows = this.st('SELECT paper_id, submitted_at FROM submissions WHERE account_id = ? ORDER BY submitted_at, id').all(accountId) as Row[];
    return rows.map(rowToSubmission);
  }

  async submitterRenamed(accountId: string): Promise<void> {
    await this.write(() => this.bumpDaysOf(accountId));
  }

  async anonymiseSubmitter(accountId: string): Promise<number> {
    return this.write(() => {
      this.bumpDaysOf(accountId); // the pages that showed the name are rendered again without it
      this.st('UPDATE submitted_papers SET account_id = NULL WHERE account_id = ?').run(accountId);
      return this.st('UPDATE submissions SET account_id = NULL WHERE account_id = ?').run(accountId).changes;
    });
  }

  /** Moves the versions of the days that show the account's first submissions (their own days and their papers'). */
  private bumpDaysOf(accountId: string): void {
    const days = this.st(`SELECT s.day, p.day AS paper_day FROM submitted_papers s JOIN papers p ON p.id = s.paper_id WHERE s.account_id = ?`).all(accountId) as {
      day: string;
      paper_day: string | null;
    }[];
    for (const d of new Set(days.flatMap((r) => [r.day, dayKey(r.paper_day)]))) this.bumpDay(d);
  }

  private bumpDay(day: string): void {
    this.st('INSERT INTO vote_days (day, version) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET version = version + 1').run(day);
  }
}
