/**
 * The table of every /api and /feeds operation: path, parameters and responses. The routes
 * (api.routes.ts, feeds.routes.ts) are registered from it and the OpenAPI document (openapi.ts)
 * is written from it, so the two cannot disagree; test/api/openapi.test.ts checks the rest.
 */
import {
  DayParamsSchema,
  ListingQuerySchema,
  MonthParamsSchema,
  PaperParamsSchema,
  PeriodFeedQuerySchema,
  SearchFeedQuerySchema,
  SearchQuerySchema,
  WeekParamsSchema,
} from './api.params.js';
import { ErrorSchema, JsonFeedSchema, PaperListingSchema, PaperSchema, SearchResultsSchema } from './api.schemas.js';
import type { FeedFormat } from './urls.js';

export type Schema = Readonly<Record<string, unknown>>;

export interface ResponseSpec {
  description: string;
  /** media type → schema of the body; absent for a bodiless answer (304) */
  content?: Record<string, Schema>;
  headers?: string[];
}

export interface Operation {
  operationId: string;
  /** the OpenAPI path: /api/v1/papers/date/{day}, /feeds/date/{day}.rss */
  path: string;
  /** a path parameter that may hold slashes (old-style arXiv ids): routed as a wildcard */
  wildcard?: string;
  summary: string;
  description?: string;
  tags: string[];
  querystring?: Schema;
  params?: Schema;
  responses: Record<number, ResponseSpec>;
}

export const JSON_TYPE = 'application/json';
export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

const cached = ['ETag', 'Cache-Control'];
const error = (description: string): ResponseSpec => ({ description, content: { [JSON_TYPE]: ErrorSchema } });
const NOT_MODIFIED: ResponseSpec = { description: 'not modified since the ETag given in If-None-Match' };
const INVALID = error('INVALID_PARAMETER: a parameter is malformed or out of range');
const LIMITED: ResponseSpec = { ...error('RATE_LIMITED: too many requests from this address; retry after Retry-After seconds'), headers: ['Retry-After'] };
const INTERNAL = error('INTERNAL: the server failed; nothing about the request is wrong');
const TIMEOUT: ResponseSpec = {
  ...error('QUERY_TIMEOUT: the request needed more database work than its time budget and was stopped; narrow it, or retry after Retry-After seconds'),
  headers: ['Retry-After'],
};

function jsonOk(description: string, schema: Schema): ResponseSpec {
  return { description, content: { [JSON_TYPE]: schema }, headers: cached };
}

const LISTING_TEXT = 'Ordered by `order` (trending by default: upvotes with a time decay, see /about/ranking).';

function listingOp(operationId: string, kind: string, path: string, params?: Schema): Operation {
  const responses: Record<number, ResponseSpec> = {
    200: jsonOk('one page of the listing', PaperListingSchema),
    304: NOT_MODIFIED,
    400: INVALID,
    429: LIMITED,
    500: INTERNAL,
    503: TIMEOUT,
  };
  // only "latest" can find nothing to list; an empty day is an empty listing
  if (!params) responses[404] = error('NOT_FOUND: there are no papers yet');
  return {
    operationId,
    path,
    summary: `Papers of ${kind}`,
    description: LISTING_TEXT,
    tags: ['papers'],
    querystring: ListingQuerySchema,
    ...(params ? { params } : {}),
    responses,
  };
}

