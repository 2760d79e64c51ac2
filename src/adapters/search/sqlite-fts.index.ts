/**
 * Keyword search on SQLite: FTS5 (migrations 2 and 7) ranked by its bm25() with the core's field
 * weights; filters narrow by rowid (sqlite-fts.filters.ts). The cost of a search is the papers
 * bm25() scores, so a page of the best is found scoring as few as can reach it: first the papers
 * holding every unit, whose scores set a bar, then only the papers holding enough units to pass it
 * (sqlite-fts.best-first.ts; docs/decisions/011). Exact counts are given when they are cheap,
 * an estimate said as such when not. Rows become papers only for the page asked for, in one read.
 */
import type Database from 'better-sqlite3';
import { byRelevance, FIELD_WEIGHTS, informativeUnits, matchTotal, rankKey, type FieldWeights } from '../../core/bm25.js';
import type { Paper } from '../../core/paper.js';
import { isEmptyQuery, queryUnits, type ParsedQuery, type QueryUnit } from '../../core/query.js';
import { candidateTerms, pickTerms, similarityQuery } from '../../core/similar.js';
import type { TermStats } from '../../core/related.js';
import { stem } from '../../core/tokenize.js';
import type { PaperReads } from '../../ports/paper-reads.js';
import type { IndexRanking, IndexResults, IndexSearchRequest, RefreshResult, SearchIndex } from '../../ports/search-index.js';
import { anyOf, unitMatch } from './fts5-match.js';
import { bestFirstOf, type Candidates, type IndexReads, type Ranked, type Scored } from './sqlite-fts.best-first.js';
import { averages, refreshTopLists, TOP_LIST_DF_MIN, TOP_LIST_SIZE, topListPlan } from './sqlite-fts.top-lists.js';
import { also, and, filtersOf, IN_FTS, NOWHERE, onMatches, onPapers, type Filters, type Narrowing } from './sqlite-fts.filters.js';
import { refreshFts } from './sqlite-fts.refresh.js';

/** Papers indexed per transaction by refresh(): a few seconds of work each. */
const REFRESH_CHUNK = 25_000;

/** Units in at least this many papers keep their counts until the index changes (see df). */
const KEPT_DF_MIN = 1_000;

export interface SqliteIndexOptions {
  weights?: FieldWeights;
  /** papers indexed before a search at most; the rest waits for the next search or refresh() */
  refreshBudget?: number;
  /** papers indexed per transaction by refresh(); 25,000 */
  refreshChunk?: number;
  /** units in at least this many papers keep their counts until the index changes (df); 1,000 */
  keptDfMin?: number;
  /** words in at least this many papers get a top list (sqlite-fts.top-lists.ts); false: none used or built */
  topLists?: { dfMin?: number; size?: number } | false;
}

export class SqliteFtsIndex implements SearchIndex {
  private readonly weights: FieldWeights;
  private readonly budget: number;
  private readonly chunk: number;
  private readonly keptDfMin: number;
  private readonly topLists: { dfMin: number; size: number } | null;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly dfCache = new Map<string, number>();
  /** document frequencies of the units of the search under way */
  private readonly unitDf = new Map<string, number>();
  /** document frequencies of common units (df), until the index changes (catchUp) */
  private readonly commonDf = new Map<string, number>();
  private dataVersion = -1;
  private readonly reads: IndexReads = {
    df: (u) => this.df(u),
    ranked: (m, n, need) => this.ranked(m, n, need),
    candidates: (units, n, need) => this.candidates(units, n, need),
    served: () => this.servedFromTopLists++,
  };
  /** searches (or groups of one) that the top lists spared reading every match: a figure for tests and benchmarks */
  servedFromTopLists = 0;

