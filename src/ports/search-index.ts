/**
 * Keyword search over the stored papers (issue 3). Adapters: SQLite FTS5 and PostgreSQL
 * (adapters/search), both ranking by the same BM25 (core/bm25.ts), title weighted above abstract,
 * behind this one port. Highlighting is not the index's job: the service does it the same way
 * for both (core/highlight.ts).
 */
import type { Paper } from '../core/paper.js';
import type { ParsedQuery } from '../core/query.js';
import type { TermStats } from '../core/related.js';

export type SearchSort = 'relevance' | 'date';

export interface IndexSearchRequest {
  query: ParsedQuery;
  /** relevance: best BM25 first, ties by id; date: newest listing day first, then id descending */
  sort: SearchSort;
  limit: number;
  offset: number;
}

export interface IndexHit {
  paper: Paper;
  /** BM25, higher is better; 0 for a query of filters only */
  score: number;
}

export interface IndexResults {
  hits: IndexHit[];
  /** all matches, not just this page; an estimate when totalIsEstimate */
  total: number;
  /**
   * total is an estimate (two significant digits), made when counting every match exactly would
   * cost more than finding the page; readers are told "about 12,000 results"
   */
  totalIsEstimate: boolean;
  /** papers written to the store but not searchable yet (the index is catching up) */
  pending: number;
}

/** A keyword ranking without its papers: what hybrid search fuses. */
export interface IndexRanking extends Omit<IndexResults, 'hits'> {
  hits: { id: string; score: number }[];
}

export interface RefreshResult {
  /** papers (re)indexed or removed by this call */
  indexed: number;
  /** changes still waiting (more than the budget, or another process is indexing) */
  pending: number;
}

export interface SearchIndex {
  /** Searches; first indexes what changed since the last call, up to a small budget. */
  search(req: IndexSearchRequest): Promise<IndexResults>;
  /** The same search's ids and scores only, no paper read: hybrid search fuses a deep list and shows a page of it. */
  rank(req: IndexSearchRequest): Promise<IndexRanking>;
  /**
   * The ids among `ids` that are live, indexed, and pass the query's filters (dates, categories,
   * authors) and exclusions, in the order given: what semantic search asks of its candidates, so
   * that every mode filters as keyword search does. Its words are not matched. One read.
   */
  filterIds(ids: readonly string[], query: ParsedQuery): Promise<string[]>;
  /** Papers like this one (by its title and abstract words), best first, itself excluded. */
  similar(id: string, limit: number): Promise<Paper[]>;
  /**
   * How many papers the index holds and how many hold each stem (the tokens of core/tokenize.ts):
   * the archive's word statistics, read whole, for computing related papers.
   */
  termStats(): Promise<TermStats>;
  /**
   * Brings the index up to date with the papers written since (all of them by default, or at
   * most `maxPapers`). Writes record what changed; the indexing itself runs here, in bulk, outside
   * the writers' transactions: call it after a large ingest so that the first search is fast.
   * A large backlog is indexed in transactions of bounded size, onProgress told after each.
   */
  refresh(maxPapers?: number, onProgress?: (p: RefreshResult) => void): Promise<RefreshResult>;
}
