/** What both stores' submissions and library adapters share: row shapes and the errors they name. */
import { PaperboyError } from '../../core/errors.js';
import type { Collection, SavedPaper } from '../../ports/library.js';
import type { Submission, SubmittedPaper } from '../../ports/submissions.js';

type Row = Record<string, unknown>;

export function unknownPaperTo(what: string, paperId: string): PaperboyError {
  return new PaperboyError('NOT_FOUND', `no paper ${paperId} here to ${what}`);
}

/** The UTC day of an ISO timestamp, else an error naming the field. */
export function utcDay(at: string, what: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new PaperboyError('RECORD_INVALID', `${what}: "${at}" is not a timestamp`);
  return new Date(ms).toISOString().slice(0, 10);
}

export function rowToSubmitted(r: Row): SubmittedPaper {
  return { paperId: String(r.paper_id), day: String(r.day), submitter: r.display_name === null || r.display_name === undefined ? null : String(r.display_name) };
}

export function rowToSubmission(r: Row): Submission {
  return { paperId: String(r.paper_id), submittedAt: String(r.submitted_at) };
}

export function rowToSaved(r: Row): SavedPaper {
  return { paperId: String(r.paper_id), savedAt: String(r.saved_at), readAt: r.read_at === null || r.read_at === undefined ? null : String(r.read_at) };
}

export function rowToCollection(r: Row): Collection {
  return {
    id: String(r.id),
    accountId: String(r.account_id),
    name: String(r.name),
    public: r.public === true || r.public === 1,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    papers: Number(r.papers ?? 0),
  };
}
