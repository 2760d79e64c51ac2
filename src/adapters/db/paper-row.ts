/**
 * The mapping between a Paper and a `papers` row, shared by both stores. Rows carry JSON as
 * text and timestamps as ISO-8601 text; each store converts what its driver hands back
 * (PostgreSQL gives parsed jsonb) before calling rowToPaper.
 */
import { emptyHfSignals, type Paper, type PaperVersion } from '../../core/paper.js';
import type { PaperWrite } from '../../ports/paper-writer.js';

/** Column order used by both stores' INSERT statements. */
export const PAPER_COLUMNS = [
  'id',
  'latest_version',
  'title',
  'abstract',
  'authors',
  'categories',
  'primary_category',
  'submitted_at',
  'updated_at',
  'listed_on',
  'day',
  'comments',
  'journal_ref',
  'doi',
  'license',
  'report_no',
  'submitter',
  'code_url',
  'project_url',
  'hf_upvotes',
  'hf_comments',
  'github_stars',
  'ai_keywords',
  'ai_summary',
  'featured_on',
  'last_featured_on',
  'deleted',
  'provenance',
] as const;

export type PaperRow = Record<(typeof PAPER_COLUMNS)[number], unknown>;

const json = (v: unknown) => (v == null ? null : JSON.stringify(v));

export function paperToRow({ paper: p, day }: PaperWrite): PaperRow {
  return {
    id: p.id,
    latest_version: p.latestVersion,
    title: p.title,
    abstract: p.abstract,
    authors: json(p.authors),
    categories: json(p.categories),
    primary_category: p.categories?.[0] ?? null,
    submitted_at: p.submittedAt,
    updated_at: p.updatedAt,
    listed_on: p.listedOn,
    day,
    comments: p.comments,
    journal_ref: p.journalRef,
    doi: p.doi,
    license: p.license,
    report_no: p.reportNo,
    submitter: p.submitter,
    code_url: p.codeUrl,
    project_url: p.projectUrl,
    hf_upvotes: p.hf.upvotes,
    hf_comments: p.hf.comments,
    github_stars: p.hf.githubStars,
    ai_keywords: json(p.hf.aiKeywords),
    ai_summary: p.hf.aiSummary,
    featured_on: p.hf.featuredOn,
    last_featured_on: p.hf.lastFeaturedOn,
    deleted: p.deleted,
    provenance: JSON.stringify(p.provenance),
  };
}

/** A stored row back to a Paper. JSON columns may be text (SQLite) or parsed (PostgreSQL). */
export function rowToPaper(r: Record<string, unknown>, versions: PaperVersion[]): Paper {
  const parsed = <T>(v: unknown): T | null => (v == null ? null : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
  const str = (v: unknown) => (v == null ? null : String(v));
  const num = (v: unknown) => (v == null ? null : Number(v));
  return {
    id: String(r.id),
    latestVersion: num(r.latest_version),
    versions,
    title: str(r.title),
    abstract: str(r.abstract),
    authors: parsed<string[]>(r.authors),
    categories: parsed<string[]>(r.categories),
    submittedAt: str(r.submitted_at),
    updatedAt: str(r.updated_at),
    comments: str(r.comments),
    journalRef: str(r.journal_ref),
    doi: str(r.doi),
    license: str(r.license),
    reportNo: str(r.report_no),
    submitter: str(r.submitter),
    listedOn: str(r.listed_on),
    codeUrl: str(r.code_url),
    projectUrl: str(r.project_url),
    hf: {
      ...emptyHfSignals(),
      upvotes: num(r.hf_upvotes),
      comments: num(r.hf_comments),
      githubStars: num(r.github_stars),
      aiKeywords: parsed<string[]>(r.ai_keywords),
      aiSummary: str(r.ai_summary),
      featuredOn: str(r.featured_on),
      lastFeaturedOn: str(r.last_featured_on),
    },
    deleted: r.deleted === true || r.deleted === 1,
    provenance: parsed<Paper['provenance']>(r.provenance) ?? {},
  };
}
