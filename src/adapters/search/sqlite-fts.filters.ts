/**
 * A query's filters and exclusions as SQL conditions on rowids, for the SQLite FTS5 index: dates
 * through the papers table, authors and exclusions through FTS5 itself, categories through the
 * second FTS5 table whose tokens are whole categories.
 */
import { queryUnits, type ParsedQuery } from '../../core/query.js';
import { anyOf, authorsMatch, categoriesMatch } from './fts5-match.js';

export type Params = (string | number)[];

/** SQL conditions on a rowid column, with their parameters. */
export interface Narrowing {
  where: string[];
  params: Params;
}

export const NOWHERE: Narrowing = { where: [], params: [] };

/** The filters and exclusions of a query, as FTS5 MATCH strings and a day range. */
export interface Filters {
  from: string | null;
  to: string | null;
  categories: string | null;
  authors: string | null;
  exclude: string | null;
}

export function filtersOf(q: ParsedQuery): Filters {
  const f = q.filters;
  const excluded = queryUnits(q.exclude);
  return {
    from: f.from,
    to: f.to,
    categories: f.categories.length > 0 ? categoriesMatch(f.categories) : null,
    authors: f.authors.length > 0 ? authorsMatch(f.authors) : null,
    exclude: excluded.length > 0 ? anyOf(excluded) : null,
  };
}

const IN_CATEGORIES = 'IN (SELECT rowid FROM papers_fts_categories WHERE papers_fts_categories MATCH ?)';
export const IN_FTS = 'IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)';

/**
 * Filters on the rowid of an FTS5 scan. The unary + keeps SQLite from driving the query by these
 * rowid lists (a 30 s plan: FTS5 re-run per listed rowid); they filter the matches instead, and
 * before any bm25() is computed for a row.
 */
export function onMatches(f: Filters): Narrowing {
  const n: Narrowing = { where: [], params: [] };
  if (f.from !== null || f.to !== null) {
    const range = [f.from !== null ? 'day >= ?' : null, f.to !== null ? 'day <= ?' : null].filter(Boolean).join(' AND ');
    add(n, `+rowid IN (SELECT rowid FROM papers WHERE ${range})`, ...[f.from, f.to].filter((d): d is string => d !== null));
  }
  if (f.categories !== null) add(n, `+rowid ${IN_CATEGORIES}`, f.categories);
  if (f.authors !== null) add(n, `+rowid ${IN_FTS}`, f.authors);
  if (f.exclude !== null) add(n, `+rowid NOT ${IN_FTS}`, f.exclude);
  return n;
}

/**
 * Filters on papers p scanned newest first (the papers_live_day_id index of migration 7): the
 * day range bounds the scan; an author filter, short as its list always is, drives it.
 */
export function onPapers(f: Filters): Narrowing {
  const n: Narrowing = { where: [], params: [] };
  if (f.from !== null) add(n, 'p.day >= ?', f.from);
  if (f.to !== null) add(n, 'p.day <= ?', f.to);
  if (f.categories !== null) add(n, `+p.rowid ${IN_CATEGORIES}`, f.categories);
  if (f.authors !== null) add(n, `p.rowid ${IN_FTS}`, f.authors);
  if (f.exclude !== null) add(n, `+p.rowid NOT ${IN_FTS}`, f.exclude);
  return n;
}

/** n and one more condition. */
export function also(n: Narrowing, where: string, ...params: Params): Narrowing {
  return { where: [...n.where, where], params: [...n.params, ...params] };
}

function add(n: Narrowing, where: string, ...params: Params): void {
  n.where.push(where);
  n.params.push(...params);
}

export const and = (n: Narrowing) => n.where.map((w) => `AND ${w}`).join(' ');
