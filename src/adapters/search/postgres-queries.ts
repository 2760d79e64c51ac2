/**
 * The SQL side of a PostgreSQL keyword search, each a few statements on search_docs (the
 * postings are read by postgres-postings-cache.ts): day and category filters, paging in date or
 * relevance order. All parameters; the query text itself never reaches the SQL.
 */
import { byRelevance, rankKey } from '../../core/bm25.js';
import { Lru } from '../../core/lru.js';
import type { ParsedQuery, QueryUnit } from '../../core/query.js';
import type { PgQuery } from '../db/pg-client.js';
import { kthLargest, type Matcher, type Scored } from './postgres-matcher.js';

export interface Page {
  rows: { paperId: string; score: number }[];
  total: number;
  /** total is an estimate (core matchTotal) */
  totalIsEstimate?: boolean;
}

/** Author filters and exclusions, answered from the postings. */
export interface Narrowing {
  /** docs the author filters allow (null: no author filter) */
  among: number[] | null;
  excluded: number[];
  allows(doc: number): boolean;
}

export function postingFilters(m: Matcher, query: ParsedQuery, excluded: QueryUnit[]): Narrowing {
  const authors = query.filters.authors.map((a) => m.authorDocs(a));
  const out = new Set<number>();
  for (const u of excluded) for (const doc of m.matches(u).docs) out.add(doc);
  const allows = (doc: number) => !out.has(doc) && authors.every((a) => a.has(doc));
  return { among: authors.length > 0 ? [...authors[0]!].filter(allows) : null, excluded: [...out], allows };
}

export function hasSqlFilters(query: ParsedQuery): boolean {
  const f = query.filters;
  return f.from !== null || f.to !== null || f.categories.length > 0;
}

/** The day and category conditions on search_docs d, parameters from $first on. */
export function sqlConditions(query: ParsedQuery, first: number): { where: string; params: unknown[] } {
  const f = query.filters;
  const archives = f.categories.filter((c) => !c.includes('.'));
  const where = [
    `($${first}::date IS NULL OR d.day >= $${first}::date)`,
    `($${first + 1}::date IS NULL OR d.day <= $${first + 1}::date)`,
    `(cardinality($${first + 2}::text[]) = 0 OR EXISTS (SELECT 1 FROM unnest(d.categories) c
       WHERE c = ANY($${first + 2}::text[]) OR split_part(c, '.', 1) = ANY($${first + 3}::text[])))`,
  ].join(' AND ');
  return { where, params: [f.from, f.to, f.categories, archives] };
}

/** 1 for each doc of the list that passes the day and category filters, else 0. */
export async function sqlFiltered(q: PgQuery, docs: Int32Array, query: ParsedQuery): Promise<Int32Array> {
  const c = sqlConditions(query, 2);
  const rows = await q.query<{ doc: number }>(`SELECT d.doc FROM search_docs d WHERE d.doc = ANY($1::int[]) AND ${c.where}`, [
    [...docs],
    ...c.params,
  ]);
  const pass = new Set(rows.map((r) => r.doc));
  return docs.map((d) => (pass.has(d) ? 1 : 0));
}

/** The entries of s whose keep flag is set. */
export function pick(s: Scored, keep: Int32Array): Scored {
  const idx: number[] = [];
  keep.forEach((k, i) => {
    if (k) idx.push(i);
  });
  return { docs: Int32Array.from(idx, (i) => s.docs[i]!), scores: Float64Array.from(idx, (i) => s.scores[i]!) };
}

/** Best first, ties by paper id: the top of the list and everything tied with its last entry. */
export async function bestFirst(q: PgQuery, docIds: DocIds, s: Scored, limit: number, offset: number): Promise<Page> {
  const need = offset + limit;
  const keys = s.scores.map(rankKey);
  const cut = keys.length > need ? kthLargest(Float64Array.from(keys), need) : -Infinity;
  const top: number[] = [];
  keys.forEach((k, i) => {
    if (k >= cut) top.push(i);
  });
  const ids = await docIds.get(q, top.map((i) => s.docs[i]!));
  const rows = top.map((i) => ({ id: ids.get(s.docs[i]!) ?? '', paperId: ids.get(s.docs[i]!) ?? '', score: s.scores[i]! }));
  return { rows: rows.sort(byRelevance).slice(offset, need), total: s.docs.length };
}

/** Newest listing day first, then paper id descending, as the SQLite index orders them. */
export async function newestFirst(
  q: PgQuery,
  query: ParsedQuery,
  n: Pick<Narrowing, 'among' | 'excluded'>,
  scored: Scored | null,
  limit: number,
  offset: number,
): Promise<Page> {
  const where = (first: number) => {
    const c = sqlConditions(query, first + 2);
    return {
      sql: `d.live AND ($${first}::int[] IS NULL OR d.doc = ANY($${first}::int[])) AND NOT (d.doc = ANY($${first + 1}::int[])) AND ${c.where}`,
      params: [n.among, n.excluded, ...c.params],
    };
  };
  const page = where(3);
  const rows = await q.query<{ doc: number; paper_id: string; total: number }>(
    `SELECT d.doc, d.paper_id, count(*) OVER () AS total FROM search_docs d WHERE ${page.sql}
     ORDER BY d.day DESC NULLS LAST, d.paper_id COLLATE "C" DESC LIMIT $1 OFFSET $2`,
    [limit, offset, ...page.params],
  );
  // past the last page there is no row to carry the count
  const all = where(1);
  const total = rows[0]?.total ?? (await q.query<{ n: number }>(`SELECT count(*) AS n FROM search_docs d WHERE ${all.sql}`, all.params))[0]!.n;
  const scores = new Map<number, number>();
  if (scored) scored.docs.forEach((d, i) => scores.set(d, scored.scores[i]!));
  return { rows: rows.map((r) => ({ paperId: r.paper_id, score: scores.get(r.doc) ?? 0 })), total };
}

/**
 * The paper id of each doc, kept for the docs pages showed lately: a doc's paper never changes
 * (a paper whose text changes gets a new doc), so a page of docs seen before costs no statement.
 */
export class DocIds {
  private readonly known = new Lru<number, string>(200_000);

  async get(q: PgQuery, docs: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    const missing: number[] = [];
    for (const doc of docs) {
      const id = this.known.get(doc);
      if (id === undefined) missing.push(doc);
      else out.set(doc, id);
    }
    if (missing.length > 0) {
      const rows = await q.query<{ doc: number; paper_id: string }>('SELECT doc, paper_id FROM search_docs WHERE doc = ANY($1::int[])', [missing]);
      for (const r of rows) {
        this.known.set(r.doc, r.paper_id);
        out.set(r.doc, r.paper_id);
      }
    }
    return out;
  }

  clear(): void {
    this.known.clear();
  }
}

/** Approximate document frequencies (dead docs included) for similar(). */
export async function documentFrequencies(q: PgQuery, stems: string[]): Promise<Map<string, number>> {
  const rows = await q.query<{ term: string; n: number }>(
    'SELECT term, sum(n)::int AS n FROM search_postings WHERE term = ANY($1::text[]) GROUP BY term',
    [stems],
  );
  return new Map(rows.map((r) => [r.term, r.n]));
}
