/**
 * The HTTP conventions /api and /feeds share: reads open to any origin, JSON errors, and
 * answers through the response cache, whose ETag comes from the store's data version, so a
 * client that has the answer gets its 304 before anything is looked up.
 */
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.js';
import type { VersionScope } from '../../services/listing.service.js';
import type { SiteReads } from '../../services/site-reads.js';
import { ApiProblem, useJsonErrors, type ErrorLog } from './api.errors.js';
import type { ResponseCache } from './http-cache.js';
import { API_VERSION } from './openapi.js';

/** What the API and feeds read of the container: the settings, listings and search. */
export type ReadServices = Pick<Container, 'config'> & Pick<SiteReads, 'listing' | 'search'>;

/**
 * Reads of public data: any origin may fetch them, never with credentials, and read the headers
 * a client acts on: the ETag to revalidate with, and the rate limit's state.
 */
export const READ_CORS: FastifyCorsOptions = {
  origin: '*',
  methods: ['GET', 'HEAD'],
  credentials: false,
  exposedHeaders: ['ETag', 'Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
};

/** CORS and JSON errors for a scope (which must have a prefix of its own, for its not-found handler). */
export async function usePublicReads(scope: FastifyInstance, log?: ErrorLog): Promise<void> {
  await scope.register(cors, READ_CORS);
  // the site's headers say same-origin (helmet's default), which is right for pages, not for public data
  scope.addHook('onRequest', async (_req, reply) => {
    reply.header('cross-origin-resource-policy', 'cross-origin');
  });
  useJsonErrors(scope, log);
}

/**
 * What an answer depends on besides the data: the route and its validated parameters (defaults
 * filled in, in a stable order), the public URL its links are built on, and the output version.
 * The ETag is made from it, so a release that changes the output changes every ETag.
 */
export function cacheKey(req: FastifyRequest, publicUrl: string): string {
  const sorted = (o: unknown) => Object.entries((o ?? {}) as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([API_VERSION, publicUrl, req.routeOptions.url, sorted(req.params), sorted(req.query)]);
}

export interface Answer {
  /** content type, charset included */
  type: string;
  /** seconds clients and proxies may reuse it */
  maxAge: number;
  /** the body; throws for an error answer, which is then not cached */
  render: () => Promise<string>;
  /** what the answer shows (ListingService.version): 'votes' unless said, as listings and papers carry local votes */
  shows?: VersionScope;
}

export async function answerCached(c: ReadServices, cache: ResponseCache, req: FastifyRequest, reply: FastifyReply, a: Answer): Promise<FastifyReply> {
  return cache.respond(req, reply, {
    key: cacheKey(req, c.config.PUBLIC_URL),
    version: await c.listing.version(a.shows ?? 'votes'),
    maxAge: a.maxAge,
    render: async () => ({ status: 200, type: a.type, body: await a.render() }),
  });
}

/**
 * A per-client limit of `max` requests a minute on a JSON scope (0: none), answered 429
 * RATE_LIMITED with Retry-After; `what` names what is counted ("requests", "searches").
 */
export async function useJsonRateLimit(scope: FastifyInstance, max: number, what: string): Promise<void> {
  if (max <= 0) return;
  await scope.register(rateLimit, {
    max,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, ctx) => new ApiProblem(429, 'RATE_LIMITED', `more than ${ctx.max} ${what} a minute; retry in ${ctx.after}`),
  });
}
