/**
 * Papers submitted by readers (issue 13, docs/decisions/032): what SubmissionService records and
 * counts (the daily quota), what the listings read to lead with them (ListingService's
 * SubmittedPapers hook) and what an account's export holds. Adapters:
 * adapters/db/sqlite/submissions.ts and adapters/db/postgres/submissions.ts; exposed as
 * OpenedDatabase.submissions. Contract: test/contracts/submissions.contract.ts.
 *
 * One submission per account and paper; the paper's first submission (whoever made it) is the one
 * pages show ("submitted by …") and puts it on the day it was made. Recording a submission moves
 * the listing version of that day and of the paper's own day (the `vote_days` counters of
 * decision 028), so that exactly the cached pages that show them are rendered again. Deleting an
 * account keeps its submissions without a name (anonymiseSubmitter).
 */

export interface NewSubmission {
  paperId: string;
  accountId: string;
  /** ISO timestamp; its UTC day is the day the paper is listed as submitted on */
  at: string;
}

/** The daily quota: at most `max` submissions by the account at or after `since` (ISO). */
export interface SubmissionQuota {
  max: number;
  since: string;
}

export interface SubmissionOutcome {
  /** false: this account had already submitted this paper (nothing changed) */
  recorded: boolean;
  /** the paper's first submission here (it now leads the day of `at`) */
  first: boolean;
}

/** One of an account's submissions (its export). */
export interface Submission {
  paperId: string;
  submittedAt: string;
}

/** A paper as the listings show it submitted: the day of its first submission, and by whom. */
export interface SubmittedPaper {
  paperId: string;
  /** YYYY-MM-DD (UTC) of the first submission */
  day: string;
  /** the first submitter's display name; null once that account was deleted */
  submitter: string | null;
}

export interface Submissions {
  /**
   * Records the submission of a stored paper (NOT_FOUND when it is not stored). With a quota, null
   * (nothing recorded) when the account already made `quota.max` submissions since `quota.since`:
   * counted in the same transaction as the insert, so concurrent submissions of one account on
   * any node never pass it.
   */
  recordSubmission(s: NewSubmission, quota?: SubmissionQuota): Promise<SubmissionOutcome | null>;
  /** How many submissions the account recorded at or after `since` (the daily quota counts them). */
  submissionsSince(accountId: string, since: string): Promise<number>;
  /** The papers whose first submission fell on a day from `from` to `to` (inclusive), with their submitters. */
  submittedBetween(from: string, to: string): Promise<SubmittedPaper[]>;
  /** The first submissions of these papers (those never submitted are left out). */
  submittersOf(paperIds: readonly string[]): Promise<Map<string, SubmittedPaper>>;
  /** The account's submissions, oldest first. */
  submissionsOf(accountId: string): Promise<Submission[]>;
  /**
   * Moves the listing version of the days that show the account's name on a first submission (its
   * display name changed): those pages are rendered again with the new name, no others.
   */
  submitterRenamed(accountId: string): Promise<void>;
  /**
   * Keeps the account's submissions without it (for its deletion): the papers stay submitted, their
   * pages say so without a name. How many it had.
   */
  anonymiseSubmitter(accountId: string): Promise<number>;
}
