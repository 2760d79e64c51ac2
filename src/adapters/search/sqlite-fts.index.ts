/**
 * Keyword search on SQLite: FTS5 (migration 2) ranked by its bm25() with the core's field
 * weights. Filters narrow by rowid: dates through the papers_day index, authors and exclusions
 * through FTS5 itself, categories through a second FTS5 table whose tokens are whole categories.
 * Rows are turned into papers only for the page asked for.
 */
import type Database from 'better-sqlite3';
import { byRelevance, FIELD_WEIGHTS, informativeUnits, rankKey, type FieldWeights } from '../../core/bm25.js';
import type { Paper } from '../../core/paper.js';
import { isEmptyQuery, queryUnits, type ParsedQuery, type QueryUnit } from '../../core/query.js';
import { candidateTerms, pickTerms, similarityQuery } from '../../core/similar.js';
import type { TermStats } from '../../core/related.js';
import type { PaperReads } from '../../ports/paper-reads.js';
import type { IndexResults, IndexSearchRequest, RefreshResult, SearchIndex } from '../../ports/search-index.js';
import { anyOf, authorsMatch, categoriesMatch, unitMatch } from './fts5-match.js';
import { refreshFts } from './sqlite-fts.refresh.js';

type Params = (string | number)[];

/** SQL conditions on a rowid column, with their parameters. */
interface Narrowing {
  where: string[];
  params: Params;
}

interface Scored {
  rowid: number;
  score: number;
}

export interface SqliteIndexOptions {
  weights?: FieldWeights;
  /** papers indexed before a search at most; the rest waits for the next search or refresh() */
  refreshBudget?: number;
}

export class SqliteFtsIndex implements SearchIndex {
  private readonly weights: FieldWeights;
  private readonly budget: number;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly dfCache = new Map<string, number>();

  constructor(
    private readonly store: PaperReads,
    private readonly db: Database.Database,
    opts: SqliteIndexOptions = {},
  ) {
    this.weights = opts.weights ?? FIELD_WEIGHTS;
    this.budget = opts.refreshBudget ?? 5000;
  }

  async refresh(maxPapers?: number): Promise<RefreshResult> {
    return refreshFts(this.db, maxPapers);
  }