  constructor(
    private readonly store: PaperReads,
    private readonly db: Database.Database,
    opts: SqliteIndexOptions = {},
  ) {
    this.weights = opts.weights ?? FIELD_WEIGHTS;
    this.budget = opts.refreshBudget ?? 5000;
    this.chunk = Math.max(1, opts.refreshChunk ?? REFRESH_CHUNK);
    this.keptDfMin = opts.keptDfMin ?? KEPT_DF_MIN;
    this.topLists = opts.topLists === false ? null : { dfMin: opts.topLists?.dfMin ?? TOP_LIST_DF_MIN, size: opts.topLists?.size ?? TOP_LIST_SIZE };
  }

  /**
   * In transactions of refreshChunk papers at most, the event loop given a turn between them: the
   * write lock is held, and the write-ahead log grows, for one chunk at a time (the 2.7M-paper
   * archive indexed in one transaction held the lock for half an hour and left a 6 GB log,
   * decision 037). A whole refresh (no maxPapers) also brings the top lists up to date, once
   * nothing is pending.
   */
  async refresh(maxPapers?: number, onProgress?: (p: RefreshResult) => void): Promise<RefreshResult> {
    const most = maxPapers ?? Infinity;
    const r: RefreshResult = { indexed: 0, pending: 0 };
    for (;;) {
      const chunk = refreshFts(this.db, Math.min(this.chunk, most - r.indexed));
      r.indexed += chunk.indexed;
      r.pending = chunk.pending;
      if (chunk.indexed <= 0 || chunk.pending === 0 || r.indexed >= most) break;
      onProgress?.({ ...r });
      await new Promise((resolve) => setImmediate(resolve));
    }
    onProgress?.({ ...r });
    if (maxPapers === undefined && r.pending === 0 && this.topLists) await refreshTopLists(this.db, { weights: this.weights, ...this.topLists });
    return r;
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
    const { pending } = this.catchUp();
    const q = req.query;
    const filters = filtersOf(q);
    const units = queryUnits(q);
    if (units.length === 0) {
      if (isEmptyQuery(q)) return { hits: [], total: 0, totalIsEstimate: false, pending };
      return { ...(await this.filtersOnly(filters, req.limit, req.offset)), pending };
    }
    const papers = this.rowCount();
    // over the whole index, as bm25() counts it for its idf
    const kept = informativeUnits(units, papers, (u) => this.df(u));
    const n = onMatches(filters);
    const page =
      req.sort === 'date'
        ? this.newestFirst(anyOf(kept), filters, req.limit, req.offset)
        : bestFirstOf(kept, n, papers, req.offset + req.limit, this.reads).slice(req.offset);
    return { hits: await this.papers(page), ...this.total(kept, n, papers), pending };
  }

  async rank(req: IndexSearchRequest): Promise<IndexRanking> {
    const units = queryUnits(req.query);
    if (req.sort !== 'relevance' || units.length === 0) {
      const r = await this.search(req);
      return { ...r, hits: r.hits.map((h) => ({ id: h.paper.id, score: h.score })) };
    }
    const { pending } = this.catchUp();
    const papers = this.rowCount();
    const kept = informativeUnits(units, papers, (u) => this.df(u));
    const n = onMatches(filtersOf(req.query));
    const page = bestFirstOf(kept, n, papers, req.offset + req.limit, this.reads).slice(req.offset);
    return { hits: this.withIds(page).map((r) => ({ id: r.id, score: r.score })), ...this.total(kept, n, papers), pending };
  }

  async filterIds(ids: readonly string[], query: ParsedQuery): Promise<string[]> {
    if (ids.length === 0) return [];
    const n = onPapers(filtersOf(query));
    const pass = new Set(
      this.stmt(`SELECT p.id FROM papers p WHERE p.id IN (SELECT value FROM json_each(?)) AND p.deleted = 0 ${and(n)}`)
        .pluck()
        .all(JSON.stringify(ids), ...n.params) as string[],
    );
    return ids.filter((id) => pass.has(id));
  }

