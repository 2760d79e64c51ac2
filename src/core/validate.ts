/**
 * What makes a record usable. Every parser runs its records through validateRecord, so the
 * limits are the same whichever source a paper comes from.
 */
import type { PaperRecord } from './paper.js';

/**
 * Field sizes past which a record is junk, not a paper: each is 10 to 100 times the largest real
 * value (74,728 cs papers of 2025-26: a 226-character title, a 3,488-character abstract, 3,303
 * authors in 48,128 characters, 33 categories, 431 characters of comments, a 29-character
 * version date). Every field has one, so a record's size, and the page it makes, is bounded:
 * 1,000 versions of 5 kB "sizes" made a 5 MB page. A record past one is rejected, not cut:
 * see docs/decisions/013-record-field-caps.md.
 */
export const LIMITS = {
  title: 2_000,
  abstract: 20_000,
  authors: 5_000,
  authorName: 1_000,
  /** all the names together */
  authorsTotal: 200_000,
  categories: 50,
  category: 40,
  comments: 5_000,
  other: 2_000,
  /** one per version number, which is at most maxVersion */
  versions: 1_000,
  maxVersion: 1_000,
  /** a version's date (ISO, or as a source wrote it) and size ("294kb") */
  versionDate: 64,
  versionSize: 32,
  /** Hugging Face's AI keywords and summary */
  keywords: 100,
  keyword: 200,
  aiSummary: 5_000,
  /** upvotes, comments and GitHub stars: more than anyone has */
  count: 100_000_000,
} as const;

/**
 * The most a whole-document input (an HF daily JSON, an Atom or OAI-PMH response, a URL read
 * whole) may hold once inflated: real ones are a few MB (an arXiv API page of 2,000 entries is
 * about 6 MB). A gzip bomb of 1.2 MB holding 1.2 GB of spaces stops here, named, instead of
 * filling the memory. The Kaggle snapshot is streamed and has no such bound (4.5 GB is normal).
 */
export const MAX_DOCUMENT_BYTES = 100 * 1024 * 1024;

/** Returns the reason a record can't be used, naming the record and the field, or null when it can. */
export function validateRecord(r: PaperRecord): string | null {
  if (!r.id) return 'missing arXiv id';
  if (!r.deleted && !r.title) return `paper ${r.id}: missing title`;
  const why = bibliographic(r) ?? versions(r) ?? hfSignals(r);
  return why === null ? null : `paper ${r.id}: ${why}`;
}

/** "title of 2001 characters exceeds 2000" when s is longer than max. */
function tooLong(field: string, s: string | null | undefined, max: number): string | null {
  return s && s.length > max ? `${field} of ${s.length} characters exceeds ${max}` : null;
}

function tooMany(field: string, list: readonly unknown[] | null | undefined, max: number): string | null {
  return list && list.length > max ? `${list.length} ${field} exceed ${max}` : null;
}

function firstOf(checks: (() => string | null)[]): string | null {
  for (const check of checks) {
    const why = check();
    if (why !== null) return why;
  }
  return null;
}

function bibliographic(r: PaperRecord): string | null {
  const authors = r.authors ?? [];
  const categories = r.categories ?? [];
  return firstOf([
    () => tooLong('title', r.title, LIMITS.title),
    () => tooLong('abstract', r.abstract, LIMITS.abstract),
    () => tooMany('authors', r.authors, LIMITS.authors),
    () => tooLong('author name', authors.find((a) => a.length > LIMITS.authorName), LIMITS.authorName),
    () => {
      const total = authors.reduce((n, a) => n + a.length, 0);
      return total > LIMITS.authorsTotal ? `author names of ${total} characters in all exceed ${LIMITS.authorsTotal}` : null;
    },
    () => tooMany('categories', r.categories, LIMITS.categories),
    () => tooLong('category', categories.find((c) => c.length > LIMITS.category), LIMITS.category),
    () => tooLong('comments', r.comments, LIMITS.comments)?.replace('exceeds', 'exceed') ?? null,
    ...(['journalRef', 'doi', 'license', 'reportNo', 'submitter', 'codeUrl', 'projectUrl'] as const).map((f) => () => tooLong(f, r[f], LIMITS.other)),
    () => tooLong('submittedAt', r.submittedAt, LIMITS.versionDate),
    () => tooLong('updatedAt', r.updatedAt, LIMITS.versionDate),
    () => (r.listedOn && !/^\d{4}-\d{2}-\d{2}$/.test(r.listedOn) ? `listedOn ${JSON.stringify(r.listedOn.slice(0, 40))} is not a YYYY-MM-DD day` : null),
  ]);
}

function versions(r: PaperRecord): string | null {
  const possible = (v: number) => Number.isInteger(v) && v >= 1 && v <= LIMITS.maxVersion;
  if (r.version !== null && !possible(r.version)) return `impossible version ${r.version}`;
  const list = r.versions ?? [];
  if (list.length > LIMITS.versions) return `${list.length} versions exceed ${LIMITS.versions}`;
  for (const v of list) {
    if (!possible(v.version)) return `impossible version ${v.version} in versions`;
    const why = tooLong(`version ${v.version} date`, v.submittedAt, LIMITS.versionDate) ?? tooLong(`version ${v.version} size`, v.size, LIMITS.versionSize);
    if (why) return why;
  }
  return null;
}

function hfSignals(r: PaperRecord): string | null {
  const hf = r.hf;
  if (!hf) return null;
  for (const f of ['upvotes', 'comments', 'githubStars'] as const) {
    const n = hf[f];
    if (n != null && !(Number.isInteger(n) && n >= 0 && n <= LIMITS.count)) return `Hugging Face ${f} ${n} is not a count from 0 to ${LIMITS.count}`;
  }
  return firstOf([
    () => tooMany('Hugging Face AI keywords', hf.aiKeywords, LIMITS.keywords),
    () => tooLong('Hugging Face AI keyword', hf.aiKeywords?.find((k) => k.length > LIMITS.keyword), LIMITS.keyword),
    () => tooLong('Hugging Face AI summary', hf.aiSummary, LIMITS.aiSummary),
    () => (hf.featuredOn && !/^\d{4}-\d{2}-\d{2}$/.test(hf.featuredOn) ? `Hugging Face featuredOn ${JSON.stringify(hf.featuredOn.slice(0, 40))} is not a YYYY-MM-DD day` : null),
  ]);
}
