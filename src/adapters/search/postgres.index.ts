/**
 * Keyword search on PostgreSQL with the same ranking as SQLite's FTS5: postings written by the
 * indexer (postgres-indexer.ts), read for the query's terms on one consistent view of the index,
 * scored in TypeScript by the core's BM25 (postgres-matcher.ts). Postings read once are kept in
 * the process (postgres-postings-cache.ts): a search of words seen before reads the index's
 * counts in one statement and nothing else of the index. Dates and categories are filtered, and
 * date order sorted, in SQL on search_docs. Why not ts_rank: docs/decisions/004-bm25-on-postgresql.md.
 */
import { FIELD_WEIGHTS, informativeUnits, matchTotal, type FieldWeights } from '../../core/bm25.js';
import type { Paper } from '../../core/paper.js';
import { isEmptyQuery, queryUnits, type ParsedQuery } from '../../core/query.js';
import { candidateTerms, pickTerms, similarityQuery } from '../../core/similar.js';
import type { TermStats } from '../../core/related.js';
import type { PaperReads } from '../../ports/paper-reads.js';
import type { IndexRanking, IndexResults, IndexSearchRequest, RefreshResult, SearchIndex } from '../../ports/search-index.js';
import type { PgClient, PgQuery } from '../db/pg-client.js';
import { PostgresIndexer } from './postgres-indexer.js';
import { Matcher } from './postgres-matcher.js';
import { needsOf, PostingsCache, readStats, type IndexStats, type Need } from './postgres-postings-cache.js';
import {
  bestFirst,
  DocIds,
  documentFrequencies,
  hasSqlFilters,
  newestFirst,
  pick,
  postingFilters,
  sqlConditions,
  sqlFiltered,
  type Page,
} from './postgres-queries.js';


export interface PostgresIndexOptions {
  weights?: FieldWeights;
  /** papers indexed before a search at most; the rest waits for the next search or refresh() */
  refreshBudget?: number;
  /** bytes of postings kept in the process between searches (64 MB) */
  postingsCacheBytes?: number;
}

export class PostgresIndex implements SearchIndex {
  private readonly indexer: PostgresIndexer;
  private readonly weights: FieldWeights;
  private readonly budget: number;
  private readonly postings: PostingsCache;
  private readonly docIds = new DocIds();

  constructor(
    private readonly store: PaperReads,
    private readonly db: PgClient,
    opts: PostgresIndexOptions = {},
  ) {
    this.indexer = new PostgresIndexer(db);
    this.weights = opts.weights ?? FIELD_WEIGHTS;
    // ~0.4 s of indexing at most in front of a search; a bulk ingest should call refresh() itself
    this.budget = opts.refreshBudget ?? 1000;
    this.postings = new PostingsCache(opts.postingsCacheBytes, () => this.docIds.clear());
  }

  refresh(maxPapers?: number, onProgress?: (p: RefreshResult) => void): Promise<RefreshResult> {
    return this.indexer.refresh(maxPapers, onProgress);
  }

  async search(req: IndexSearchRequest): Promise<IndexResults> {
    const { page, pending } = await this.ranked(req);
    return { hits: await this.papers(page.rows), total: page.total, totalIsEstimate: page.totalIsEstimate ?? false, pending };
  }

  /** Document frequencies from the postings' counts (dead docs included: approximate, as similar() is). */
  async termStats(): Promise<TermStats> {
    return this.snapshot(async (q) => {
      const [stats] = await q.query<{ docs: number }>('SELECT docs::int AS docs FROM search_stats WHERE id = 1');
      const rows = await q.query<{ term: string; n: number }>('SELECT term, sum(n)::int AS n FROM search_postings GROUP BY term');
      return { papers: stats?.docs ?? 0, df: new Map(rows.map((r) => [r.term, r.n])) };
    });
  }

  async rank(req: IndexSearchRequest): Promise<IndexRanking> {
    const { page, pending } = await this.ranked(req);
    return { hits: page.rows.map((r) => ({ id: r.paperId, score: r.score })), total: page.total, totalIsEstimate: page.totalIsEstimate ?? false, pending };
  }

  /** A search's page, the queue indexed first (up to the budget), as search() and rank() answer it. */
  private async ranked(req: IndexSearchRequest): Promise<{ page: Page; pending: number }> {
    let stats = await readStats(this.db);
    let pending = 0;
    if (stats.queued) {
      pending = (await this.indexer.refresh(this.budget)).pending;
      stats = await readStats(this.db);
    }
    if (isEmptyQuery(req.query)) return { page: { rows: [], total: 0 }, pending };
    const units = queryUnits(req.query);
    const excluded = queryUnits(req.query.exclude);
    const needs = needsOf([...units, ...excluded], req.query.filters.authors);
    const page = await this.view(stats, needs, (q, s, m) => this.run(q, s, m, req.query, req.sort, req.limit, req.offset));
    return { page, pending };
  }