  async similar(id: string, limit: number): Promise<Paper[]> {
    this.catchUp();
    const paper = await this.store.getPaper(id);
    if (!paper || limit <= 0) return [];
    const cands = candidateTerms(paper.title, paper.abstract);
    const tokens = pickTerms(cands, this.documentFrequencies(cands.map((c) => c.stem)), this.rowCount());
    if (tokens.length === 0) return [];
    const q = similarityQuery(tokens);
    const rowid = (this.stmt('SELECT rowid FROM papers WHERE id = ?').get(id) as { rowid: number } | undefined)?.rowid;
    const narrowing: Narrowing = rowid === undefined ? NOWHERE : { where: ['+rowid <> ?'], params: [rowid] };
    const page = this.ranked(anyOf(queryUnits(q)), narrowing, limit);
    return (await this.papers(page)).map((h) => h.paper);
  }

  // ---- the ways through ----

  /** The top lists' candidates for a search of these units (sqlite-fts.top-lists.ts), or null. */
  private candidates(kept: QueryUnit[], n: Narrowing, need: number): Candidates | null {
    // a page deeper than half a list is not served from it: its cut would rarely be beaten
    if (!this.topLists || need > this.topLists.size / 2) return null;
    const plan = topListPlan(this.db, kept, (u) => this.df(u), this.topLists);
    if (!plan) return null;
    return { narrowing: also(n, '(+rowid IN (SELECT value FROM json_each(?)) OR +rowid > ?)', JSON.stringify(plan.rowids), plan.after), bounds: plan.bounds };
  }

  /** Best BM25 first; equal scores (core rankKey) by id, as on PostgreSQL. The first `need`. */
  private ranked(match: string, n: Narrowing, need: number): Ranked[] {
    const w = this.weights;
    const scored = `SELECT rowid, -bm25(papers_fts, ?, ?, ?) AS score FROM papers_fts WHERE papers_fts MATCH ? ${and(n)}`;
    const args = [w.title, w.abstract, w.authors, match, ...n.params];
    // fetch a little beyond the page: rows tied with its last one may sort before it by id
    const fetch = need + 16;
    // the ids joined to the few rows kept, in the same statement
    const rows = this.stmt(
      `SELECT s.rowid, s.score, coalesce(p.id, '') AS id FROM (${scored} ORDER BY score DESC LIMIT ?) s
       LEFT JOIN papers p ON p.rowid = s.rowid ORDER BY s.score DESC`,
    ).all(...args, fetch) as Ranked[];
    const last = rows[rows.length - 1];
    if (rows.length < fetch || !last || rankKey(last.score) < rankKey(rows[need - 1]!.score)) return rows.sort(byRelevance).slice(0, need);
    // more ties than that (words in half the papers all score ~1e-6): every row that may round
    // to the boundary's score, in one more pass, rather than fetching 4x, 16x… as many again
    const key = rankKey(rows[need - 1]!.score);
    const tied = this.stmt(`SELECT rowid, score FROM (${scored}) WHERE score >= ? ORDER BY score DESC`).all(
      ...args,
      key - Math.abs(key) * 2 ** -23,
    ) as Scored[];
    return this.withIds(tied).sort(byRelevance).slice(0, need);
  }

