/**
 * "Similar papers" by keywords: the words that best tell what a paper is about (frequent in it,
 * rare in the archive, title words counting double), searched for as an ordinary query.
 */
import { idf } from './bm25.js';
import { emptyQuery, STOP_WORDS, type ParsedQuery } from './query.js';
import { stem, tokenTexts } from './tokenize.js';

export interface Candidate {
  /** the word as written (folded), what the query searches for */
  token: string;
  stem: string;
  /** title occurrences count twice */
  weight: number;
}

/** How many words a similarity query searches for: enough to be specific, few enough to be fast. */
export const SIMILAR_TERMS = 10;

/**
 * Words in more than this share of the archive say little about a paper and make the query slow
 * (every paper holding one is scored): "model" is in 80% of cs papers, "diffusion" in 5%.
 */
export const SIMILAR_MAX_SHARE = 0.02;

/** Candidates whose archive frequency is looked up: each lookup costs (~0.2 ms on SQLite). */
export const SIMILAR_CANDIDATES = 30;

/**
 * The paper's content words, one per stem, with their weight in it: the heaviest first, longer
 * words before shorter ones at equal weight (they tend to be the specific ones).
 */
export function candidateTerms(title: string | null, abstract: string | null, max = SIMILAR_CANDIDATES): Candidate[] {
  const byStem = new Map<string, Candidate>();
  const add = (text: string | null, weight: number) => {
    for (const token of tokenTexts(text ?? '')) {
      if (token.length < 3 || STOP_WORDS.has(token) || /^\d+$/.test(token)) continue;
      const s = stemOf(token);
      const c = byStem.get(s);
      if (c) c.weight += weight;
      else byStem.set(s, { token, stem: s, weight });
    }
  };
  add(title, 2);
  add(abstract, 1);
  return [...byStem.values()]
    .sort((a, b) => b.weight - a.weight || b.token.length - a.token.length || (a.token < b.token ? -1 : 1))
    .slice(0, max);
}

/**
 * The most telling candidates: weight × idf, among words some other paper has too (df ≥ 2;
 * unknown stems count as absent) and not too common. Ties by word, so the choice is stable.
 */
export function pickTerms(cands: Candidate[], df: ReadonlyMap<string, number>, papers: number, max = SIMILAR_TERMS): string[] {
  const common = Math.max(2, papers * SIMILAR_MAX_SHARE);
  return cands
    .filter((c) => (df.get(c.stem) ?? 0) >= 2 && df.get(c.stem)! <= common)
    .map((c) => ({ token: c.token, score: c.weight * idf(papers, df.get(c.stem)!) }))
    .sort((a, b) => b.score - a.score || (a.token < b.token ? -1 : 1))
    .slice(0, max)
    .map((c) => c.token);
}

/**
 * stem() remembered: a paper's words are mostly words seen before, and the Porter steps cost
 * more than a lookup (computing every paper's signature stems millions of words). Bounded.
 */
const stems = new Map<string, string>();
function stemOf(token: string): string {
  let s = stems.get(token);
  if (s === undefined) {
    if (stems.size >= 200_000) stems.clear();
    stems.set(token, (s = stem(token)));
  }
  return s;
}

export function similarityQuery(tokens: string[]): ParsedQuery {
  return { ...emptyQuery(), terms: tokens };
}
