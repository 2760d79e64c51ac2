/**
 * What makes a record usable. Every parser runs its records through validateRecord, so the
 * limits are the same whichever source a paper comes from.
 */
import type { PaperRecord } from './paper.js';

/** Field sizes past which a record is junk, not a paper (the largest real arXiv values are far below). */
export const LIMITS = {
  title: 2_000,
  abstract: 20_000,
  authors: 5_000,
  authorName: 1_000,
  categories: 50,
  comments: 5_000,
  other: 2_000,
} as const;

/**
 * The most a whole-document input (an HF daily JSON, an Atom or OAI-PMH response, a URL read
 * whole) may hold once inflated: real ones are a few MB (an arXiv API page of 2,000 entries is
 * about 6 MB). A gzip bomb of 1.2 MB holding 1.2 GB of spaces stops here, named, instead of
 * filling the memory. The Kaggle snapshot is streamed and has no such bound (4.5 GB is normal).
 */
export const MAX_DOCUMENT_BYTES = 100 * 1024 * 1024;

/** Returns the reason a record can't be used, or null when it can. */
export function validateRecord(r: PaperRecord): string | null {
  if (!r.id) return 'missing arXiv id';
  if (!r.deleted && !r.title) return `paper ${r.id}: missing title`;
  if (r.title && r.title.length > LIMITS.title) return `paper ${r.id}: title of ${r.title.length} characters exceeds ${LIMITS.title}`;
  if (r.abstract && r.abstract.length > LIMITS.abstract)
    return `paper ${r.id}: abstract of ${r.abstract.length} characters exceeds ${LIMITS.abstract}`;
  if (r.authors) {
    if (r.authors.length > LIMITS.authors) return `paper ${r.id}: ${r.authors.length} authors exceed ${LIMITS.authors}`;
    const long = r.authors.find((a) => a.length > LIMITS.authorName);
    if (long) return `paper ${r.id}: author name of ${long.length} characters exceeds ${LIMITS.authorName}`;
  }
  if (r.categories && r.categories.length > LIMITS.categories)
    return `paper ${r.id}: ${r.categories.length} categories exceed ${LIMITS.categories}`;
  if (r.comments && r.comments.length > LIMITS.comments)
    return `paper ${r.id}: comments of ${r.comments.length} characters exceed ${LIMITS.comments}`;
  for (const f of ['journalRef', 'doi', 'license', 'reportNo', 'submitter', 'codeUrl', 'projectUrl'] as const) {
    const v = r[f];
    if (v && v.length > LIMITS.other) return `paper ${r.id}: ${f} of ${v.length} characters exceeds ${LIMITS.other}`;
  }
  if (r.version !== null && (!Number.isInteger(r.version) || r.version < 1 || r.version > 1000))
    return `paper ${r.id}: impossible version ${r.version}`;
  return null;
}
