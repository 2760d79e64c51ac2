/**
 * The API operations that act for a reader (issue 13, decisions 032 and 033): submitting a paper
 * (POST /api/v1/submissions) and saving one to the library or taking it out (PUT and DELETE
 * /api/v1/library/{paperId}). Their table is written into the OpenAPI document beside the reads'
 * (openapi.ts), with `security: accessToken`; their routes join the /api scope (api.routes.ts),
 * its JSON errors and per-address limit.
 *
 * They take a personal access token only (Authorization: Bearer pb_…), never the session cookie:
 * no browser sends that header by itself, so there is no ambient authority to forge, and the
 * CSRF guard has nothing to check (config csrf 'none'). Answers are never cached.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PaperboyError } from '../../core/errors.js';
import { LibraryInputError } from '../../services/library.service.js';
import { SubmissionError, type SubmissionProblem } from '../../services/submission.service.js';
import { ApiProblem, invalidParameter, notFound } from './api.errors.js';
import { JSON_TYPE, type Operation, type ResponseSpec, type Schema } from './api.operations.js';
import { presentPaper } from './api.present.js';
import { ErrorSchema, PaperSchema, type ApiErrorCode } from './api.schemas.js';
import type { WebLibrary } from './library.routes.js';
import { wildcardOf } from './request-parts.js';
import { viewerOf } from './viewer.js';

export type WriteMethod = 'post' | 'put' | 'delete';

export interface WriteOperation extends Operation {
  method: WriteMethod;
  /** the JSON body it takes, if any */
  body?: Schema;
}

const error = (description: string): ResponseSpec => ({ description, content: { [JSON_TYPE]: ErrorSchema } });
const UNAUTHENTICATED = error('UNAUTHENTICATED: no valid personal access token in Authorization: Bearer pb_… (a session cookie is not accepted here)');
const LIMITED: ResponseSpec = { ...error('RATE_LIMITED: too many requests from this address; retry after Retry-After seconds'), headers: ['Retry-After'] };
const INTERNAL = error('INTERNAL: the server failed; nothing about the request is wrong');

const SubmissionBodySchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', maxLength: 300, description: 'an arXiv id or URL, any version: 2401.12345, 2401.12345v2, hep-th/9901001, https://arxiv.org/abs/2401.12345' } },
} as const;

const SubmissionResultSchema = {
  type: 'object',
  required: ['paper', 'recorded', 'first', 'fetched'],
  properties: {
    paper: PaperSchema,
    recorded: { type: 'boolean', description: 'false: this account had submitted it already (nothing changed)' },
    first: { type: 'boolean', description: "its first submission here: it leads today's page, with the submitter's name" },
    fetched: { type: 'boolean', description: 'it was not stored here and was fetched from the arXiv API' },
  },
} as const;

const SavedSchema = {
  type: 'object',
  required: ['paperId', 'saved', 'changed'],
  properties: {
    paperId: { type: 'string', description: 'the canonical arXiv id (no version)' },
    saved: { type: 'boolean', description: "it is in the reader's library after the call" },
    changed: { type: 'boolean', description: 'the call changed something (false: it was saved, or not saved, already)' },
  },
} as const;

const LibraryParamsSchema = {
  type: 'object',
  required: ['paperId'],
  properties: { paperId: { type: 'string', pattern: '^.+$', description: 'an arXiv id, with or without version; the slash of an old-style id as is or as %2F' } },
} as const;

const libraryOp = (method: 'put' | 'delete'): WriteOperation => ({
  method,
  operationId: method === 'put' ? 'savePaper' : 'unsavePaper',
  path: '/api/v1/library/{paperId}',
  wildcard: 'paperId',
  summary: method === 'put' ? "Save a paper to the reader's library" : "Take a paper out of the reader's library",
  description: 'Idempotent. The library is private: only its reader sees it (/me/library). Needs an access token.',
  tags: ['library'],
  params: LibraryParamsSchema,
  responses: {
    200: { description: 'the paper\'s state in the library', content: { [JSON_TYPE]: SavedSchema } },
    400: error('INVALID_PARAMETER: not an arXiv id'),
    401: UNAUTHENTICATED,
    ...(method === 'put' ? ({ 404: error('NOT_FOUND: no paper with this id here (submit it first)') } as Record<number, ResponseSpec>) : {}),
    429: LIMITED,
    500: INTERNAL,
  },
});

