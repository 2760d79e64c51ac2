/**
 * Keyword ranking: BM25 exactly as SQLite FTS5's bm25() computes it, so that the PostgreSQL
 * index (which scores in TypeScript) ranks as the SQLite one (which asks FTS5) does.
 *
 *   score = Σ over query units u of  idf(u) · f·(k1+1) / (f + k1·(1 − b + b·D/avgdl))
 *   f     = Σ over the fields of (the field's weight × occurrences of u in it)
 *   D     = tokens in the whole paper (title + abstract + authors), avgdl its mean over the index
 *   idf   = ln((N − n + 0.5) / (n + 0.5)), floored at 1e-6: n papers of N contain u
 * k1 and b are fixed inside FTS5's bm25(); only the field weights can be chosen.
 */

/** FTS5's constants (fts5_aux.c): term-frequency saturation and length normalisation. */
export const K1 = 1.2;
export const B = 0.75;

export interface FieldWeights {
  title: number;
  abstract: number;
  authors: number;
}

/**
 * A title match counts as much as three abstract matches: titles are short and say what the paper
 * is about. Authors count as abstract words, so a name in the box finds its papers. Chosen on the
 * SciFact training queries (nDCG@10 with title weight 1, 2, 3, 4: 0.7015, 0.7052, 0.7073,
 * 0.7070; docs/decisions/004). Whole numbers keep every sum exact, so both indexes add them up
 * to the same bits.
 */
export const FIELD_WEIGHTS: FieldWeights = { title: 3, abstract: 1, authors: 1 };

/** FTS5's idf: below zero for units in more than half the papers, where it is floored. */
export function idf(papers: number, withUnit: number): number {
  const v = Math.log((papers - withUnit + 0.5) / (withUnit + 0.5));
  return v <= 0 ? 1e-6 : v;
}

/**
 * The units that decide which papers match. A unit found in at least half the papers gets the
 * floored idf (1e-6): it cannot move a ranking, only drag in half the archive as results (and
 * cost the time to score them). So when the query has anything rarer, such units are dropped,
 * like Elasticsearch's common-terms cutoff. A query of nothing else ("the of and a in to for")
 * searches the rarest of them that is found at all: scoring every paper for ten words that each
 * weigh nothing was the costliest query there was (issue 10), for no better a ranking.
 */
export function informativeUnits<T>(units: readonly T[], papers: number, df: (u: T) => number): T[] {
  const informative = units.filter((u) => df(u) > 0 && Math.log((papers - df(u) + 0.5) / (df(u) + 0.5)) > 0);
  if (informative.length > 0) return informative;
  const found = units.filter((u) => df(u) > 0);
  if (found.length === 0) return [...units];
  return [found.reduce((rarest, u) => (df(u) < df(rarest) ? u : rarest))];
}

/** The BM25 score of one paper, the sum taken in unit order as FTS5 does. */
export function bm25(freqs: readonly number[], idfs: readonly number[], docTokens: number, avgTokens: number): number {
  let score = 0;
  for (let i = 0; i < freqs.length; i++) {
    const f = freqs[i]!;
    score += idfs[i]! * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + (B * docTokens) / avgTokens)));
  }
  return score;
}

/** f for one unit in one paper. */
export function weightedFrequency(w: FieldWeights, title: number, abstract: number, authors: number): number {
  return w.title * title + w.abstract * abstract + w.authors * authors;
}

/**
 * Scores compared as 32-bit floats (~7 significant digits): FTS5 (C) and the PostgreSQL index
 * (JavaScript) agree to ~1e-15, and scores that close fall to the same tie-break on both, the
 * paper id. (Math.fround: cheap enough for 30,000 candidates.)
 */
export function rankKey(score: number): number {
  return Math.fround(score);
}

/** Best first; equal scores (as rankKey sees them) by id, so every store returns the same order. */
export function byRelevance(a: { score: number; id: string }, b: { score: number; id: string }): number {
  const d = rankKey(b.score) - rankKey(a.score);
  return d !== 0 ? d : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The most one unit can add to a paper's score, whatever its frequency and length: f/(f + k)
 * stays below 1, so a unit adds less than idf·(k1 + 1). What lets a search skip scoring papers
 * that cannot reach the page (see viablePatterns).
 */
export function maxContribution(papers: number, withUnit: number): number {
  return idf(papers, withUnit) * (K1 + 1);
}

/**
 * Which units a paper must hold (all of one of the returned sets, as bitmasks over `bounds`) to
 * possibly score `threshold` or more, given each unit's maxContribution: the minimal sets whose
 * bounds add up to the threshold. A paper holding none of them scores below it, and, once some
 * papers are known to score at least the threshold, cannot reach the top of the ranking (the
 * MaxScore idea of Turtle and Flood, 1995, for whole sets of units rather than single ones).
 * Bounds within a millionth of the threshold count as reaching it, so float rounding never drops
 * a paper tied with the page's last one. At most 12 units (2^12 sets are looked at).
 */
export function viablePatterns(bounds: readonly number[], threshold: number): number[] {
  const n = bounds.length;
  if (n > 12) throw new Error('viablePatterns: at most 12 units');
  const full = (1 << n) - 1;
  const reaches = (mask: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) s += bounds[i]!;
    return s >= threshold * (1 - 1e-6);
  };
  const out: number[] = [];
  for (let mask = 1; mask <= full; mask++) {
    if (!reaches(mask)) continue;
    let minimal = true;
    for (let i = 0; i < n && minimal; i++) if (mask & (1 << i) && reaches(mask & ~(1 << i))) minimal = false;
    if (minimal) out.push(mask);
  }
  return out;
}

/** Matches are counted exactly up to this many (the units' document frequencies added up), estimated above. */
export const EXACT_COUNT_MAX = 5_000;

/**
 * The total a search reports, the same on every store: exact for one unit (its document
 * frequency), for a filtered query (filters make an estimate meaningless) and for rare units;
 * else estimated (estimatedMatches), where counting exactly would walk tens of thousands of rows.
 */
export function matchTotal(
  papers: number,
  withUnits: readonly number[],
  filtered: boolean,
  exact: () => number,
): { total: number; totalIsEstimate: boolean } {
  if (filtered || withUnits.length <= 1 || withUnits.reduce((s, n) => s + n, 0) <= EXACT_COUNT_MAX)
    return { total: exact(), totalIsEstimate: false };
  return { total: estimatedMatches(papers, withUnits), totalIsEstimate: true };
}

/**
 * About how many papers hold any of the units, if the units occurred independently: what a
 * search says ("about 12,000 results") when counting them exactly would cost more than finding
 * the page. Never below the most common unit's count, never above the sum; two significant digits.
 */
export function estimatedMatches(papers: number, withUnits: readonly number[]): number {
  if (papers <= 0 || withUnits.length === 0) return 0;
  let none = 1;
  for (const n of withUnits) none *= 1 - Math.min(1, n / papers);
  const most = Math.max(...withUnits);
  const sum = withUnits.reduce((s, n) => s + n, 0);
  const v = Math.min(sum, Math.max(most, papers * (1 - none)));
  return roundTo2(v);
}

function roundTo2(v: number): number {
  if (v < 100) return Math.round(v);
  const scale = 10 ** (Math.floor(Math.log10(v)) - 1);
  return Math.round(v / scale) * scale;
}
