/**
 * What a parsed keyword query is (core/query.ts parses it): the units searched for, the ones left
 * out, the filters, and what was ignored, with the limits that keep any input cheap.
 */

export interface QueryFilters {
  /** one entry per author: filter; its tokens, in order, within one of the paper's author names */
  authors: string[][];
  /** lower-case categories ("cs.cl") or archives ("cs", matching cs.*); a paper needs any one */
  categories: string[];
  /** inclusive YYYY-MM-DD bounds on the paper's listing day */
  from: string | null;
  to: string | null;
}

export interface IgnoredPart {
  text: string;
  reason: string;
}

export interface ExcludedParts {
  terms: string[];
  phrases: string[][];
  prefixes: string[];
}

export interface ParsedQuery {
  /** words searched for: folded (lower case, no diacritics), not stemmed, stop words removed */
  terms: string[];
  /** phrases, each two or more folded tokens */
  phrases: string[][];
  /** folded word beginnings */
  prefixes: string[];
  /** papers matching any of these are left out */
  exclude: ExcludedParts;
  filters: QueryFilters;
  /** what was left out of the input, and why */
  ignored: IgnoredPart[];
}

/** One thing that is matched and scored: a term, a phrase or a prefix. */
export interface QueryUnit {
  kind: 'term' | 'phrase' | 'prefix';
  tokens: string[];
}

export const LIMITS = {
  /** words, phrases and prefixes searched for; a 10 kB query must not become a 2,000-term scan */
  units: 32,
  /**
   * prefixes (word*), searched for or left out: each may stand for hundreds of words, and "con*
   * pre* tra* int* com*" asked the index to merge most of its vocabulary (issue 10)
   */
  prefixes: 4,
  phraseTokens: 8,
  excluded: 16,
  authors: 8,
  authorTokens: 6,
  categories: 16,
  /** characters in one word; longer runs are not words anyone searches for */
  tokenLength: 100,
  prefixMin: 3,
  /** ignored parts listed; more are summarised */
  ignoredListed: 8,
} as const;

/** Lucene's English stop words: dropped from plain words, kept inside phrases. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);

export function emptyQuery(): ParsedQuery {
  return {
    terms: [],
    phrases: [],
    prefixes: [],
    exclude: { terms: [], phrases: [], prefixes: [] },
    filters: { authors: [], categories: [], from: null, to: null },
    ignored: [],
  };
}

/** Everything searched for, in a fixed order (terms, phrases, prefixes): the order both indexes score in. */
export function queryUnits(q: Pick<ParsedQuery, 'terms' | 'phrases' | 'prefixes'>): QueryUnit[] {
  return [
    ...q.terms.map((t) => ({ kind: 'term' as const, tokens: [t] })),
    ...q.phrases.map((p) => ({ kind: 'phrase' as const, tokens: p })),
    ...q.prefixes.map((p) => ({ kind: 'prefix' as const, tokens: [p] })),
  ];
}

export function excludedUnits(q: ParsedQuery): QueryUnit[] {
  return queryUnits(q.exclude);
}

/** True when the query has nothing to match on and no filter to list papers by. */
export function isEmptyQuery(q: ParsedQuery): boolean {
  const f = q.filters;
  return (
    queryUnits(q).length === 0 &&
    f.authors.length === 0 &&
    f.categories.length === 0 &&
    f.from === null &&
    f.to === null &&
    queryUnits(q.exclude).length === 0
  );
}
