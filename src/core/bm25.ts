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
 * like Elasticsearch's common-terms cutoff; a query of nothing else keeps them all.
 */
export function informativeUnits<T>(units: readonly T[], papers: number, df: (u: T) => number): T[] {
  const informative = units.filter((u) => df(u) > 0 && Math.log((papers - df(u) + 0.5) / (df(u) + 0.5)) > 0);
  return informative.length > 0 ? informative : [...units];
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
