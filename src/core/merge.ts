/**
 * Merging what sources say into one paper per arXiv id. Pure and deterministic.
 *
 * Rules, so that several sources and re-runs agree:
 * - arXiv's own metadata (OAI-PMH, the API, the Kaggle snapshot) outranks Hugging Face for the
 *   bibliographic fields; Hugging Face fills them only while nothing better is known.
 * - Between arXiv sources, a record describing an older version than the one already stored
 *   only fills gaps: the newest version's metadata is what readers see.
 * - Version histories are unioned; the listing day and the featured day keep the earliest
 *   value; upvotes, comment counts and stars keep the highest value, so the result does not
 *   depend on the order in which days are ingested.
 * - Only OAI-PMH reports deletions; a later OAI record of the paper reinstates it.
 */
import {
  BIBLIOGRAPHIC_FIELDS,
  emptyPaper,
  type Paper,
  type PaperRecord,
  type PaperVersion,
  type SourceName,
} from './paper.js';

const RANK: Record<SourceName, number> = { 'oai-pmh': 2, 'arxiv-atom': 2, kaggle: 2, 'hf-daily': 1 };

/** Returns the merged paper, or null when the record has nothing to store (a deletion of a paper never seen). */
export function mergeRecord(existing: Paper | null, rec: PaperRecord): Paper | null {
  if (!existing && rec.deleted) return null;
  const p: Paper = existing ? structuredClone(existing) : emptyPaper(rec.id);
  const rank = RANK[rec.source];
  const notOlder = rec.version === null || p.latestVersion === null || rec.version >= p.latestVersion;

  for (const f of BIBLIOGRAPHIC_FIELDS) {
    const v = rec[f];
    if (v === undefined || v === null) continue;
    const holder = p.provenance[f];
    const holderRank = holder ? RANK[holder] : 0;
    const wins = p[f] === null || rank > holderRank || (rank === holderRank && notOlder);
    if (wins) {
      (p as unknown as Record<string, unknown>)[f] = v;
      p.provenance[f] = rec.source;
    }
  }

  for (const f of ['codeUrl', 'projectUrl'] as const) {
    const v = rec[f];
    if (!v) continue;
    const holder = p.provenance[f];
    if (p[f] === null || !holder || rank >= RANK[holder]) {
      p[f] = v;
      p.provenance[f] = rec.source;
    }
  }

  if (rec.listedOn && (p.listedOn === null || rec.listedOn < p.listedOn)) {
    p.listedOn = rec.listedOn;
    p.provenance.listedOn = rec.source;
  }

  if (rec.hf) mergeHf(p, rec.hf, rec.source);
  p.versions = mergeVersions(p.versions, rec.versions ?? []);
  const newest = Math.max(p.latestVersion ?? 0, rec.version ?? 0, ...p.versions.map((v) => v.version));
  p.latestVersion = newest > 0 ? newest : null;
  if (rec.source === 'oai-pmh') p.deleted = rec.deleted === true;
  return p;
}

function mergeHf(p: Paper, hf: NonNullable<PaperRecord['hf']>, source: SourceName): void {
  const h = p.hf;
  const max = (a: number | null, b: number | null | undefined) => (b == null ? a : a == null ? b : Math.max(a, b));
  h.upvotes = max(h.upvotes, hf.upvotes);
  h.comments = max(h.comments, hf.comments);
  h.githubStars = max(h.githubStars, hf.githubStars);
  if (hf.aiKeywords && hf.aiKeywords.length > 0) h.aiKeywords = hf.aiKeywords;
  if (hf.aiSummary) h.aiSummary = hf.aiSummary;
  if (hf.featuredOn && (h.featuredOn === null || hf.featuredOn < h.featuredOn)) h.featuredOn = hf.featuredOn;
  p.provenance.hf = source;
}

function mergeVersions(have: PaperVersion[], incoming: PaperVersion[]): PaperVersion[] {
  if (incoming.length === 0) return have;
  const byNumber = new Map(have.map((v) => [v.version, { ...v }]));
  for (const v of incoming) {
    const old = byNumber.get(v.version);
    if (!old) byNumber.set(v.version, { ...v });
    else {
      old.submittedAt ??= v.submittedAt;
      old.size ??= v.size;
    }
  }
  return [...byNumber.values()].sort((a, b) => a.version - b.version);
}

/** True when two papers hold the same data (field order is fixed by emptyPaper). */
export function samePaper(a: Paper, b: Paper): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
