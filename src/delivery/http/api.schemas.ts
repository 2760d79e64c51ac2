/**
 * The JSON Schemas of the public API and feeds: one source for Fastify's validation and
 * serialisation and for the OpenAPI document (openapi.ts turns each named schema below into a
 * component). Response schemas also strip anything not listed, so the public shape cannot grow
 * by accident. The TypeScript types beside them are what api.present.ts builds.
 */

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableInt = { type: ['integer', 'null'], minimum: 0 } as const;
const url = { type: 'string', format: 'uri' } as const;
const nullableUrl = { type: ['string', 'null'], format: 'uri' } as const;
const strings = { type: 'array', items: str } as const;

export const ERROR_CODES = ['NOT_FOUND', 'INVALID_PARAMETER', 'RATE_LIMITED', 'UNSUPPORTED', 'QUERY_TIMEOUT', 'INTERNAL', 'UNAUTHENTICATED', 'FORBIDDEN', 'QUOTA_EXCEEDED', 'SOURCE_UNAVAILABLE'] as const;
export type ApiErrorCode = (typeof ERROR_CODES)[number];
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export const ErrorSchema = {
  type: 'object',
  description: 'Every 4xx and 5xx answer of /api and /feeds. `code` is stable; `message` is for people.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: ERROR_CODES }, message: str },
    },
  },
} as const;

export const PaperVersionSchema = {
  type: 'object',
  required: ['version', 'submittedAt', 'size'],
  properties: {
    version: { type: 'integer', minimum: 1 },
    submittedAt: { ...nullableStr, format: 'date-time' },
    size: { ...nullableStr, description: 'as arXiv reports it, e.g. "294kb"' },
  },
} as const;

export const PaperSchema = {
  type: 'object',
  description: 'A paper: the merge of everything arXiv and Hugging Face said about it, newest version first.',
  required: [
    'id', 'version', 'title', 'abstract', 'authors', 'categories', 'submittedAt', 'updatedAt', 'day', 'comments',
    'journalRef', 'doi', 'license', 'links', 'hf', 'votes', 'versions', 'deleted',
  ],
  properties: {
    id: { ...str, description: 'canonical arXiv id without version: 2405.15738 or hep-th/9901001', examples: ['2405.15738'] },
    version: { ...nullableInt, description: 'newest version known' },
    title: nullableStr,
    abstract: { ...nullableStr, description: 'plain text as the authors wrote it (LaTeX included); paragraphs separated by a blank line' },
    authors: strings,
    categories: { ...strings, description: 'arXiv categories, primary first' },
    submittedAt: { ...nullableStr, format: 'date-time', description: 'submission of version 1' },
    updatedAt: { ...nullableStr, format: 'date-time', description: 'submission of the newest version' },
    day: { ...nullableStr, format: 'date', description: 'the day it is listed under on daily pages' },
    comments: nullableStr,
    journalRef: nullableStr,
    doi: nullableStr,
    license: nullableStr,
    links: {
      type: 'object',
      required: ['html', 'api', 'abs', 'pdf', 'code', 'project'],
      properties: { html: url, api: url, abs: url, pdf: url, code: nullableUrl, project: nullableUrl },
    },
    hf: {
      type: 'object',
      description: 'signals from Hugging Face daily papers (null: not known)',
      required: ['upvotes', 'comments', 'githubStars', 'aiKeywords', 'aiSummary', 'featuredOn'],
      properties: {
        upvotes: { ...nullableInt, description: "upvotes on Hugging Face's daily papers, as last imported (not this site's: see votes)" },
        comments: nullableInt,
        githubStars: nullableInt,
        aiKeywords: strings,
        aiSummary: nullableStr,
        featuredOn: { ...nullableStr, format: 'date' },
      },
    },
    votes: {
      type: 'integer',
      minimum: 0,
      description: "this site's own upvotes: one per account here, counted exactly (Hugging Face's upvotes are hf.upvotes; trending blends both)",
    },
    versions: { type: 'array', items: PaperVersionSchema },
    deleted: { type: 'boolean', description: 'arXiv withdrew the record from its metadata feed' },
  },
} as const;

