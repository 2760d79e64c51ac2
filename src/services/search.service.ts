/**
 * Search: one use case for the web page, the API, feeds and the CLI. Parses the query (any input
 * is accepted), asks the keyword index, the vectors (a SemanticRetriever) or both, highlights
 * the hits the same way whatever the store, says why each matched, and says in a sentence what
 * the reader should know: what was ignored, why nothing matched, that search fell back to
 * keywords. Modes and their costs: docs/decisions/024-search-modes.md.
 *
 * - keyword: the index's BM25 ranking, paged as deep as SEARCH_LIMITS.maxOffset.
 * - semantic: the papers nearest the query's words in meaning, filtered by the query's filters
 *   in the store (oversampling until the list is full or SEMANTIC_MAX_K is reached).
 * - hybrid (the default): the keyword and semantic top MEANING_DEPTH fused (core/fusion.ts).
 *   Without vectors it is keyword search, said in `fallback`; never an error.
 * Semantic and hybrid rank a fixed depth, the same for every page, so pages never repeat or
 * skip a paper; their totals count that list.
 */
import { PaperboyError } from '../core/errors.js';
import { fuseHybrid } from '../core/fusion.js';
import { highlightHtml, highlightSpec, snippetHtml } from '../core/highlight.js';
import { paperDay, type Paper } from '../core/paper.js';
import { isEmptyQuery, parseQuery, queryUnits, type ParsedQuery } from '../core/query.js';
import { sentences } from '../core/sentences.js';
import type { PaperReads } from '../ports/paper-reads.js';
import type { IndexResults, RefreshResult, SearchIndex, SearchSort } from '../ports/search-index.js';
import { NO_SEMANTIC, SEMANTIC_MAX_K, type GivenNeighbours, type SemanticRetriever } from './semantic-retriever.js';

export type SearchMode = 'keyword' | 'semantic' | 'hybrid';
export const SEARCH_MODES: readonly SearchMode[] = ['keyword', 'semantic', 'hybrid'];
export const DEFAULT_SEARCH_MODE: SearchMode = 'hybrid';

/** Why a hit is in the results: its words, its meaning, or both. */
export type MatchKind = 'keyword' | 'semantic' | 'both';

export interface SearchRequest {
  q: string;
  mode?: SearchMode;
  sort?: SearchSort;
  limit?: number;
  offset?: number;
}

export interface SearchHit {
  paper: Paper;
  /** BM25 (keyword), cosine similarity (semantic) or the fused score (hybrid); higher is better */
  score: number;
  match: MatchKind;
  /** the title, HTML-escaped, matched words in <mark> */
  titleHtml: string;
  /** the best ~30-word passage of the abstract, escaped and marked, "…" where cut */
  snippetHtml: string;
  /** for a hit found by meaning only: the abstract's sentence closest to the query (plain text) */
  closestSentence: string | null;
}

export interface SearchResults {
  q: string;
  query: ParsedQuery;
  /** the mode that ran: hybrid falls back to keyword where there are no embeddings */
  mode: SearchMode;
  /** the mode asked for (the default when none was) */
  requestedMode: SearchMode;
  /** why the mode that ran is not the one asked for, in a sentence; null when it is */
  fallback: string | null;
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

export const SEARCH_LIMITS = {
  defaultLimit: 20,
  maxLimit: 100,
  maxOffset: 10_000,
  /** how deep semantic and hybrid search rank (each list): results past it are not offered */
  meaningDepth: 100,
  /** hits of a page whose closest sentence is found (each embeds up to 12 sentences) */
  closestSentenceHits: 25,
} as const;

/** The store reads search needs besides the index: a page's papers, by id. */
export type SearchPapers = Pick<PaperReads, 'getPapers'>;

interface Ranked {
  id: string;
  score: number;
  match: MatchKind;
}

export interface SearchServiceOptions {
  semantic?: SemanticRetriever;
  /**
   * Runs a keyword search whole elsewhere (serve: on the read pool, highlighting included), so
   * that a keyword search, and a hybrid one without vectors, costs this thread nothing.
   */
  keyword?: (req: SearchRequest & { mode: 'keyword' }) => Promise<SearchResults>;
  /**
   * Runs a semantic or hybrid search elsewhere (serve: in one read-pool call) from the neighbours
   * found here; null when it needed more of them, and the search runs here instead. The closest
   * sentences, which need the embedder, are found here.
   */
  meaning?: (req: SearchRequest & { mode: 'semantic' | 'hybrid' }, given: GivenNeighbours) => Promise<SearchResults | null>;
}

export class SearchService {
  private readonly semantic: SemanticRetriever;

