/**
 * Submitting a paper (issue 13, docs/decisions/032): a reader names an arXiv paper by id or URL
 * (any version, old-style ids too); a paper not stored yet is fetched through the arXiv API (the
 * polite client) and stored as a harvest would store it; then the submission is recorded. A
 * stored paper is never fetched again nor duplicated. Each account may submit
 * PAPERBOY_SUBMISSIONS_PER_DAY papers in 24 hours, checked before arXiv is asked and again in the
 * write that records the submission (where concurrent submissions can't both pass it).
 */
import { parseArxivId } from '../core/arxiv-id.js';
import type { Paper, PaperRecord } from '../core/paper.js';
import type { PaperReads } from '../ports/paper-reads.js';
import type { ParseResult } from '../ports/source.js';
import type { Submission, Submissions } from '../ports/submissions.js';
import type { IngestService } from './ingest.service.js';

export type SubmissionProblem = 'malformed' | 'unknown' | 'quota' | 'off' | 'unavailable';

/** A submission that can't be taken; `problem` says which kind, the message what to do. */
export class SubmissionError extends Error {
  readonly code = 'SUBMISSION_REFUSED';
  constructor(
    readonly problem: SubmissionProblem,
    message: string,
  ) {
    super(message);
    this.name = 'SubmissionError';
  }
}

export interface SubmissionServiceDeps {
  submissions: Submissions;
  papers: Pick<PaperReads, 'getPaper'>;
  ingest: Pick<IngestService, 'ingest'>;
  /** the arXiv API's record of a canonical id, null when arXiv has none (arxiv-api.source.ts fetchArxivRecord) */
  fetchRecord: (id: string) => Promise<PaperRecord | null>;
  /** submissions an account may make in 24 hours (0: submitting is off) */
  perDay: number;
  now: () => Date;
}

export interface Submitted {
  paper: Paper;
  /** false: this account had already submitted it (nothing changed) */
  recorded: boolean;
  /** its first submission here: it now leads today's page */
  first: boolean;
  /** it was not stored and was fetched from arXiv */
  fetched: boolean;
}

const DAY_MS = 86_400_000;
/** longest input looked at: a URL with a version and a query string fits easily */
const MAX_INPUT = 300;

export class SubmissionService {
  constructor(private readonly d: SubmissionServiceDeps) {}

  get perDay(): number {
    return this.d.perDay;
  }

  async submit(accountId: string, raw: unknown): Promise<Submitted> {
    if (this.d.perDay <= 0) throw new SubmissionError('off', 'submitting papers is switched off on this site');
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') throw new SubmissionError('malformed', 'give an arXiv id (2401.12345, hep-th/9901001) or an arXiv URL');
    const parsed = text.length <= MAX_INPUT ? parseArxivId(text) : null;
    if (!parsed)
      throw new SubmissionError('malformed', `“${text.slice(0, 80)}” is not an arXiv id or URL: write it as 2401.12345, 2401.12345v2, hep-th/9901001 or https://arxiv.org/abs/2401.12345`);
    const now = this.d.now();
    const quota = { max: this.d.perDay, since: new Date(now.getTime() - DAY_MS).toISOString() };
    // counted first so that arXiv is not asked for an account at its quota; the count that holds is
    // the one recordSubmission makes with the write (concurrent submissions both pass this one)
    if ((await this.d.submissions.submissionsSince(accountId, quota.since)) >= quota.max) throw this.overQuota();
    let paper = await this.d.papers.getPaper(parsed.id);
    const fetched = paper === null;
    if (!paper) paper = await this.fetchAndStore(parsed.id);
    const outcome = await this.d.submissions.recordSubmission({ paperId: paper.id, accountId, at: now.toISOString() }, quota);
    if (!outcome) throw this.overQuota();
    return { paper, ...outcome, fetched };
  }

  private overQuota(): SubmissionError {
    return new SubmissionError('quota', `you have submitted ${this.d.perDay} papers in the last 24 hours, the most one account may; try again tomorrow`);
  }

  submissionsOf(accountId: string): Promise<Submission[]> {
    return this.d.submissions.submissionsOf(accountId);
  }

  /** The account's display name changed: the pages naming it on a submission are rendered again. */
  submitterRenamed(accountId: string): Promise<void> {
    return this.d.submissions.submitterRenamed(accountId);
  }

  /** For the account's deletion: its submissions stay, without it. */
  anonymiseSubmitter(accountId: string): Promise<number> {
    return this.d.submissions.anonymiseSubmitter(accountId);
  }

  private async fetchAndStore(id: string): Promise<Paper> {
    let record: PaperRecord | null;
    try {
      record = await this.d.fetchRecord(id);
    } catch {
      // the client has retried already; what failed (a host, a status) is not the reader's to read
      throw new SubmissionError('unavailable', `arXiv could not be reached to fetch ${id}; try again in a few minutes`);
    }
    if (!record) throw new SubmissionError('unknown', `arXiv has no paper ${id}: check the id`);
    await this.d.ingest.ingest(once({ records: [record], errors: [] }));
    const stored = await this.d.papers.getPaper(id);
    if (!stored) throw new Error(`${id}: fetched from arXiv but not stored`);
    return stored;
  }
}

async function* once(batch: ParseResult): AsyncIterable<ParseResult> {
  yield batch;
}