const PERIOD_KINDS = ['day', 'week', 'month'] as const;

export const PeriodRefSchema = {
  type: 'object',
  description: 'a neighbouring period that has papers',
  required: ['kind', 'key', 'href'],
  properties: { kind: { type: 'string', enum: PERIOD_KINDS }, key: str, href: url },
} as const;
const nullablePeriodRef = { anyOf: [PeriodRefSchema, { type: 'null' }] } as const;

export const FeedLinksSchema = {
  type: 'object',
  required: ['rss', 'atom', 'json'],
  properties: { rss: url, atom: url, json: { ...url, description: 'JSON Feed 1.1' } },
} as const;

export const PaperListingSchema = {
  type: 'object',
  description: 'One page of the papers of a day, an ISO week or a month.',
  required: ['period', 'order', 'page', 'pageSize', 'total', 'papers', 'links'],
  properties: {
    period: {
      type: 'object',
      required: ['kind', 'key', 'from', 'to', 'previous', 'next'],
      properties: {
        kind: { type: 'string', enum: PERIOD_KINDS },
        key: { ...str, examples: ['2026-06-30', '2026-W27', '2026-06'] },
        from: { ...str, format: 'date', description: 'first day of the period' },
        to: { ...str, format: 'date', description: 'last day of the period' },
        previous: nullablePeriodRef,
        next: nullablePeriodRef,
      },
    },
    order: { type: 'string', enum: ['trending', 'newest', 'upvoted'] },
    page: { type: 'integer', minimum: 1 },
    pageSize: { type: 'integer', minimum: 1 },
    total: {
      type: 'integer',
      minimum: 0,
      description: 'papers listed in the whole period: its curated papers (submitted, upvoted here or featured on Hugging Face), filled up to ten by trending when fewer were picked',
    },
    papers: { type: 'array', items: PaperSchema },
    submittedBy: {
      type: 'object',
      additionalProperties: { type: ['string', 'null'] },
      description: "the papers of this page that readers submitted here in the period, by id: the first submitter's display name (null once that account was deleted)",
    },
    links: {
      type: 'object',
      required: ['self', 'first', 'last', 'prev', 'next', 'html', 'feeds'],
      properties: { self: url, first: url, last: url, prev: nullableUrl, next: nullableUrl, html: url, feeds: FeedLinksSchema },
    },
  },
} as const;