  /**
   * Newest listing day first, then id descending: papers walked in that order (an index) until
   * the page is full; their scores in one pass over the matches, bm25() computed for the page's
   * rows only. (Asking FTS5 for listed rowids instead re-reads every unit's whole doclist per row,
   * to recount its idf: 2.3 s for a page of "con*".)
   */
  private newestFirst(match: string, f: Filters, limit: number, offset: number): Scored[] {
    const n = onPapers(f);
    const rows = this.stmt(
      `SELECT p.rowid FROM papers p WHERE p.deleted = 0 AND +p.rowid ${IN_FTS} ${and(n)}
       ORDER BY p.day DESC, p.id DESC LIMIT ? OFFSET ?`,
    ).all(match, ...n.params, limit, offset) as { rowid: number }[];
    if (rows.length === 0) return [];
    const w = this.weights;
    const scores = new Map(
      (
        this.stmt(
          `SELECT rowid, -bm25(papers_fts, ?, ?, ?) AS score FROM papers_fts
           WHERE papers_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))`,
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
    return { hits: await this.papers(rows.map((r) => ({ rowid: r.rowid, score: 0 }))), total, totalIsEstimate: false };
  }

  /**
   * How many papers match: one unit's count is its document frequency; a few rare units are
   * counted; filtered queries are counted (filters make the estimate meaningless); the rest, where
   * counting means walking tens of thousands of rows, is estimated (core estimatedMatches).
   */
  private total(kept: QueryUnit[], n: Narrowing, papers: number): Pick<IndexResults, 'total' | 'totalIsEstimate'> {
    const filtered = n.where.length > 0;
    return matchTotal(
      papers,
      kept.map((u) => this.df(u)),
      filtered,
      () => (!filtered && kept.length === 1 ? this.df(kept[0]!) : this.count(anyOf(kept), n)),
    );
  }

  /**
   * Brings the index up to date (within the budget), and forgets the counts of common units when
   * the index may have changed: indexed here, or any commit by another connection (SQLite's
   * data_version; FTS5 changes only through refreshFts, here or there).
   */
  private catchUp(): RefreshResult {
    this.unitDf.clear();
    const r = refreshFts(this.db, this.budget);
    const version = this.stmt('PRAGMA data_version').pluck().get() as number;
    if (r.indexed > 0 || version !== this.dataVersion) {
      this.commonDf.clear();
      this.dataVersion = version;
    }
    return r;
  }

  /**
   * Papers holding the unit, over the whole index. A word's count is read from FTS5's vocabulary
   * (a few times cheaper than counting its matches); phrases and prefixes are counted. Reading
   * it walks the unit's whole doclist: ~1 ms for a word in half the papers ("model"), up to a
   * fifth of a search. So a count of KEPT_DF_MIN or more is kept until the index changes, as an
   * engine keeps its term statistics: the common units are the ones every other query holds.
   * Rarer counts, cheap to read, are kept for one search only, so that a benchmark repeating
   * its queries does not look faster than a reader's first search of a rare word.
   */
  private df(u: QueryUnit): number {
    const key = unitMatch(u);
    let v = this.unitDf.get(key) ?? this.commonDf.get(key);
    if (v === undefined) {
      v =
        u.kind === 'term'
          ? ((this.stmt('SELECT doc FROM papers_fts_vocab WHERE term = ?').get(stem(u.tokens[0]!)) as { doc: number } | undefined)?.doc ?? 0)
          : this.count(key, NOWHERE);
      this.unitDf.set(key, v);
      if (v >= this.keptDfMin) {
        if (this.commonDf.size >= 10_000) this.commonDf.clear();
        this.commonDf.set(key, v);
      }
    }
    return v;
  }

  // ---- helpers ----

  private count(match: string, n: Narrowing): number {
    return (this.stmt(`SELECT count(*) AS n FROM papers_fts WHERE papers_fts MATCH ? ${and(n)}`).get(match, ...n.params) as { n: number }).n;
  }

  /** Papers in the index: the first varint of FTS5's averages record (what bm25() itself uses as N). */
  private rowCount(): number {
    return averages(this.db).papers;
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

  /** The page's papers, in one read (ranked rows know their ids already). */
  private async papers(page: (Scored & { id?: string })[]): Promise<IndexResults['hits']> {
    const ids = page.every((r) => r.id !== undefined) ? new Map(page.map((r) => [r.rowid, r.id!])) : this.idsOf(page.map((r) => r.rowid));
    const papers = await this.store.getPapers([...ids.values()]);
    return page.flatMap((r) => {
      const paper = papers.get(ids.get(r.rowid) ?? '');
      return paper ? [{ paper, score: r.score }] : [];
    });
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }
}