  /**
   * Runs fn on one consistent view of the index: stats, and a Matcher over the postings needs
   * asks for. When every posting is kept already, stats (one statement) is that view; otherwise
   * the postings are read in a snapshot with the stats read again in it.
   */
  private async view<T>(stats: IndexStats, needs: Need[], fn: (q: PgQuery, stats: IndexStats, m: Matcher) => Promise<T>): Promise<T> {
    const go = async (q: PgQuery, s: IndexStats, mark?: number) => fn(q, s, await this.matcher(q, s, needs, mark));
    if (this.postings.covers(needs, stats.segs)) return go(this.db, stats);
    const mark = this.postings.mark();
    return this.snapshot(async (q) => go(q, await readStats(q), mark));
  }

  /** A Matcher over the postings needs asks for, in the view stats describes (q reads that view; mark: see PostingsCache.rows). */
  private async matcher(q: PgQuery, stats: IndexStats, needs: Need[], mark?: number): Promise<Matcher> {
    return new Matcher(await this.postings.rows(q, needs, stats.segs, mark), new Set(stats.dead), this.weights);
  }

  async filterIds(ids: readonly string[], query: ParsedQuery): Promise<string[]> {
    if (ids.length === 0) return [];
    const excluded = queryUnits(query.exclude);
    const filtered = async (q: PgQuery) => {
      const c = sqlConditions(query, 2);
      return q.query<{ doc: number; paper_id: string }>(
        `SELECT d.doc, d.paper_id FROM search_docs d WHERE d.paper_id = ANY($1::text[]) AND d.live AND ${c.where}`,
        [[...ids], ...c.params],
      );
    };
    // authors and exclusions from the postings, as a keyword search answers them
    const pass =
      excluded.length === 0 && query.filters.authors.length === 0
        ? new Set((await filtered(this.db)).map((r) => r.paper_id))
        : await this.view(await readStats(this.db), needsOf(excluded, query.filters.authors), async (q, _, m) => {
            const narrowing = postingFilters(m, query, excluded);
            return new Set((await filtered(q)).filter((r) => narrowing.allows(r.doc)).map((r) => r.paper_id));
          });
    return ids.filter((id) => pass.has(id));
  }

  async similar(id: string, limit: number): Promise<Paper[]> {
    await this.indexer.refresh(this.budget);
    const paper = await this.store.getPaper(id);
    if (!paper || limit <= 0) return [];
    const cands = candidateTerms(paper.title, paper.abstract);
    const mark = this.postings.mark();
    const page = await this.snapshot(async (q) => {
      const stats = await readStats(q);
      const tokens = pickTerms(cands, await documentFrequencies(q, cands.map((c) => c.stem)), stats.docs);
      if (tokens.length === 0) return { rows: [], total: 0 };
      const query = similarityQuery(tokens);
      return this.run(q, stats, await this.matcher(q, stats, needsOf(queryUnits(query), []), mark), query, 'relevance', limit + 1, 0);
    });
    return (await this.papers(page.rows.filter((r) => r.paperId !== id).slice(0, limit))).map((h) => h.paper);
  }

  /** Runs fn on one consistent, read-only view of the index. */
  private snapshot<T>(fn: (q: PgQuery) => Promise<T>): Promise<T> {
    return this.db.transaction(fn, { snapshot: true });
  }

  private async run(
    q: PgQuery,
    stats: IndexStats,
    m: Matcher,
    query: ParsedQuery,
    sort: IndexSearchRequest['sort'],
    limit: number,
    offset: number,
  ): Promise<Page> {
    const units = queryUnits(query);
    const excluded = queryUnits(query.exclude);
    const narrowing = postingFilters(m, query, excluded);
    if (units.length === 0) return newestFirst(q, query, narrowing, null, limit, offset);
    const kept = informativeUnits(units, stats.docs, (u) => m.df(u));
    const narrowed = narrowing.among !== null || narrowing.excluded.length > 0;
    const filtered = narrowed || hasSqlFilters(query);
    // only the best need: the docs that cannot reach them go unscored, unless filters may drop those that can
    const all = m.scores(kept, stats.docs, stats.tokens / Math.max(1, stats.docs), sort === 'relevance' && !filtered ? offset + limit : Infinity);
    const matched = narrowed ? pick(all, all.docs.map((d) => (narrowing.allows(d) ? 1 : 0))) : all;
    const page =
      sort === 'date'
        ? await newestFirst(q, query, { among: [...matched.docs], excluded: [] }, matched, limit, offset)
        : await bestFirst(q, this.docIds, hasSqlFilters(query) ? pick(matched, await sqlFiltered(q, matched.docs, query)) : matched, limit, offset);
    // the count every store reports (exact here, where it is free, only when SQLite's would be)
    const total = filtered ? page.total : all.matched;
    return { ...page, ...matchTotal(stats.docs, kept.map((u) => m.df(u)), filtered, () => total) };
  }

  /** The page's papers, in one query. */
  private async papers(rows: Page['rows']): Promise<IndexResults['hits']> {
    const papers = await this.store.getPapers(rows.map((r) => r.paperId));
    return rows.flatMap((r) => {
      const paper = papers.get(r.paperId);
      return paper ? [{ paper, score: r.score }] : [];
    });
  }
}