export const SearchResultsSchema = {
  type: 'object',
  description: 'One page of search results, best first (or newest first with sort=date).',
  required: ['q', 'mode', 'requestedMode', 'fallback', 'sort', 'total', 'totalIsEstimate', 'limit', 'offset', 'notice', 'hits', 'links'],
  properties: {
    q: str,
    mode: { type: 'string', enum: ['keyword', 'semantic', 'hybrid'], description: 'the mode that ran (hybrid falls back to keyword where there are no embeddings)' },
    requestedMode: { type: 'string', enum: ['keyword', 'semantic', 'hybrid'], description: 'the mode asked for (hybrid unless given)' },
    fallback: { ...nullableStr, description: 'why the mode that ran is not the one asked for, e.g. "Searched by keywords only: …"; null when it is' },
    sort: { type: 'string', enum: ['relevance', 'date'] },
    total: { type: 'integer', minimum: 0, description: 'all matches, not just this page (an estimate when totalIsEstimate)' },
    totalIsEstimate: {
      type: 'boolean',
      description: 'total is an estimate to two significant digits ("about 12,000"), given when counting every match would cost more than the page',
    },
    limit: { type: 'integer', minimum: 1 },
    offset: { type: 'integer', minimum: 0 },
    notice: { ...nullableStr, description: 'a note about how the query was read, e.g. a syntax error that was forgiven' },
    hits: {
      type: 'array',
      items: {
        type: 'object',
        required: ['paper', 'score', 'match', 'titleHtml', 'snippetHtml', 'closestSentence'],
        properties: {
          paper: PaperSchema,
          score: { type: 'number', description: 'higher is better; comparable within one result list only' },
          match: {
            type: 'string',
            enum: ['keyword', 'semantic', 'both'],
            description: 'why it matched: its words (keyword), its meaning (semantic: "similar in meaning"), or both',
          },
          titleHtml: { ...str, description: 'the title, HTML-escaped, matched terms in <mark>' },
          snippetHtml: { ...str, description: 'a passage of the abstract, HTML-escaped, matched terms in <mark>' },
          closestSentence: {
            ...nullableStr,
            description: 'for a hit found by meaning only: the sentence of its abstract closest to the query (plain text: escape it); else null',
          },
        },
      },
    },
    links: {
      type: 'object',
      required: ['self', 'prev', 'next', 'html', 'feeds'],
      properties: { self: url, prev: nullableUrl, next: nullableUrl, html: url, feeds: FeedLinksSchema },
    },
  },
} as const;

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): the parts Paperboy writes, required fields as the spec says. */
export const JsonFeedSchema = {
  type: 'object',
  required: ['version', 'title', 'items'],
  properties: {
    version: { const: 'https://jsonfeed.org/version/1.1' },
    title: str,
    home_page_url: url,
    feed_url: url,
    description: str,
    authors: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: str } } },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id'],
        anyOf: [{ required: ['content_text'] }, { required: ['content_html'] }],
        properties: {
          id: str,
          url,
          external_url: url,
          title: str,
          content_text: str,
          content_html: str,
          date_published: { ...str, format: 'date-time' },
          date_modified: { ...str, format: 'date-time' },
          authors: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: str } } },
          tags: strings,
          attachments: {
            type: 'array',
            items: { type: 'object', required: ['url', 'mime_type'], properties: { url, mime_type: str, title: str } },
          },
        },
      },
    },
  },
} as const;

/** What casting or withdrawing a vote answers (api.votes.ts). */
export const VoteResultSchema = {
  type: 'object',
  description: "The reader's vote on a paper after the request, and the paper's local vote count (this site's own upvotes, as `votes` on a Paper).",
  required: ['paperId', 'voted', 'votes'],
  additionalProperties: false,
  properties: {
    paperId: { type: 'string', description: 'the canonical arXiv id, without version' },
    voted: { type: 'boolean', description: "the reader's vote stands" },
    votes: { type: 'integer', minimum: 0, description: "this site's own upvotes of the paper" },
  },
} as const;

/** Named schemas: each becomes components/schemas/<name> in the OpenAPI document. */
export const COMPONENTS = {
  Error: ErrorSchema,
  Paper: PaperSchema,
  PaperVersion: PaperVersionSchema,
  PeriodRef: PeriodRefSchema,
  FeedLinks: FeedLinksSchema,
  PaperListing: PaperListingSchema,
  SearchResults: SearchResultsSchema,
  JsonFeed: JsonFeedSchema,
  VoteResult: VoteResultSchema,
} as const;

// ---- public types (what api.present.ts builds; the schemas above are the contract) -----------

export interface PublicPaper {
  id: string;
  version: number | null;
  title: string | null;
  abstract: string | null;
  authors: string[];
  categories: string[];
  submittedAt: string | null;
  updatedAt: string | null;
  day: string | null;
  comments: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  links: { html: string; api: string; abs: string; pdf: string; code: string | null; project: string | null };
  hf: {
    upvotes: number | null;
    comments: number | null;
    githubStars: number | null;
    aiKeywords: string[];
    aiSummary: string | null;
    featuredOn: string | null;
  };
  votes: number;
  versions: { version: number; submittedAt: string | null; size: string | null }[];
  deleted: boolean;
}

export interface FeedLinks {
  rss: string;
  atom: string;
  json: string;
}