  /** FTS5's vocabulary, read in slices by term so that no single read holds the event loop long. */
  async termStats(): Promise<TermStats> {
    const df = new Map<string, number>();
    const slice = this.stmt('SELECT term, doc FROM papers_fts_vocab WHERE term > ? ORDER BY term LIMIT 20000');
    for (let after = ''; ; ) {
      const rows = slice.raw().all(after) as [string, number][];
      for (const [term, doc] of rows) df.set(term, doc);
      if (rows.length < 5000) break;
      after = rows[rows.length - 1]![0];
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { papers: this.rowCount(), df };
  }

  async search(req: IndexSearchRequest): Promise<IndexResults> {
    const { pending } = refreshFts(this.db, this.budget);
    const q = req.query;
    const filters = filtersOf(q);
    const units = queryUnits(q);
    if (units.length === 0) {
      if (isEmptyQuery(q)) return { hits: [], total: 0, pending };
      return { ...(await this.filtersOnly(filters, req.limit, req.offset)), pending };
    }
    const papers = this.rowCount();
    const df = new Map<QueryUnit, number>();
    // over the whole index, as bm25() counts it for its idf
    const dfOf = (u: QueryUnit) => df.get(u) ?? (df.set(u, this.count(unitMatch(u), NOWHERE)), df.get(u)!);
    const match = anyOf(informativeUnits(units, papers, dfOf));
    const total = this.count(match, onMatches(filters));
    const page =
      req.sort === 'date'
        ? this.newestFirst(match, filters, req.limit, req.offset)
        : await this.bestFirst(match, onMatches(filters), req.limit, req.offset);
    return { hits: await this.papers(page), total, pending };
  }

  async similar(id: string, limit: number): Promise<Paper[]> {
    refreshFts(this.db, this.budget);
    const paper = await this.store.getPaper(id);
    if (!paper || limit <= 0) return [];
    const cands = candidateTerms(paper.title, paper.abstract);
    const tokens = pickTerms(cands, this.documentFrequencies(cands.map((c) => c.stem)), this.rowCount());
    if (tokens.length === 0) return [];
    const q = similarityQuery(tokens);
    const rowid = (this.stmt('SELECT rowid FROM papers WHERE id = ?').get(id) as { rowid: number } | undefined)?.rowid;
    const narrowing: Narrowing = rowid === undefined ? NOWHERE : { where: ['+rowid <> ?'], params: [rowid] };
    const page = await this.bestFirst(anyOf(queryUnits(q)), narrowing, limit, 0);
    return (await this.papers(page)).map((h) => h.paper);
  }

  // ---- the three ways through ----

  /** Best BM25 first; equal scores (core rankKey) by id, as on PostgreSQL. */
  private async bestFirst(match: string, n: Narrowing, limit: number, offset: number): Promise<Scored[]> {
    const need = offset + limit;
    const w = this.weights;
    const sql = `SELECT rowid, -bm25(papers_fts, ?, ?, ?) AS score FROM papers_fts
      WHERE papers_fts MATCH ? ${and(n)} ORDER BY score DESC LIMIT ?`;
    // fetch a little beyond the page: rows tied with its last one may sort before it by id
    for (let fetch = need + 16; ; fetch *= 4) {
      const rows = this.stmt(sql).all(w.title, w.abstract, w.authors, match, ...n.params, fetch) as Scored[];
      const last = rows[rows.length - 1];
      if (rows.length < fetch || !last || rankKey(last.score) < rankKey(rows[Math.min(need, rows.length) - 1]!.score))
        return this.withIds(rows).sort(byRelevance).slice(offset, need);
    }
  }

  /** Newest listing day first, then id descending; scores for the page only. */
  private newestFirst(match: string, f: Filters, limit: number, offset: number): Scored[] {
    const n = onPapers(f);
    const rows = this.stmt(
      `SELECT p.rowid FROM papers p WHERE +p.rowid ${IN_FTS} ${and(n)} ORDER BY p.day DESC, p.id DESC LIMIT ? OFFSET ?`,
    ).all(match, ...n.params, limit, offset) as { rowid: number }[];
    if (rows.length === 0) return [];
    const w = this.weights;
    const scores = new Map(
      (
        this.stmt(
          `SELECT rowid, -bm25(papers_fts, ?, ?, ?) AS score FROM papers_fts
           WHERE papers_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`,
        ).all(w.title, w.abstract, w.authors, match, JSON.stringify(rows.map((r) => r.rowid))) as Scored[]
      ).map((r) => [r.rowid, r.score]),
    );
    return rows.map((r) => ({ rowid: r.rowid, score: scores.get(r.rowid) ?? 0 }));
  }

  /** A query of filters only: the matching papers, newest first. */
  private async filtersOnly(f: Filters, limit: number, offset: number): Promise<Omit<IndexResults, 'pending'>> {
    const n = onPapers(f);
    const total = (this.stmt(`SELECT count(*) AS n FROM papers p WHERE p.deleted = 0 ${and(n)}`).get(...n.params) as { n: number }).n;
    const rows = this.stmt(
      `SELECT p.rowid FROM papers p WHERE p.deleted = 0 ${and(n)} ORDER BY p.day DESC, p.id DESC LIMIT ? OFFSET ?`,
    ).all(...n.params, limit, offset) as { rowid: number }[];
    return { hits: await this.papers(rows.map((r) => ({ rowid: r.rowid, score: 0 }))), total };
  }

  // ---- helpers ----

  private count(match: string, n: Narrowing): number {
    return (this.stmt(`SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH ? ${and(n)}`).get(match, ...n.params) as { n: number }).n;
  }

  /** Papers in the index: the first varint of FTS5's averages record (what bm25() itself uses as N). */
  private rowCount(): number {
    const row = this.stmt('SELECT block FROM papers_fts_data WHERE id = 1').get() as { block: Buffer } | undefined;
    return row ? readVarint(row.block) : 0;
  }

  /** Archive frequencies for similar(), remembered: they drift slowly and similar() need not be exact. */
  private documentFrequencies(stems: string[]): Map<string, number> {
    const missing = stems.filter((s) => !this.dfCache.has(s));
    if (this.dfCache.size + missing.length > 100_000) this.dfCache.clear();
    for (const s of missing) this.dfCache.set(s, 0);
    const rows = this.stmt('SELECT term, doc FROM papers_fts_vocab WHERE term IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(missing),
    ) as { term: string; doc: number }[];
    for (const r of rows) this.dfCache.set(r.term, r.doc);
    return new Map(stems.map((s) => [s, this.dfCache.get(s) ?? 0]));
  }

  private withIds(rows: Scored[]): (Scored & { id: string })[] {
    const ids = this.idsOf(rows.map((r) => r.rowid));
    return rows.map((r) => ({ ...r, id: ids.get(r.rowid) ?? '' }));
  }

  private idsOf(rowids: number[]): Map<number, string> {
    const rows = this.stmt('SELECT rowid, id FROM papers WHERE rowid IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(rowids),
    ) as { rowid: number; id: string }[];
    return new Map(rows.map((r) => [r.rowid, r.id]));
  }

  private async papers(page: Scored[]): Promise<IndexResults['hits']> {
    const ids = this.idsOf(page.map((r) => r.rowid));
    const hits: IndexResults['hits'] = [];
    for (const r of page) {
      const paper = await this.store.getPaper(ids.get(r.rowid) ?? '');
      if (paper) hits.push({ paper, score: r.score });
    }
    return hits;
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }
}

const NOWHERE: Narrowing = { where: [], params: [] };

/** The filters and exclusions of a query, as FTS5 MATCH strings and a day range. */
interface Filters {
  from: string | null;
  to: string | null;
  categories: string | null;
  authors: string | null;
  exclude: string | null;
}

function filtersOf(q: ParsedQuery): Filters {
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
const IN_FTS = 'IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)';

/**
 * Filters on the rowid of an FTS5 scan. The unary + keeps SQLite from driving the query by these
 * rowid lists (a 30 s plan: FTS5 re-run per listed rowid); they filter the matches instead.
 */
function onMatches(f: Filters): Narrowing {
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
 * Filters on papers p scanned newest first (the papers_day index): the day range bounds the
 * scan; an author filter, short as its list always is, drives it.
 */
function onPapers(f: Filters): Narrowing {
  const n: Narrowing = { where: [], params: [] };
  if (f.from !== null) add(n, 'p.day >= ?', f.from);
  if (f.to !== null) add(n, 'p.day <= ?', f.to);
  if (f.categories !== null) add(n, `+p.rowid ${IN_CATEGORIES}`, f.categories);
  if (f.authors !== null) add(n, `p.rowid ${IN_FTS}`, f.authors);
  if (f.exclude !== null) add(n, `+p.rowid NOT ${IN_FTS}`, f.exclude);
  return n;
}

function add(n: Narrowing, where: string, ...params: Params): void {
  n.where.push(where);
  n.params.push(...params);
}

const and = (n: Narrowing) => n.where.map((w) => `AND ${w}`).join(' ');

/** SQLite's big-endian varint (FTS5 record format). */
export function readVarint(buf: Uint8Array, at = 0): number {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const b = buf[at + i] ?? 0;
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) return v;
  }
  return v * 256 + (buf[at + 8] ?? 0);
}
