/**
 * The request parameters of the API and the feeds, as JSON Schemas (Fastify validates them,
 * fills in the defaults and coerces types; openapi.ts documents them) and as the types a handler
 * then reads.
 */

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_SEARCH_LIMIT = 100;

export const ORDERS = ['trending', 'newest', 'upvoted'] as const;
export type Order = (typeof ORDERS)[number];
export const orderParam = { type: 'string', enum: ORDERS, default: 'trending', description: 'trending (votes with a time decay), newest, or most upvoted' } as const;

export const ListingQuerySchema = {
  type: 'object',
  properties: {
    order: orderParam,
    page: { type: 'integer', minimum: 1, maximum: 100_000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
  },
} as const;
export interface ListingQuery {
  order: Order;
  page: number;
  pageSize: number;
}

/** The longest query the API and the feeds accept: every query path must stay linear up to it. */
export const MAX_QUERY_LENGTH = 16_384;
const q = { type: 'string', minLength: 1, maxLength: MAX_QUERY_LENGTH, description: 'keywords; "phrases", author:, cat:, year: filters' } as const;
const sort = { type: 'string', enum: ['relevance', 'date'], default: 'relevance' } as const;
const mode = {
  type: 'string',
  enum: ['keyword', 'semantic', 'hybrid'],
  default: 'hybrid',
  description: 'keyword (BM25), semantic (by meaning, from the embeddings) or hybrid (both, fused; keyword alone where there are no embeddings)',
} as const;

export const SearchQuerySchema = {
  type: 'object',
  required: ['q'],
  properties: {
    q,
    mode,
    sort,
    limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, default: 20 },
    offset: { type: 'integer', minimum: 0, maximum: 10_000, default: 0 },
  },
} as const;
export interface SearchQuery {
  q: string;
  mode: 'keyword' | 'semantic' | 'hybrid';
  sort: 'relevance' | 'date';
  limit: number;
  offset: number;
}

export const SearchFeedQuerySchema = {
  type: 'object',
  required: ['q'],
  // a feed reader wants what is new first
  properties: { q, mode, sort: { ...sort, default: 'date' } },
} as const;
export type SearchFeedQuery = Omit<SearchQuery, 'limit' | 'offset'>;

export const PeriodFeedQuerySchema = { type: 'object', properties: { order: orderParam } } as const;

const param = (name: string, pattern: string, description: string) =>
  ({ type: 'object', required: [name], properties: { [name]: { type: 'string', pattern, description } } }) as const;

export const DayParamsSchema = param('day', '^\\d{4}-\\d{2}-\\d{2}$', 'a day, YYYY-MM-DD');
export const WeekParamsSchema = param('week', '^\\d{4}-W\\d{2}$', 'an ISO week, YYYY-Www');
export const MonthParamsSchema = param('month', '^\\d{4}-\\d{2}$', 'a month, YYYY-MM');
export const PaperParamsSchema = param(
  'id',
  '^.+$',
  'an arXiv id, with or without version (2405.15738, 2405.15738v2, hep-th/9901001v1); the slash of an old-style id may be sent as is or as %2F',
);
