/**
 * JSON errors with stable codes for /api and /feeds: `{"error":{"code","message"}}`. Domain
 * errors (PaperboyError), Fastify's own (validation, bad URLs), the rate limiter's and anything
 * unexpected all end up here, so a client only ever has to read one shape.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PaperboyError, RateLimitedError } from '../../core/errors.js';
import type { ApiErrorBody, ApiErrorCode } from './api.schemas.js';
import { Refusal } from './refusal.js';

/** A problem found in delivery itself: a parameter that is well-formed but means nothing, say. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

export const notFound = (message: string) => new ApiProblem(404, 'NOT_FOUND', message);
export const invalidParameter = (message: string) => new ApiProblem(400, 'INVALID_PARAMETER', message);

export interface Mapped {
  status: number;
  code: ApiErrorCode;
  message: string;
  /** seconds for Retry-After, when the error says (RateLimitedError) */
  retryAfter?: number;
}

/** Domain error codes a client can act on; every other one is the server's fault. */
function fromDomain(e: PaperboyError): Mapped | null {
  const code: string = e.code;
  if (code === 'NOT_FOUND') return { status: 404, code: 'NOT_FOUND', message: e.message };
  // a mode the server is not set up for (semantic search without embeddings): the request is what to change
  if (code === 'UNSUPPORTED') return { status: 400, code: 'UNSUPPORTED', message: e.message };
  // stopped over its time budget: a narrower request, or the same one later, may succeed
  if (code === 'QUERY_TIMEOUT') return { status: 503, code: 'QUERY_TIMEOUT', message: e.message };
  // what acts for a reader (votes): the account may not, or has done it too often lately
  if (code === 'FORBIDDEN') return { status: 403, code: 'FORBIDDEN', message: e.message };
  if (code === 'RATE_LIMITED') return { status: 429, code: 'RATE_LIMITED', message: e.message, ...(e instanceof RateLimitedError ? { retryAfter: e.retryAfterSeconds } : {}) };
  if (code.includes('INVALID') && code !== 'CONFIG_INVALID') return { status: 400, code: 'INVALID_PARAMETER', message: e.message };
  return null;
}

export function mapError(err: unknown): Mapped {
  if (err instanceof ApiProblem) return { status: err.status, code: err.code, message: err.message };
  if (err instanceof PaperboyError) {
    const m = fromDomain(err);
    if (m) return m;
  }
  // the guards' refusals (viewer.ts, csrf.ts): nobody signed in, or not allowed
  if (err instanceof Refusal && err.statusCode === 401) return { status: 401, code: 'UNAUTHENTICATED', message: 'this needs a personal access token (Authorization: Bearer pb_…) or a signed-in session' };
  if (err instanceof Refusal && err.statusCode === 403) return { status: 403, code: 'FORBIDDEN', message: err.message };
  const fe = err as Partial<FastifyError>;
  if (fe.validation) return { status: 400, code: 'INVALID_PARAMETER', message: fe.message ?? 'invalid parameter' };
  const status = fe.statusCode ?? 500;
  if (status === 429) return { status, code: 'RATE_LIMITED', message: fe.message ?? 'too many requests' };
  if (status === 404) return { status, code: 'NOT_FOUND', message: fe.message ?? 'not found' };
  // Fastify's other client errors (a malformed URL, say) are all bad parameters to a client
  if (status >= 400 && status < 500) return { status: 400, code: 'INVALID_PARAMETER', message: fe.message ?? 'bad request' };
  return { status: 500, code: 'INTERNAL', message: 'internal error; it has been logged' };
}

export function errorBody(code: ApiErrorCode, message: string): ApiErrorBody {
  return { error: { code, message } };
}

/** Seconds a client is asked to wait before retrying a request stopped over its time budget. */
export const QUERY_TIMEOUT_RETRY_AFTER = 10;

/** Seconds a reader over a per-account limit of the service is asked to wait (the rate limiter sets its own). */
const ACCOUNT_LIMIT_RETRY_AFTER = 60;

/** Sets Retry-After for an error that has one (the rate limiter sets its own first). */
export function setRetryAfter(reply: FastifyReply, m: Mapped): void {
  if (m.code === 'QUERY_TIMEOUT') reply.header('retry-after', String(QUERY_TIMEOUT_RETRY_AFTER));
  if (m.code === 'RATE_LIMITED' && !reply.getHeader('retry-after')) reply.header('retry-after', String(Math.ceil(m.retryAfter ?? ACCOUNT_LIMIT_RETRY_AFTER)));
}

function sendError(reply: FastifyReply, m: Mapped) {
  setRetryAfter(reply, m);
  // an error is never cached: the paper may exist after the next harvest
  return reply.code(m.status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(errorBody(m.code, m.message));
}

/** Where server failures are reported: serve's stderr, or Fastify's logger when none is given. */
export type ErrorLog = (message: string) => void;

/** Sets this scope's error and not-found handlers (the scope must have a prefix of its own). */
export function useJsonErrors(app: FastifyInstance, log?: ErrorLog): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const m = mapError(err);
    // a request stopped over its budget is the client's to narrow; the pool has logged the stop
    if (m.status >= 500 && m.code !== 'QUERY_TIMEOUT') {
      if (log) log(`${req.method} ${req.url.slice(0, 300)}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      else req.log.error({ err }, 'request failed');
    }
    return sendError(reply, m);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, { status: 404, code: 'NOT_FOUND', message: `no such endpoint: ${req.method} ${req.url.split('?')[0]}` }));
}
