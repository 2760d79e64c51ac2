/**
 * /api: the versioned JSON API (/api/v1/…) and its OpenAPI document (/api/openapi.json).
 * Routes come from the operation table (api.operations.ts); each handler parses, calls one
 * service and presents. CORS for reads, a per-address rate limit, ETags and JSON errors with
 * stable codes apply to everything under /api, unknown routes included.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formatArxivId, parseArxivId } from '../../core/arxiv-id.js';
import { isUnknownVersion, knownVersions } from '../../core/paper.js';
import { parsePeriod } from '../../core/periods.js';
import { invalidParameter, notFound, type ErrorLog } from './api.errors.js';
import { answerCached, useJsonRateLimit, usePublicReads, type ReadServices } from './api.http.js';
import { API_OPERATIONS, fastifySchema, fastifyUrl } from './api.operations.js';
import { presentListing, presentPaper, presentSearch } from './api.present.js';
import type { ListingQuery, SearchQuery } from './api.params.js';
import { ResponseCache } from './http-cache.js';
import { buildOpenApi } from './openapi.js';
import { writeRoutes } from './api.writes.js';
import type { WebLibrary } from './library.routes.js';
import { apiVoteRoutes } from './api.votes.js';
import type { VoteService } from '../../services/vote.service.js';

export interface ApiRoutesOptions {
  container: ReadServices;
  /** shared with the pages, to keep one memory budget; by default the API keeps its own */
  cache?: ResponseCache;
  /** where server failures are reported (serve's stderr); Fastify's logger otherwise */
  log?: ErrorLog;
  /** the operations that act for a reader (api.writes.ts); absent: none routed */
  writes?: WebLibrary | null;
  /** the reader's votes (issue 13): POST and DELETE /api/v1/papers/<id>/vote; absent, not routed */
  votes?: { service: VoteService; perMinute: number } | undefined;
}

/** What a handler computes: the answer's JSON, before serialisation by the route's response schema. */
type Present = (req: FastifyRequest) => Promise<unknown>;
type PeriodKind = 'day' | 'week' | 'month';

/** Seconds a client or proxy may reuse an answer: listings change with each harvest and vote, not by the second. */
const MAX_AGE = { listing: 300, paper: 300, search: 60, openapi: 3600 } as const;

const PREFIX = '/api';
const JSON_UTF8 = 'application/json; charset=utf-8';

export const apiRoutes: FastifyPluginAsync<ApiRoutesOptions> = async (app, opts) => {
  const cache = opts.cache ?? new ResponseCache();
  // a scope with a prefix of its own, so that its not-found handler answers for /api/* only
  await app.register((api) => apiScope(api, opts, cache), { prefix: PREFIX });
};

async function apiScope(api: FastifyInstance, opts: ApiRoutesOptions, cache: ResponseCache): Promise<void> {
  const c = opts.container;
  await usePublicReads(api, opts.log);
  await useJsonRateLimit(api, c.config.PAPERBOY_API_RATE_LIMIT, 'requests');
  const handlers = apiHandlers(c);
  for (const op of API_OPERATIONS) {
    const h = handlers[op.operationId];
    if (!h) throw new Error(`no handler for operation ${op.operationId}`);
    api.route({ method: 'GET', url: fastifyUrl(op).slice(PREFIX.length), schema: fastifySchema(op), handler: cached(c, cache, h) });
  }
  if (opts.writes) writeRoutes(api, opts.writes, c.config.PUBLIC_URL, PREFIX);
  if (opts.votes) apiVoteRoutes(api, opts.votes.service, opts.votes.perMinute);
}

/** The answer of a handler, serialised by its route's response schema and cached. */
function cached(c: ReadServices, cache: ResponseCache, h: { maxAge: number; present: Present }) {
  return async (req: FastifyRequest, reply: FastifyReply) =>
    answerCached(c, cache, req, reply, { type: JSON_UTF8, maxAge: h.maxAge, render: async () => reply.serialize(await h.present(req)) as string });
}

function apiHandlers(c: ReadServices): Record<string, { maxAge: number; present: Present }> {
  const base = c.config.PUBLIC_URL;
  const openapi = buildOpenApi(base);
  const param = (req: FastifyRequest, name: string) => (req.params as Record<string, string>)[name] ?? '';

  const listing = async (kind: PeriodKind, key: string, req: FastifyRequest) => {
    const parsed = parsePeriod(kind, key);
    if (!parsed) throw invalidParameter(`no such ${kind}: ${key}`);
    const q = req.query as ListingQuery;
    return presentListing(await c.listing.listing(parsed.period, { order: q.order, page: q.page, pageSize: q.pageSize }), q, base);
  };
  const period = (kind: PeriodKind, name: string) => ({ maxAge: MAX_AGE.listing, present: (req: FastifyRequest) => listing(kind, param(req, name), req) });

  return {
    getLatestPapers: {
      maxAge: MAX_AGE.listing,
      present: async (req) => {
        const day = await c.listing.latestDay();
        if (!day) throw notFound('there are no papers yet');
        return listing('day', day, req);
      },
    },
    getDayPapers: period('day', 'day'),
    getWeekPapers: period('week', 'week'),
    getMonthPapers: period('month', 'month'),
    getPaper: {
      maxAge: MAX_AGE.paper,
      present: async (req) => {
        const raw = param(req, '*');
        const id = parseArxivId(raw);
        if (!id) throw invalidParameter(`not an arXiv id: ${raw}`);
        const paper = await c.listing.paper(raw);
        if (!paper) throw notFound(`no paper ${raw} here`);
        if (isUnknownVersion(paper, id.version))
          throw notFound(`no version ${id.version} of ${paper.id} here; its versions: ${knownVersions(paper).map((v) => formatArxivId(paper.id, v)).join(', ')}`);
        const votes = await c.listing.votesOf([paper.id]);
        return presentPaper(paper, base, votes[paper.id] ?? 0);
      },
    },
    searchPapers: {
      maxAge: MAX_AGE.search,
      present: async (req) => {
        const q = req.query as SearchQuery;
        const found = await c.search.search({ q: q.q, mode: q.mode, sort: q.sort, limit: q.limit, offset: q.offset });
        return presentSearch(found, q, base, await c.listing.votesOf(found.hits.map((h) => h.paper.id)));
      },
    },
    getOpenApi: { maxAge: MAX_AGE.openapi, present: async () => openapi },
  };
}