export const WRITE_OPERATIONS: WriteOperation[] = [
  {
    method: 'post',
    operationId: 'submitPaper',
    path: '/api/v1/submissions',
    summary: 'Submit a paper by arXiv id or URL',
    description:
      "Fetched from the arXiv API when not stored here (a stored paper is never duplicated: only the submission is recorded). A paper's first submission puts it on today's page with the submitter's name. Each account may submit PAPERBOY_SUBMISSIONS_PER_DAY papers in 24 hours. Needs an access token.",
    tags: ['submissions'],
    body: SubmissionBodySchema,
    responses: {
      201: { description: 'submitted', content: { [JSON_TYPE]: SubmissionResultSchema } },
      200: { description: 'this account had submitted it already: nothing changed', content: { [JSON_TYPE]: SubmissionResultSchema } },
      400: error('INVALID_PARAMETER: not an arXiv id or URL (the message shows the forms accepted)'),
      401: UNAUTHENTICATED,
      404: error('NOT_FOUND: arXiv has no paper with this id'),
      429: { ...error("QUOTA_EXCEEDED: the account's submissions of the last 24 hours are at the quota; RATE_LIMITED: too many requests from this address"), headers: ['Retry-After'] },
      500: INTERNAL,
      503: { ...error('SOURCE_UNAVAILABLE: arXiv could not be reached, or submitting is off on this site; retry after Retry-After seconds'), headers: ['Retry-After'] },
    },
  },
  libraryOp('put'),
  libraryOp('delete'),
];

/** The account an access token names; 401 without one (a session cookie is not enough here). */
function reader(req: FastifyRequest): string {
  const v = viewerOf(req);
  if (!v || v.via !== 'token') throw new ApiProblem(401, 'UNAUTHENTICATED', 'this needs a personal access token: Authorization: Bearer pb_… (made on /me)');
  return v.accountId;
}

/** How a refused submission is answered over HTTP, by the API and the /submit form alike: status, code, and Retry-After (seconds) when trying again later may succeed. */
const SUBMISSION_REFUSALS: Record<SubmissionProblem, { status: number; code: ApiErrorCode; retryAfter: number | null }> = {
  malformed: { status: 400, code: 'INVALID_PARAMETER', retryAfter: null },
  unknown: { status: 404, code: 'NOT_FOUND', retryAfter: null },
  quota: { status: 429, code: 'QUOTA_EXCEEDED', retryAfter: 3600 },
  off: { status: 503, code: 'SOURCE_UNAVAILABLE', retryAfter: 120 },
  unavailable: { status: 503, code: 'SOURCE_UNAVAILABLE', retryAfter: 120 },
};

/** The status of a refused submission, its Retry-After set on the reply when it has one. */
export function submissionRefused(reply: FastifyReply, e: SubmissionError): { status: number; code: ApiErrorCode } {
  const r = SUBMISSION_REFUSALS[e.problem];
  if (r.retryAfter !== null) reply.header('retry-after', String(r.retryAfter));
  return r;
}

/** Registers the write operations on the /api scope (`prefix` stripped from their paths). */
export function writeRoutes(api: FastifyInstance, web: WebLibrary, base: string, prefix: string): void {
  const opts = (op: WriteOperation) => ({
    config: { csrf: 'none' as const },
    schema: { ...(op.body ? { body: op.body } : {}), response: Object.fromEntries(Object.entries(op.responses).flatMap(([s, r]) => (r.content?.[JSON_TYPE] ? [[s, r.content[JSON_TYPE]]] : []))) },
  });
  const url = (op: WriteOperation) => op.path.slice(prefix.length).replace(`{${op.wildcard}}`, '*');
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store').type('application/json; charset=utf-8');

  const [submit, save, unsave] = WRITE_OPERATIONS as [WriteOperation, WriteOperation, WriteOperation];
  api.post(url(submit), opts(submit), async (req, reply) => {
    const accountId = reader(req);
    try {
      const done = await web.submissions.submit(accountId, (req.body as { id: unknown }).id);
      return noStore(reply.code(done.recorded ? 201 : 200)).send({ paper: presentPaper(done.paper, base), recorded: done.recorded, first: done.first, fetched: done.fetched });
    } catch (e) {
      if (!(e instanceof SubmissionError)) throw e;
      const { status, code } = submissionRefused(reply, e);
      throw new ApiProblem(status, code, e.message);
    }
  });

  const libraryCall = (saving: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const accountId = reader(req);
    const raw = wildcardOf(req);
    try {
      const paperId = web.library.paperId(raw);
      const changed = saving ? await web.library.save(accountId, paperId) : await web.library.unsave(accountId, paperId);
      return noStore(reply).send({ paperId, saved: saving, changed });
    } catch (e) {
      if (e instanceof LibraryInputError) throw invalidParameter(`not an arXiv id: ${raw.slice(0, 80)}`);
      if (e instanceof PaperboyError && e.code === 'NOT_FOUND') throw notFound(`no paper ${raw.slice(0, 80)} here (submit it first)`);
      throw e;
    }
  };
  api.put(url(save), opts(save), libraryCall(true));
  api.delete(url(unsave), opts(unsave), libraryCall(false));
}
