/**
 * FTS5 MATCH expressions compiled from a parsed query. Built only from quoted tokens: a token is
 * a run of letters and digits (core/tokenize.ts), and any '"' is doubled anyway, so no user text
 * can become FTS5 syntax (NEAR, OR, column filters, a stray parenthesis).
 */
import type { QueryFilters, QueryUnit } from '../../core/query.js';

export function quote(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

export function unitMatch(u: QueryUnit): string {
  if (u.kind === 'prefix') return `${quote(u.tokens[0]!)}*`;
  return quote(u.tokens.join(' '));
}

/** Papers matching any of the units, each unit a phrase of its own (what bm25() scores). */
export function anyOf(units: readonly QueryUnit[]): string {
  return units.map(unitMatch).join(' OR ');
}

/** Papers matching every unit: the ones whose score is complete without any other. */
export function allOf(units: readonly QueryUnit[]): string {
  return units.map(unitMatch).join(' AND ');
}

/**
 * Each author: filter as a phrase in the authors column: one person's name, its words in order
 * ("Yue Ma" is not a Yue and a Ma among different authors). The authors are indexed with a
 * separator token between names (AUTHOR_SEPARATOR) that no phrase of name words can cross.
 */
export function authorsMatch(authors: QueryFilters['authors']): string {
  return authors.map((toks) => `authors : ${quote(toks.join(' '))}`).join(' AND ');
}

/**
 * For papers_fts_categories, whose tokens are whole categories ("cs.cl"): a category matches
 * itself, an archive ("cs", "hep-th") itself and every category in it.
 */
export function categoriesMatch(categories: readonly string[]): string {
  return categories.flatMap((c) => (c.includes('.') ? [quote(c)] : [quote(c), `${quote(`${c}.`)}*`])).join(' OR ');
}
