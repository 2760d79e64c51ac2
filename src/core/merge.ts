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
 * - Hugging Face lists some papers on two days (a second submitter, weeks apart), with other
 *   upvotes, project pages or AI summaries. What Hugging Face says is taken from its latest
 *   observation, the record of the latest featured day (`hf.lastFeaturedOn` remembers it): an
 *   older day's record adds only its counters (max) and its featured day (earliest). The paper
 *   stays on the earliest featured day's page only (docs/decisions/012). Two different records
 *   of the same day, which no real file has shown, are joined field by field (a value over
 *   none, then the greater), so any order gives the same paper and a rerun changes nothing.
 * - Only OAI-PMH reports deletions; a later OAI record of the paper reinstates it.
 */
import {
  BIBLIOGRAPHIC_FIELDS,
  emptyPaper,
  type Paper,
  type PaperRecord,
  type PaperVersion,
  type ProvenanceField,
  type SourceName,
} from './paper.js';

const RANK: Record<SourceName, number> = { 'oai-pmh': 2, 'arxiv-atom': 2, kaggle: 2, 'hf-daily': 1 };

/** Returns the merged paper, or null when the record has nothing to store (a deletion of a paper never seen). */
export function mergeRecord(existing: Paper | null, rec: PaperRecord): Paper | null {
  if (!existing && rec.deleted) return null;
  const p: Paper = existing ? structuredClone(existing) : emptyPaper(rec.id);
  if (rec.source === 'hf-daily') mergeHfDaily(p, rec);
  else mergeArxiv(p, rec);

  if (rec.listedOn && (p.listedOn === null || rec.listedOn < p.listedOn)) {
    p.listedOn = rec.listedOn;
    p.provenance.listedOn = rec.source;
  }
  p.versions = mergeVersions(p.versions, rec.versions ?? []);
  const newest = Math.max(p.latestVersion ?? 0, rec.version ?? 0, ...p.versions.map((v) => v.version));
  p.latestVersion = newest > 0 ? newest : null;
  if (rec.source === 'oai-pmh') p.deleted = rec.deleted === true;
  p.provenance = inFixedOrder(p.provenance);
  return p;
}

/**
 * Provenance keys in one order whatever the order of the records, so that the same papers compare
 * (samePaper) and store alike: shorter keys first, then by code unit, which is the order
 * PostgreSQL's jsonb gives them back in.
 */
function inFixedOrder(prov: Paper['provenance']): Paper['provenance'] {
  const keys = Object.keys(prov) as ProvenanceField[];
  keys.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const out: Paper['provenance'] = {};
  for (const k of keys) out[k] = prov[k];
  return out;
}

/** A record of arXiv's own metadata (OAI-PMH, the API, the Kaggle snapshot). */
function mergeArxiv(p: Paper, rec: PaperRecord): void {
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

  if (rec.hf) mergeHf(p, rec.hf, rec.source);
}

function mergeHf(p: Paper, hf: NonNullable<PaperRecord['hf']>, source: SourceName): void {
  const h = p.hf;
  h.upvotes = max(h.upvotes, hf.upvotes);
  h.comments = max(h.comments, hf.comments);
  h.githubStars = max(h.githubStars, hf.githubStars);
  if (hf.aiKeywords && hf.aiKeywords.length > 0) h.aiKeywords = hf.aiKeywords;
  if (hf.aiSummary) h.aiSummary = hf.aiSummary;
  if (hf.featuredOn && (h.featuredOn === null || hf.featuredOn < h.featuredOn)) h.featuredOn = hf.featuredOn;
  p.provenance.hf = source;
}

const max = (a: number | null, b: number | null | undefined) => (b == null ? a : a == null ? b : Math.max(a, b));

/** The fields a Hugging Face record may hold: bibliographic ones only while no arXiv source does. */
const HF_HELD = [...BIBLIOGRAPHIC_FIELDS, 'codeUrl', 'projectUrl'] as const;

/**
 * A Hugging Face daily record (see the rules above). Its observation day is the day it was
 * featured ('' when the file told none: older than any day). Upvotes keep the maximum rather
 * than the latest count: counts only grow on Hugging Face but for the odd withdrawn vote, and
 * the maximum needs no day to be order-independent.
 */
function mergeHfDaily(p: Paper, rec: PaperRecord): void {
  const hf = rec.hf ?? {};
  const day = hf.featuredOn ?? '';
  const seen = p.provenance.hf === undefined ? null : (p.hf.lastFeaturedOn ?? '');
  const h = p.hf;
  h.upvotes = max(h.upvotes, hf.upvotes);
  h.comments = max(h.comments, hf.comments);
  h.githubStars = max(h.githubStars, hf.githubStars);
  if (hf.featuredOn && (h.featuredOn === null || hf.featuredOn < h.featuredOn)) h.featuredOn = hf.featuredOn;
  p.provenance.hf = 'hf-daily';
  if (seen !== null && day < seen) return; // an older observation: nothing more from it
  const latest = seen === null || day > seen;
  const take = <T>(have: T | null, got: T | null | undefined): T | null => {
    const v = got === undefined ? null : got;
    if (latest) return v; // the latest observation says it all, its gaps included
    return pick(have, v); // the same day: the join
  };
  for (const f of HF_HELD) {
    const holder = p.provenance[f];
    if (holder !== undefined && holder !== 'hf-daily') continue; // arXiv's, or a harvest's, stays
    const v = take<unknown>(p[f], rec[f]);
    (p as unknown as Record<string, unknown>)[f] = v;
    if (v === null) delete p.provenance[f];
    else p.provenance[f] = 'hf-daily';
  }
  h.aiKeywords = take(h.aiKeywords, hf.aiKeywords && hf.aiKeywords.length > 0 ? hf.aiKeywords : null);
  h.aiSummary = take(h.aiSummary, hf.aiSummary || null);
  h.lastFeaturedOn = day === '' ? null : day;
}

/** Of two values for a field from the same day: a value over none, then the greater (as JSON). */
function pick<T>(a: T | null, b: T | null): T | null {
  if (a === null) return b;
  if (b === null) return a;
  return JSON.stringify(b) > JSON.stringify(a) ? b : a;
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