  constructor(
    private readonly index: Pick<SearchIndex, 'search' | 'rank' | 'filterIds' | 'refresh'>,
    private readonly papers: SearchPapers,
    private readonly opts: SearchServiceOptions = {},
  ) {
    this.semantic = opts.semantic ?? NO_SEMANTIC;
  }

  async search(req: SearchRequest): Promise<SearchResults> {
    const requestedMode = req.mode ?? DEFAULT_SEARCH_MODE;
    if (!SEARCH_MODES.includes(requestedMode))
      throw new PaperboyError('UNSUPPORTED', `mode must be one of ${SEARCH_MODES.join(', ')}, not ${JSON.stringify(requestedMode)}`);
    const sort: SearchSort = req.sort === 'date' ? 'date' : 'relevance';
    const limit = clampInt(req.limit, 1, SEARCH_LIMITS.maxLimit, SEARCH_LIMITS.defaultLimit);
    const query = parseQuery(req.q);
    const text = meaningText(query);
    const status = this.semantic.status();
    let mode = requestedMode;
    let fallback: string | null = null;
    if (requestedMode === 'semantic' && !status.ready)
      throw new PaperboyError(
        'UNSUPPORTED',
        `semantic search is not available here: ${status.reason ?? 'no embeddings'}. Search with mode=keyword or mode=hybrid`,
      );
    if (requestedMode === 'hybrid' && !status.ready) {
      mode = 'keyword';
      fallback = `Searched by keywords only: search by meaning is not available (${status.reason ?? 'no embeddings'}).`;
    }
    if (mode !== 'keyword' && text === '') {
      // filters alone (author:…, cat:…): nothing to compare by meaning, so the papers they list
      mode = 'keyword';
      if (!isEmptyQuery(query)) fallback = 'Listed by the filters alone: there were no words to search by meaning.';
    }
    const maxOffset = mode === 'keyword' ? SEARCH_LIMITS.maxOffset : Math.max(0, SEARCH_LIMITS.meaningDepth - 1);
    const offset = clampInt(req.offset, 0, maxOffset, 0);
    const base = { q: req.q, query, mode, requestedMode, fallback, sort, limit, offset };
    if (mode === 'keyword' && this.opts.keyword) {
      const r = await this.opts.keyword({ q: req.q, mode: 'keyword', sort, limit, offset });
      return { ...r, ...base };
    }
    if (mode === 'keyword') {
      const r: IndexResults = isEmptyQuery(query)
        ? { hits: [], total: 0, totalIsEstimate: false, pending: 0 }
        : await this.index.search({ query, sort, limit, offset });
      const spec = highlightSpec(query);
      return {
        ...base,
        total: r.total,
        totalIsEstimate: r.totalIsEstimate,
        hits: r.hits.map((h) => ({
          paper: h.paper,
          score: h.score,
          match: 'keyword',
          titleHtml: highlightHtml(h.paper.title, spec),
          snippetHtml: snippetHtml(h.paper.abstract, spec),
          closestSentence: null,
        })),
        notice: notice(req.q, query, r),
      };
    }
    if (this.opts.meaning) {
      const k = firstRound(query);
      const given = { k, hits: await this.semantic.search(text, k) };
      const r = await this.opts.meaning({ q: req.q, mode, sort, limit, offset }, given);
      if (r) return { ...r, ...base, hits: await this.withClosestSentences(r.hits, text) };
    }
    const { ranked, pending } = mode === 'semantic' ? { ranked: await this.bySemantic(text, query), pending: 0 } : await this.byHybrid(text, query);
    const page = await this.page(ranked, sort, offset, limit);
    const hits = await this.hits(page, query, text);
    return {
      ...base,
      total: ranked.length,
      totalIsEstimate: false,
      hits,
      notice: notice(req.q, query, { hits: [], total: ranked.length, totalIsEstimate: false, pending }),
    };
  }

  /**
   * Indexes what was written since the last search (all of it by default): call after a bulk
   * ingest or a harvest, so that the next search need not catch up first.
   */
  refresh(maxPapers?: number, onProgress?: (p: RefreshResult) => void): Promise<RefreshResult> {
    return this.index.refresh(maxPapers, onProgress);
  }

  /**
   * The query's nearest papers that pass its filters, best first, up to the depth: candidates are
   * checked in the store, and more asked for (four times as many each round, at most
   * SEMANTIC_MAX_K) while filters leave the list short and the vectors have more.
   */
  private async bySemantic(text: string, query: ParsedQuery): Promise<Ranked[]> {
    const depth = SEARCH_LIMITS.meaningDepth;
    for (let k = firstRound(query); ; k = Math.min(SEMANTIC_MAX_K, k * 4)) {
      const hits = await this.semantic.search(text, k);
      const pass = new Set(await this.index.filterIds(hits.map((h) => h.id), query));
      // no similarity, or the opposite of it, is no match however few papers there are
      const kept = hits.filter((h) => h.score > 0 && pass.has(h.id));
      if (kept.length >= depth || hits.length < k || k >= SEMANTIC_MAX_K)
        return kept.slice(0, depth).map((h) => ({ id: h.id, score: h.score, match: 'semantic' }));
    }
  }

