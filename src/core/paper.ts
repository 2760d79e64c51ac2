/**
 * The paper model every source normalises into, and the record a source yields.
 *
 * A PaperRecord is what one source says about one paper at one moment (all fields optional but
 * the id); a Paper is what the store keeps after merging every record (see merge.ts).
 */

export const SOURCE_NAMES = ['kaggle', 'arxiv-atom', 'oai-pmh', 'hf-daily'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export interface PaperVersion {
  version: number;
  /** ISO-8601 timestamp of the version's submission, when known */
  submittedAt: string | null;
  /** size as arXiv reports it ("294kb"), when known */
  size: string | null;
}

/** Signals from Hugging Face daily papers, kept apart from local votes. */
export interface HfSignals {
  upvotes: number | null;
  comments: number | null;
  githubStars: number | null;
  aiKeywords: string[] | null;
  aiSummary: string | null;
  /** the day (YYYY-MM-DD) it was featured on the daily page: the earliest, when listed on several */
  featuredOn: string | null;
  /**
   * the latest day it was featured: the Hugging Face record of that day is the one whose
   * project page, summary and keywords are kept (core/merge.ts). Kept by the merge, not a source.
   */
  lastFeaturedOn: string | null;
}

/** Bibliographic fields: who may set them is decided by merge.ts. */
export interface Bibliographic {
  title: string | null;
  abstract: string | null;
  authors: string[] | null;
  /** primary category first */
  categories: string[] | null;
  /** ISO timestamp of v1 */
  submittedAt: string | null;
  /** ISO timestamp of the newest version */
  updatedAt: string | null;
  comments: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  reportNo: string | null;
  submitter: string | null;
}

export const BIBLIOGRAPHIC_FIELDS = [
  'title',
  'abstract',
  'authors',
  'categories',
  'submittedAt',
  'updatedAt',
  'comments',
  'journalRef',
  'doi',
  'license',
  'reportNo',
  'submitter',
] as const satisfies readonly (keyof Bibliographic)[];

export const LINK_FIELDS = ['codeUrl', 'projectUrl'] as const;
export const HF_FIELDS = ['upvotes', 'comments', 'githubStars', 'aiKeywords', 'aiSummary', 'featuredOn'] as const;

/** What one source says about one paper. Absent or null fields say nothing. */
export interface PaperRecord extends Partial<Bibliographic> {
  /** canonical arXiv id, without version */
  id: string;
  /** the newest version this record describes, when the source tells */
  version: number | null;
  source: SourceName;
  versions?: PaperVersion[];
  /** the day (YYYY-MM-DD) arXiv listed it, when the source tells */
  listedOn?: string | null;
  codeUrl?: string | null;
  projectUrl?: string | null;
  hf?: Partial<HfSignals>;
  /** the source reports the paper withdrawn from its feed (OAI-PMH deleted record) */
  deleted?: boolean;
}

export type ProvenanceField =
  | (typeof BIBLIOGRAPHIC_FIELDS)[number]
  | (typeof LINK_FIELDS)[number]
  | 'listedOn'
  | 'hf';

/** A paper as stored: the merge of every record seen for its id. */
export interface Paper extends Bibliographic {
  id: string;
  /** highest version seen, or null when no source named one */
  latestVersion: number | null;
  versions: PaperVersion[];
  listedOn: string | null;
  codeUrl: string | null;
  projectUrl: string | null;
  hf: HfSignals;
  deleted: boolean;
  /** which source set each field */
  provenance: Partial<Record<ProvenanceField, SourceName>>;
}

export function emptyHfSignals(): HfSignals {
  return { upvotes: null, comments: null, githubStars: null, aiKeywords: null, aiSummary: null, featuredOn: null, lastFeaturedOn: null };
}

export function emptyPaper(id: string): Paper {
  return {
    id,
    latestVersion: null,
    versions: [],
    title: null,
    abstract: null,
    authors: null,
    categories: null,
    submittedAt: null,
    updatedAt: null,
    comments: null,
    journalRef: null,
    doi: null,
    license: null,
    reportNo: null,
    submitter: null,
    listedOn: null,
    codeUrl: null,
    projectUrl: null,
    hf: emptyHfSignals(),
    deleted: false,
    provenance: {},
  };
}

/** The day a paper belongs to on a daily page: featured, else listed, else first submitted. */
export function paperDay(p: Pick<Paper, 'hf' | 'listedOn' | 'submittedAt'>): string | null {
  return p.hf.featuredOn ?? p.listedOn ?? (p.submittedAt ? p.submittedAt.slice(0, 10) : null);
}

/**
 * The versions of a paper known to exist: 1 to the newest one any source named (arXiv numbers
 * versions from 1 without gaps), whatever the history lists: the arXiv API names only the first
 * and the current one (v1 and v3: v2 exists all the same); empty when no source named any.
 */
export function knownVersions(p: Pick<Paper, 'versions' | 'latestVersion'>): number[] {
  const newest = p.versions.reduce((n, v) => Math.max(n, v.version), p.latestVersion ?? 0);
  return Array.from({ length: newest }, (_, i) => i + 1);
}

/** A version an address asked for that the paper is known not to have (2405.15738v9 of a v2 paper). */
export function isUnknownVersion(p: Pick<Paper, 'versions' | 'latestVersion'>, requested: number | null): boolean {
  if (requested === null) return false;
  const known = knownVersions(p);
  return known.length > 0 && !known.includes(requested);
}
