/**
 * The arXiv API (export.arxiv.org/api/query) as a paged, resumable source, in two modes:
 *
 * - a query paged by offset, cursor {start}: from start on, max_results at a time, until the
 *   OpenSearch totalResults or maxResults is reached. Sorted ascending, continuing from {start}
 *   on a later run fetches only what was added since.
 * - incremental, cursor {since}: sorted by lastUpdatedDate descending, pages until the first
 *   entry not newer than `since`, then saves the newest updatedAt seen as the next `since`.
 *
 * arXiv sometimes answers a page before the end with no entries; such a page is asked for again
 * a few times before the source gives up. The HTTP client keeps the ≥ 3 s between calls.
 */
import * as z from 'zod';
import { InputUnusableError, PaperboyError } from '../../core/errors.js';
import type { PaperRecord } from '../../core/paper.js';
import type { HarvestPage, HarvestSource } from '../../ports/source.js';
import type { HttpResponse, PoliteHttpClient } from '../http/polite-client.js';
import { parseArxivAtom, type AtomPage } from './arxiv-atom.parser.js';

export const ARXIV_API_URL = 'https://export.arxiv.org/api/query';
/** arXiv's manual: at most 2000 results per call */
export const ARXIV_API_MAX_PAGE = 2000;

export interface ArxivApiQueryOptions {
  name: string;
  baseUrl?: string;
  /** e.g. "cat:cs.CL AND ti:transformer" */
  searchQuery: string;
  /** results per call (default 100, at most 2000) */
  pageSize?: number;
  /** never go past this many results (counted from the first result of the query, or of an incremental pass) */
  maxResults?: number | null;
  sortBy?: 'submittedDate' | 'lastUpdatedDate' | 'relevance';
  sortOrder?: 'ascending' | 'descending';
  /** turns on incremental mode for the first run (needs lastUpdatedDate, descending): the `since` to start from */
  initialSince?: string | null;
  /** how many times an empty page before the end is asked for again (default 3) */
  emptyPageRetries?: number;
  http: PoliteHttpClient;
}

/** Offset mode: the next result to ask for. */
export interface ArxivApiOffsetCursor {
  start: number;
}

/** Incremental mode; `start` and `newest` are only set while a pass is under way. */
export interface ArxivApiSinceCursor {
  since: string;
  start?: number;
  newest?: string | null;
}

export type ArxivApiCursor = ArxivApiOffsetCursor | ArxivApiSinceCursor;

const cursorSchema = z.union([
  z.object({ since: z.string(), start: z.number().int().min(0).optional(), newest: z.string().nullable().optional() }),
  z.object({ start: z.number().int().min(0) }),
]);

/** arXiv's error feed (bad query syntax, bad id) is not transient: fail at once instead of retrying. */
const API_ERROR = /arxiv\.org\/api\/errors/i;

interface FetchedPage {
  url: string;
  page: AtomPage;
  /** entries on the page, usable or not */
  entries: number;
}

export class ArxivApiQuery implements HarvestSource {
  readonly name: string;
  private readonly pageSize: number;

