/**
 * Search: one use case for the web page, the API, feeds and the CLI. Parses the query (any input
 * is accepted), asks the index, highlights the hits the same way whatever the store, and says in
 * a sentence what the reader should know: what was ignored, why nothing matched.
 */
import { PaperboyError } from '../core/errors.js';
import { highlightHtml, highlightSpec, snippetHtml } from '../core/highlight.js';
import type { Paper } from '../core/paper.js';
import { isEmptyQuery, parseQuery, type ParsedQuery } from '../core/query.js';
import type { IndexResults, RefreshResult, SearchIndex, SearchSort } from '../ports/search-index.js';

export type SearchMode = 'keyword' | 'semantic' | 'hybrid';

export interface SearchRequest {
  q: string;
  mode?: SearchMode;
  sort?: SearchSort;
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  paper: Paper;
  score: number;
  /** the title, HTML-escaped, matched words in <mark> */
  titleHtml: string;
  /** the best ~30-word passage of the abstract, escaped and marked, "…" where cut */
  snippetHtml: string;
}

export interface SearchResults {
  q: string;
  query: ParsedQuery;
  mode: 'keyword';
  sort: SearchSort;
  limit: number;
  offset: number;
  total: number;
  /** total is an estimate (two significant digits): say "about" */
  totalIsEstimate: boolean;
  hits: SearchHit[];
  /** a helpful sentence for an empty result or a query whose parts were ignored */
  notice: string | null;
}

export const SEARCH_LIMITS = { defaultLimit: 20, maxLimit: 100, maxOffset: 10_000 } as const;

export class SearchService {
  constructor(private readonly index: SearchIndex) {}

  async search(req: SearchRequest): Promise<SearchResults> {
    const mode = req.mode ?? 'keyword';
    if (mode !== 'keyword')
      throw new PaperboyError('UNSUPPORTED', `${mode} search is not available yet: only keyword search (mode=keyword) is`);
    const sort: SearchSort = req.sort === 'date' ? 'date' : 'relevance';
    const limit = clampInt(req.limit, 1, SEARCH_LIMITS.maxLimit, SEARCH_LIMITS.defaultLimit);
    const offset = clampInt(req.offset, 0, SEARCH_LIMITS.maxOffset, 0);
    const query = parseQuery(req.q);
    const r: IndexResults = isEmptyQuery(query)
      ? { hits: [], total: 0, totalIsEstimate: false, pending: 0 }
      : await this.index.search({ query, sort, limit, offset });
    const spec = highlightSpec(query);
    return {
      q: req.q,
      query,
      mode: 'keyword',
      sort,
      limit,
      offset,
      total: r.total,
      totalIsEstimate: r.totalIsEstimate,
      hits: r.hits.map((h) => ({
        paper: h.paper,
        score: h.score,
        titleHtml: highlightHtml(h.paper.title, spec),
        snippetHtml: snippetHtml(h.paper.abstract, spec),
      })),
      notice: notice(req.q, query, r),
    };
  }

  /**
   * Indexes what was written since the last search (all of it by default): call after a bulk
   * ingest or a harvest, so that the next search need not catch up first.
   */
  refresh(maxPapers?: number): Promise<RefreshResult> {
    return this.index.refresh(maxPapers);
  }
}

function clampInt(v: number | undefined, min: number, max: number, fallback: number): number {
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(v)));
}

const EXAMPLES = 'words, a "phrase", a prefix* or a filter such as author:hinton, cat:cs.CL or year:2025';

/** What the reader should know about this result, in a sentence or three; null when nothing. */
export function notice(q: string, query: ParsedQuery, r: IndexResults): string | null {
  const parts: string[] = [];
  if (query.ignored.length > 0)
    parts.push(`Ignored: ${query.ignored.map((i) => `“${i.text}” (${i.reason})`).join('; ')}.`);
  if (isEmptyQuery(query)) parts.push(q.trim() === '' ? `Type ${EXAMPLES}.` : `Nothing to search for here: type ${EXAMPLES}.`);
  else if (r.total === 0) parts.push(noMatch(query));
  if (r.pending > 0) parts.push(`${r.pending} recently added papers are still being indexed and may be missing.`);
  return parts.length > 0 ? parts.join(' ') : null;
}

function noMatch(query: ParsedQuery): string {
  const { from, to, authors, categories } = query.filters;
  if (from !== null && to !== null && from > to) return `No papers: the date range ${from} to ${to} is empty.`;
  const filtered = from !== null || to !== null || authors.length > 0 || categories.length > 0;
  return `No papers match. Try other or fewer words${filtered ? ', or drop a filter' : ''}.`;
}
