/**
 * The API's votes (issue 13, decision 031): `POST /api/v1/papers/<id>/vote` casts the reader's
 * vote, `DELETE` withdraws it; both answer `{ paperId, voted, votes }` and change nothing when
 * repeated. The reader is the one whose personal access token the request carries
 * (`Authorization: Bearer pb_…`, viewer.ts), which is also what lets it past the CSRF guard.
 * Never cached. Described in the OpenAPI document (openapi.ts VOTE_PATHS).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VoteService } from '../../services/vote.service.js';
import { invalidParameter, notFound } from './api.errors.js';
import { voterOf } from './community.routes.js';
import { Refusal } from './refusal.js';
import { paperPath } from './request-parts.js';
import { viewerOf } from './viewer.js';

/** The rate limiter's per-route setting: votes a minute per account (0: none). */
export function apiVoteRoutes(api: FastifyInstance, votes: VoteService, perAccountPerMinute: number): void {
  const limit = {
    rateLimit:
      perAccountPerMinute > 0 ? { max: perAccountPerMinute, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => `api-vote:${viewerOf(req)?.accountId ?? req.ip}` } : false,
  } as const;
  const paperOf = (req: FastifyRequest) => {
    const p = paperPath(req, /^(.+)\/vote$/);
    if (!p) throw notFound(`no such endpoint: ${req.method} ${req.url.split('?')[0]}`);
    if (!p.id) throw invalidParameter(`not an arXiv id: ${p.text.slice(0, 80)}`);
    return p.id.id;
  };
  const answer = (r: { paperId: string; voted: boolean; votes: number }) => ({ paperId: r.paperId, voted: r.voted, votes: r.votes });

  // a personal access token, nothing else: a browser's session cookie is not enough here, so no
  // CSRF token is needed (no browser sends the Authorization header by itself)
  const tokenOnly = async (req: FastifyRequest) => {
    if (viewerOf(req)?.via !== 'token') throw new Refusal(401, 'this needs a personal access token');
  };
  const config = { ...limit, csrf: 'none' } as const;
  // one route for both methods: one counter of the reader's votes a minute, casts and withdrawals together
  api.route({
    method: ['POST', 'DELETE'],
    url: '/v1/papers/*',
    preHandler: tokenOnly,
    config,
    handler: async (req, reply) => {
      const id = paperOf(req);
      reply.header('cache-control', 'no-store');
      const v = viewerOf(req)!;
      return answer(req.method === 'POST' ? await votes.vote(id, voterOf(v, req)) : await votes.unvote(id, v));
    },
  });
}