export const API_OPERATIONS: Operation[] = [
  listingOp('getLatestPapers', 'the newest day that has any', '/api/v1/papers/latest'),
  listingOp('getDayPapers', 'a day', '/api/v1/papers/date/{day}', DayParamsSchema),
  listingOp('getWeekPapers', 'an ISO week', '/api/v1/papers/week/{week}', WeekParamsSchema),
  listingOp('getMonthPapers', 'a month', '/api/v1/papers/month/{month}', MonthParamsSchema),
  {
    operationId: 'getPaper',
    path: '/api/v1/papers/{id}',
    wildcard: 'id',
    summary: 'A paper by arXiv id',
    description: 'Any version suffix the paper has resolves to it (another is NOT_FOUND); the answer describes its newest version.',
    tags: ['papers'],
    params: PaperParamsSchema,
    responses: {
      200: jsonOk('the paper', PaperSchema),
      304: NOT_MODIFIED,
      400: error('INVALID_PARAMETER: not an arXiv id'),
      404: error('NOT_FOUND: no paper with this id here, or not the version named (the message lists those it has)'),
      429: LIMITED,
      500: INTERNAL,
      503: TIMEOUT,
    },
  },
  {
    operationId: 'searchPapers',
    path: '/api/v1/search',
    summary: 'Search papers',
    description:
      'Search by keywords (BM25, title weighted above abstract), by meaning (the embeddings), or both fused (`mode=hybrid`, the default). Filters apply in every mode. Where the server has no embeddings, hybrid answers by keywords and says so in `fallback`; `mode=semantic` answers UNSUPPORTED.',
    tags: ['search'],
    querystring: SearchQuerySchema,
    responses: {
      200: jsonOk('one page of results', SearchResultsSchema),
      304: NOT_MODIFIED,
      400: error('INVALID_PARAMETER: a parameter is malformed; UNSUPPORTED: this search mode is not available here'),
      429: LIMITED,
      500: INTERNAL,
      503: TIMEOUT,
    },
  },
  {
    operationId: 'getOpenApi',
    path: '/api/openapi.json',
    summary: 'This document',
    tags: ['meta'],
    responses: { 200: jsonOk('the OpenAPI 3.1 document', { type: 'object', required: ['openapi', 'paths'], additionalProperties: true }), 304: NOT_MODIFIED, 429: LIMITED },
  },
];

export type FeedKind = 'latest' | 'day' | 'week' | 'month' | 'search';

/** The feed operations, with what each serves. */
export interface FeedOperation extends Operation {
  kind: FeedKind;
  format: FeedFormat;
}

const FEED_PATHS: Record<FeedKind, { path: string; what: string; params?: Schema; querystring: Schema }> = {
  latest: { path: '/feeds/latest', what: 'the newest day that has papers', querystring: PeriodFeedQuerySchema },
  day: { path: '/feeds/date/{day}', what: 'a day', params: DayParamsSchema, querystring: PeriodFeedQuerySchema },
  week: { path: '/feeds/week/{week}', what: 'an ISO week', params: WeekParamsSchema, querystring: PeriodFeedQuerySchema },
  month: { path: '/feeds/month/{month}', what: 'a month', params: MonthParamsSchema, querystring: PeriodFeedQuerySchema },
  search: { path: '/feeds/search', what: 'a search (newest first unless sort=relevance)', querystring: SearchFeedQuerySchema },
};

const FORMAT_NAMES: Record<FeedFormat, string> = { rss: 'RSS 2.0', atom: 'Atom 1.0', json: 'JSON Feed 1.1' };
const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

function feedOp(kind: FeedKind, format: FeedFormat): FeedOperation {
  const p = FEED_PATHS[kind];
  const body = format === 'json' ? JsonFeedSchema : { type: 'string' };
  return {
    kind,
    format,
    operationId: `get${capital(kind)}Feed${capital(format)}`,
    path: `${p.path}.${format}`,
    summary: `${FORMAT_NAMES[format]} feed of ${p.what}`,
    tags: ['feeds'],
    querystring: p.querystring,
    ...(p.params ? { params: p.params } : {}),
    responses: {
      200: { description: `the feed (up to 100 papers)`, content: { [FEED_TYPES[format]]: body }, headers: cached },
      304: NOT_MODIFIED,
      400: INVALID,
      // search feeds share the search page's per-address limit
      ...(kind === 'search' ? ({ 429: LIMITED } as Record<number, ResponseSpec>) : {}),
      500: INTERNAL,
      503: TIMEOUT,
    },
  };
}

export const FEED_OPERATIONS: FeedOperation[] = (['latest', 'day', 'week', 'month', 'search'] as const).flatMap((kind) =>
  (['rss', 'atom', 'json'] as const).map((format) => feedOp(kind, format)),
);

/** The Fastify route of an operation: {name} → :name, the wildcard parameter → *. */
export function fastifyUrl(op: Operation): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === op.wildcard ? '*' : `:${name}`));
}

/** The JSON schemas Fastify validates requests and serialises JSON answers with. */
export function fastifySchema(op: Operation) {
  const response: Record<number, Schema> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const schema = r.content?.[JSON_TYPE];
    if (schema) response[Number(status)] = schema;
  }
  // the wildcard arrives as params['*']: validated by the handler, not by a schema of `id`
  const params = op.wildcard ? undefined : op.params;
  return { ...(op.querystring ? { querystring: op.querystring } : {}), ...(params ? { params } : {}), response };
}
