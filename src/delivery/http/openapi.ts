/**
 * The OpenAPI 3.1 document served at /api/openapi.json, written from the operation table and
 * the very schemas Fastify validates and serialises with (api.operations.ts, api.schemas.ts):
 * a named schema becomes a component and every use of it a $ref, found by identity.
 */
import { API_OPERATIONS, FEED_OPERATIONS, JSON_TYPE, type Operation, type ResponseSpec, type Schema } from './api.operations.js';
import { COMPONENTS } from './api.schemas.js';
import { WRITE_OPERATIONS, type WriteMethod, type WriteOperation } from './api.writes.js';

/** The read paths with the write operations (api.writes.ts) added under their methods. */
function withWrites(paths: Record<string, Partial<Record<'get' | WriteMethod, Json>>>): Record<string, Partial<Record<'get' | WriteMethod, Json>>> {
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

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  paths: Record<string, Partial<Record<'get' | WriteMethod, Json>>>;
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
    ],
    paths: withWrites(Object.fromEntries(ops.map((op) => [op.path, { get: operation(op) }]))),
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
