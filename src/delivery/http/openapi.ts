/**
 * The OpenAPI 3.1 document served at /api/openapi.json, written from the operation table and
 * the very schemas Fastify validates and serialises with (api.operations.ts, api.schemas.ts):
 * a named schema becomes a component and every use of it a $ref, found by identity.
 */
import { API_OPERATIONS, FEED_OPERATIONS, JSON_TYPE, type Operation, type ResponseSpec, type Schema } from './api.operations.js';
import { COMPONENTS, ErrorSchema, VoteResultSchema } from './api.schemas.js';
import { WRITE_OPERATIONS, type WriteOperation } from './api.writes.js';

type PathItem = Partial<Record<'get' | 'post' | 'put' | 'delete', Json>>;

/** The read paths with the write operations (api.writes.ts) added under their methods. */
function withWrites(paths: Record<string, PathItem>): Record<string, PathItem> {
  for (const op of WRITE_OPERATIONS) paths[op.path] = { ...paths[op.path], [op.method]: operation(op) };
  return paths;
}

type Json = unknown;

const HEADERS: Record<string, { description: string; schema: Schema }> = {
  ETag: { description: 'send it back in If-None-Match to get 304 when nothing changed', schema: { type: 'string' } },
  'Cache-Control': { description: 'how long the answer may be reused', schema: { type: 'string' } },
  'Retry-After': { description: 'seconds to wait before the next request', schema: { type: 'integer' } },
};

const COMPONENT_NAMES = new Map<unknown, string>(Object.entries(COMPONENTS).map(([name, s]) => [s, name]));

/** A copy of a schema with every named schema inside it (itself too, unless `inside`) replaced by a $ref. */
function withRefs(schema: Json, inside = false): Json {
  const name = COMPONENT_NAMES.get(schema);
  if (name && !inside) return { $ref: `#/components/schemas/${name}` };
  if (Array.isArray(schema)) return schema.map((s) => withRefs(s));
  if (schema && typeof schema === 'object') return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, withRefs(v)]));
  return schema;
}

interface ObjectSchema {
  properties?: Record<string, Schema & { description?: string }>;
  required?: readonly string[];
}

function parameters(op: Operation): Json[] {
  const list: Json[] = [];
  for (const [where, schema] of [['path', op.params], ['query', op.querystring]] as const) {
    const s = (schema ?? {}) as ObjectSchema;
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const { description, ...rest } = prop;
      list.push({
        name,
        in: where,
        required: where === 'path' || (s.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: withRefs(rest),
      });
    }
  }
  return list;
}

function response(r: ResponseSpec): Json {
  return {
    description: r.description,
    ...(r.headers ? { headers: Object.fromEntries(r.headers.map((h) => [h, HEADERS[h]])) } : {}),
    ...(r.content
      ? { content: Object.fromEntries(Object.entries(r.content).map(([type, schema]) => [type, { schema: withRefs(schema) }])) }
      : {}),
  };
}

function operation(op: Operation | WriteOperation): Json {
  const write = 'method' in op;
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: op.tags,
    parameters: parameters(op),
    // the operations that act for a reader take an access token (decision 027), and a JSON body
    ...(write ? { security: [{ accessToken: [] }] } : {}),
    ...(write && op.body ? { requestBody: { required: true, content: { [JSON_TYPE]: { schema: withRefs(op.body) } } } } : {}),
    responses: Object.fromEntries(Object.entries(op.responses).map(([status, r]) => [status, response(r)])),
  };
}

/**
 * The operations that act for a reader (issue 13, decision 031): routed by api.votes.ts, never
 * cached, and named with the accessToken scheme in their `security`.
 */
const voteOperation = (operationId: string, summary: string, description: string, unknownPaper: boolean): Json => {
  const json = (schema: unknown) => ({ 'application/json': { schema: withRefs(schema) } });
  const err = (description: string, headers?: string[]) => ({
    description,
    ...(headers ? { headers: Object.fromEntries(headers.map((h) => [h, HEADERS[h]])) } : {}),
    content: json(ErrorSchema),
  });
  return {
    operationId,
    summary,
    description,
    tags: ['votes'],
    security: [{ accessToken: [] }],
    parameters: [
      { name: 'id', in: 'path', required: true, description: 'an arXiv id, with or without version (2405.15738, hep-th/9901001; the slash may be sent as %2F)', schema: { type: 'string' } },
    ],
    responses: {
      200: { description: "the reader's vote and the paper's local count after the request", content: json(VoteResultSchema) },
      400: err('INVALID_PARAMETER: the id is not an arXiv id'),
      401: err('UNAUTHENTICATED: no valid personal access token (Authorization: Bearer pb_…)'),
      ...(unknownPaper ? { 404: err('NOT_FOUND: no such paper here') } : {}),
      429: err('RATE_LIMITED: more votes from this reader than a minute allows; retry after Retry-After seconds', ['Retry-After']),
      500: err('INTERNAL: the server failed; nothing about the request is wrong'),
    },
  };
};

const VOTE_PATHS: Record<string, { post: Json; delete: Json }> = {
  '/api/v1/papers/{id}/vote': {
    post: voteOperation('votePaper', "Cast the reader's vote on a paper", 'One vote per reader and paper: casting it again changes nothing. The count is exact whatever the number of readers voting at once.', true),
    delete: voteOperation('unvotePaper', "Withdraw the reader's vote on a paper", 'Withdrawing a vote that is not there (or on a paper not stored here) changes nothing and answers 200.', false),
  },
};

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
  [key: string]: unknown;
}

/**
 * The version of the API and feed output: bump it when what they write changes. It is part of
 * every ETag, so that clients do not keep an old rendering of unchanged data after an upgrade.
 */
export const API_VERSION = '1.0.0';

export function buildOpenApi(publicUrl: string): OpenApiDocument {
  const ops = [...API_OPERATIONS, ...FEED_OPERATIONS];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Paperboy',
      version: API_VERSION,
      description:
        'Daily, weekly and monthly listings of research papers, papers by arXiv id and search, as JSON (/api/v1) and as RSS 2.0, Atom 1.0 and JSON Feed 1.1 (/feeds). ' +
        'Errors are `{"error":{"code","message"}}` with a stable code. Reads are open to any origin; /api is rate-limited per address.',
    },
    servers: [{ url: publicUrl.replace(/\/+$/, '') }],
    tags: [
      { name: 'papers', description: 'listings and papers' },
      { name: 'search', description: 'keyword search' },
      { name: 'feeds', description: 'RSS, Atom and JSON Feed of every listing and search' },
      { name: 'submissions', description: "submitting papers to the site's daily page (needs an access token)" },
      { name: 'library', description: "a reader's saved papers (needs an access token)" },
      { name: 'meta', description: 'this document' },
      { name: 'votes', description: "a reader's votes, with a personal access token" },
    ],
    paths: withWrites({ ...Object.fromEntries(ops.map((op) => [op.path, { get: operation(op) }])), ...VOTE_PATHS }),
    components: {
      schemas: Object.fromEntries(Object.entries(COMPONENTS).map(([name, s]) => [name, withRefs(s, true)])),
      // the reads need none; operations that act for a reader (votes, comments) name it in their `security`
      securitySchemes: {
        accessToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A personal access token, made and revoked on the reader\'s profile page (/me): `Authorization: Bearer pb_…`. It acts as the reader who made it, ' +
            'without a CSRF token (no browser sends it by itself), until revoked; it cannot manage the account (tokens, profile, deletion), which needs a signed-in browser.',
        },
      },
    },
  };
}