  constructor(private readonly opts: ArxivApiQueryOptions) {
    this.name = opts.name;
    this.pageSize = opts.pageSize ?? 100;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > ARXIV_API_MAX_PAGE)
      throw new PaperboyError('CONFIG_INVALID', `${opts.name}: page size ${this.pageSize} is not within 1..${ARXIV_API_MAX_PAGE}`);
  }

  async *pages(cursor: unknown, signal?: AbortSignal): AsyncIterable<HarvestPage> {
    const c = this.readCursor(cursor);
    if ('since' in c) yield* this.incremental(c, signal);
    else yield* this.byOffset(c.start, signal);
  }

  private async *byOffset(from: number, signal?: AbortSignal): AsyncGenerator<HarvestPage> {
    for (let start = from; this.below(start); ) {
      const { url, page, entries } = await this.fetchPage(start, signal);
      const next = start + entries;
      yield { label: label(start, next, page, url), records: page.records, errors: page.errors, cursor: { start: next } };
      if (this.finished(page, start, entries)) return;
      start = next;
    }
  }

  private async *incremental(c: ArxivApiSinceCursor, signal?: AbortSignal): AsyncGenerator<HarvestPage> {
    if (this.opts.sortBy !== 'lastUpdatedDate' || this.opts.sortOrder !== 'descending')
      throw new PaperboyError('CONFIG_INVALID', `${this.name}: incremental harvesting needs sortBy lastUpdatedDate, descending`);
    const sinceMs = Date.parse(c.since);
    if (Number.isNaN(sinceMs)) throw new PaperboyError('CONFIG_INVALID', `${this.name}: since ${JSON.stringify(c.since)} is not a timestamp`);
    let newest = c.newest ?? null;
    for (let start = c.start ?? 0; this.below(start); ) {
      const { url, page, entries } = await this.fetchPage(start, signal);
      const fresh = newerThan(page.records, sinceMs);
      for (const r of fresh) newest = later(newest, r.updatedAt ?? null);
      const next = start + entries;
      const done = fresh.length < page.records.length || this.finished(page, start, entries) || !this.below(next);
      const cursor: ArxivApiSinceCursor = done ? { since: newest ?? c.since } : { since: c.since, start: next, newest };
      yield { label: label(start, next, page, url), records: fresh, errors: page.errors, cursor };
      if (done) return;
      start = next;
    }
  }

  private below(start: number): boolean {
    return this.opts.maxResults === null || this.opts.maxResults === undefined || start < this.opts.maxResults;
  }

  /** The last page: nothing came, the total is reached, or (no total given) a short page. */
  private finished(page: AtomPage, start: number, entries: number): boolean {
    if (entries === 0) return true;
    if (page.totalResults !== null) return start + entries >= page.totalResults;
    return entries < this.requestSize(start);
  }

  private requestSize(start: number): number {
    const max = this.opts.maxResults;
    return max === null || max === undefined ? this.pageSize : Math.max(0, Math.min(this.pageSize, max - start));
  }

  /** Fetches a page, asking again when arXiv answers empty before the total is reached. */
  private async fetchPage(start: number, signal?: AbortSignal): Promise<FetchedPage> {
    const url = this.queryUrl(start);
    const tries = (this.opts.emptyPageRetries ?? 3) + 1;
    for (let attempt = 1; ; attempt++) {
      const page = await this.opts.http.getParsed(url, (res) => parseOrFail(res, url), signal);
      const entries = page.records.length + page.errors.length;
      const spurious = entries === 0 && page.totalResults !== null && start < page.totalResults;
      if (!spurious) return { url, page, entries };
      if (attempt >= tries)
        throw new PaperboyError(
          'SOURCE_FAILED',
          `${this.name}: ${url}: empty page at result ${start} of ${page.totalResults}, ${attempt} times`,
        );
    }
  }

  private queryUrl(start: number): string {
    const url = new URL(this.opts.baseUrl ?? ARXIV_API_URL);
    url.searchParams.set('search_query', this.opts.searchQuery);
    url.searchParams.set('start', String(start));
    url.searchParams.set('max_results', String(this.requestSize(start)));
    url.searchParams.set('sortBy', this.opts.sortBy ?? 'submittedDate');
    url.searchParams.set('sortOrder', this.opts.sortOrder ?? 'descending');
    return url.toString();
  }

  private readCursor(cursor: unknown): ArxivApiCursor {
    if (cursor === null || cursor === undefined)
      return this.opts.initialSince ? { since: this.opts.initialSince } : { start: 0 };
    const parsed = cursorSchema.safeParse(cursor);
    if (!parsed.success) throw new PaperboyError('SOURCE_FAILED', `${this.name}: saved cursor unreadable`);
    return parsed.data;
  }
}

function parseOrFail(res: HttpResponse, url: string): AtomPage {
  const text = res.body.toString('utf8');
  try {
    return parseArxivAtom(text, url);
  } catch (e) {
    if (e instanceof InputUnusableError && API_ERROR.test(text))
      throw new PaperboyError('SOURCE_FAILED', `${url}: arXiv refused the query: ${e.reason}`, { cause: e });
    throw e; // anything else unusable (an HTML page, a cut body) is retried by the client
  }
}

/** The records updated after `sinceMs`, up to the first that is not (the list is newest first). */
function newerThan(records: PaperRecord[], sinceMs: number): PaperRecord[] {
  const stop = records.findIndex((r) => r.updatedAt && Date.parse(r.updatedAt) <= sinceMs);
  return stop === -1 ? records : records.slice(0, stop);
}

function later(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function label(start: number, next: number, page: AtomPage, url: string): string {
  const range = next > start ? `results ${start + 1}-${next}` : `no results from ${start + 1}`;
  return `${range} of ${page.totalResults ?? '?'} (${url})`;
}

/**
 * One paper by its canonical id (id_list=…), for a reader's submission (decision 032): its record
 * as the API gives it, or null when arXiv does not know the id (no entry, or its error feed for
 * that id). Through the polite client: arXiv's pacing and retries apply as for harvests.
 */
export async function fetchArxivRecord(http: PoliteHttpClient, id: string, baseUrl: string = ARXIV_API_URL, signal?: AbortSignal): Promise<PaperRecord | null> {
  const url = new URL(baseUrl);
  url.searchParams.set('id_list', id);
  url.searchParams.set('max_results', '1');
  const page = await http.getParsed(
    url.toString(),
    (res) => {
      const text = res.body.toString('utf8');
      try {
        return parseArxivAtom(text, url.toString());
      } catch (e) {
        if (e instanceof InputUnusableError && API_ERROR.test(text)) return null; // "incorrect id format for …"
        throw e;
      }
    },
    signal,
  );
  return page?.records.find((r) => r.id === id) ?? null;
}