  /** The keyword and semantic lists, each to the depth, fused. */
  private async byHybrid(text: string, query: ParsedQuery): Promise<{ ranked: Ranked[]; pending: number }> {
    const depth = SEARCH_LIMITS.meaningDepth;
    const [keyword, semantic] = await Promise.all([
      this.index.rank({ query, sort: 'relevance', limit: depth, offset: 0 }),
      this.bySemantic(text, query),
    ]);
    const inKeyword = new Set(keyword.hits.map((h) => h.id));
    const inSemantic = new Set(semantic.map((h) => h.id));
    const fused = fuseHybrid(
      keyword.hits,
      semantic,
      { limit: depth },
    );
    return {
      ranked: fused.map((h) => ({
        id: h.id,
        score: h.score,
        match: inKeyword.has(h.id) ? (inSemantic.has(h.id) ? 'both' : 'keyword') : 'semantic',
      })),
      pending: keyword.pending,
    };
  }

  /** A page of the ranked list, by rank or newest first (the listing day, then id, descending, as the indexes sort). */
  private async page(ranked: Ranked[], sort: SearchSort, offset: number, limit: number): Promise<Array<Ranked & { paper: Paper }>> {
    if (sort === 'relevance') {
      const slice = ranked.slice(offset, offset + limit);
      const papers = await this.papers.getPapers(slice.map((r) => r.id));
      return slice.flatMap((r) => {
        const paper = papers.get(r.id);
        return paper ? [{ ...r, paper }] : [];
      });
    }
    // newest first needs every paper's day: the list is at most the depth, read once
    const papers = await this.papers.getPapers(ranked.map((r) => r.id));
    const all = ranked.flatMap((r) => {
      const paper = papers.get(r.id);
      return paper ? [{ ...r, paper, day: paperDay(paper) ?? '' }] : [];
    });
    all.sort((a, b) => (a.day !== b.day ? (a.day < b.day ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return all.slice(offset, offset + limit);
  }

  /** Highlighted hits; those found by meaning alone say which sentence of the abstract is closest. */
  private async hits(page: Array<Ranked & { paper: Paper }>, query: ParsedQuery, text: string): Promise<SearchHit[]> {
    const spec = highlightSpec(query);
    const hits = page.map((h) => ({
      paper: h.paper,
      score: h.score,
      match: h.match,
      titleHtml: highlightHtml(h.paper.title, spec),
      snippetHtml: snippetHtml(h.paper.abstract, spec),
      closestSentence: null,
    }));
    return this.withClosestSentences(hits, text);
  }

  /** The hits, those found by meaning alone with the abstract's sentence closest to the query (where the embedder is). */
  private async withClosestSentences(hits: SearchHit[], text: string): Promise<SearchHit[]> {
    const wanted = hits.filter((h) => h.match === 'semantic').slice(0, SEARCH_LIMITS.closestSentenceHits);
    if (wanted.length === 0 || !this.semantic.closestSentences) return hits;
    const docs = wanted.map((h) => sentences(h.paper.abstract));
    const best = await this.semantic.closestSentences(text, docs);
    const closest = new Map<string, string>();
    wanted.forEach((h, i) => {
      const b = best[i];
      const s = b ? docs[i]![b.index] : undefined;
      if (s !== undefined) closest.set(h.paper.id, s);
    });
    return hits.map((h) => (closest.has(h.paper.id) ? { ...h, closestSentence: closest.get(h.paper.id)! } : h));
  }
}

/** Neighbours asked for first: a quarter more than the depth (deleted and unindexed papers drop out), four times it with filters. */
function firstRound(query: ParsedQuery): number {
  const depth = SEARCH_LIMITS.meaningDepth;
  return hasFilters(query) ? depth * 4 : depth + depth / 4;
}

/** What is compared by meaning: the words, phrases and prefixes searched for, without filters or exclusions. */
export function meaningText(query: ParsedQuery): string {
  return queryUnits(query)
    .map((u) => u.tokens.join(' '))
    .join(' ');
}

function hasFilters(query: ParsedQuery): boolean {
  const f = query.filters;
  return f.from !== null || f.to !== null || f.authors.length > 0 || f.categories.length > 0 || queryUnits(query.exclude).length > 0;
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
