/**
 * /api/openapi.json says what the server does, on every store: every documented operation is
 * called with app.inject() until each of its documented answers has been seen (200, 304, 400,
 * 404, 429, 500, 503), and every answer is checked against the document: its status is documented,
 * its content type and headers are, and its body validates (Ajv, JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1) against the documented schema. And every /api and /feeds route the
 * app has is documented, and nothing more.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/core/errors.js';
import type { OpenApiDocument } from '../../src/delivery/http/openapi.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { routeTable } from './route-table.js';
import { appOn, appWith, openSite, replacing, type TestSite } from './site.js';

interface Op {
  path: string;
  operationId: string;
  parameters: { name: string; in: string; required: boolean }[];
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}

/** Requests that bring out each documented answer other than 304, 429 and 500 (those are made for every operation). */
const EXAMPLES: [operationId: string, url: string, status: number][] = [
  ['getLatestPapers', '/api/v1/papers/latest?pageSize=3', 200],
  ['getLatestPapers', '/api/v1/papers/latest?pageSize=1000', 400],
  ['getDayPapers', '/api/v1/papers/date/2026-06-30?order=upvoted&page=2&pageSize=5', 200],
  ['getDayPapers', '/api/v1/papers/date/2026-06-27', 200],
  ['getDayPapers', '/api/v1/papers/date/2026-02-30', 400],
  ['getWeekPapers', '/api/v1/papers/week/2026-W27', 200],
  ['getWeekPapers', '/api/v1/papers/week/27', 400],
  ['getMonthPapers', '/api/v1/papers/month/2026-06?pageSize=100', 200],
  ['getMonthPapers', '/api/v1/papers/month/2026-06?order=oldest', 400],
  ['getPaper', '/api/v1/papers/2606.26740v1', 200],
  ['getPaper', '/api/v1/papers/hep-th/9901001', 200],
  ['getPaper', '/api/v1/papers/2606.99001', 200],
  ['getPaper', '/api/v1/papers/nonsense', 400],
  ['getPaper', '/api/v1/papers/2606.00000', 404],
  ['searchPapers', '/api/v1/search?q=video%20editing', 200],
  ['searchPapers', '/api/v1/search?q=diffusion&sort=date&limit=5&offset=5', 200],
  ['searchPapers', '/api/v1/search?q=%22unbalanced%20(quote', 200],
  ['searchPapers', '/api/v1/search?q=', 400],
  ['searchPapers', '/api/v1/search?q=kv%20cache&mode=semantic', 400],
  ['getOpenApi', '/api/openapi.json', 200],
  ...(['rss', 'atom', 'json'] as const).flatMap((f): [string, string, number][] => {
    const F = f[0]!.toUpperCase() + f.slice(1);
    return [
      [`getLatestFeed${F}`, `/feeds/latest.${f}`, 200],
      [`getLatestFeed${F}`, `/feeds/latest.${f}?order=best`, 400],
      [`getDayFeed${F}`, `/feeds/date/2026-06-30.${f}?order=newest`, 200],
      [`getDayFeed${F}`, `/feeds/date/2026-02-30.${f}`, 400],
      [`getWeekFeed${F}`, `/feeds/week/2026-W26.${f}`, 200],
      [`getWeekFeed${F}`, `/feeds/week/2026-W00.${f}`, 400],
      [`getMonthFeed${F}`, `/feeds/month/2026-06.${f}`, 200],
      [`getMonthFeed${F}`, `/feeds/month/2026-00.${f}`, 400],
      [`getSearchFeed${F}`, `/feeds/search.${f}?q=video`, 200],
      [`getSearchFeed${F}`, `/feeds/search.${f}`, 400],
    ];
  }),
];

const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

for (const harness of STORE_HARNESSES) {
  describe(`the OpenAPI document matches the server: ${harness.name}`, () => {
    let site: TestSite;
    let doc: OpenApiDocument;
    let ops: Op[];
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validators = new Map<string, ValidateFunction>();
    /** operationId → statuses seen, each checked against the document */
    const seen = new Map<string, Set<number>>();

    beforeAll(async () => {
      site = await openSite(harness);
      doc = (await site.app.inject('/api/openapi.json')).json<OpenApiDocument>();
      ajv.addSchema(doc, 'openapi.json');
      // the reads; the operations that act for a reader (POST, DELETE) are checked in their own test below
      ops = Object.entries(doc.paths)
        .filter(([, item]) => item.get)
        .map(([path, item]) => ({ path, ...(item.get as Omit<Op, 'path'>) }));
    });
    afterAll(() => site.close());

    /** Checks one answer against what the document says of its operation and status. */
    function check(op: Op, url: string, r: LightMyRequestResponse): void {
      const what = `${op.operationId} ${url} → ${r.statusCode}`;
      const documented = op.responses[String(r.statusCode)];
      expect(documented, `${what}: undocumented status; body ${r.body.slice(0, 300)}`).toBeDefined();
      seen.set(op.operationId, (seen.get(op.operationId) ?? new Set()).add(r.statusCode));
      for (const h of Object.keys(documented!.headers ?? {})) expect(r.headers[h.toLowerCase()], `${what}: header ${h}`).toBeDefined();
      if (!documented!.content) return void expect(r.body, what).toBe('');
      const type = String(r.headers['content-type']).split(';')[0]!;
      expect(Object.keys(documented!.content), what).toContain(type);
      const ref = `openapi.json#/paths/${pointer(op.path)}/get/responses/${r.statusCode}/content/${pointer(type)}/schema`;
      let validate = validators.get(ref);
      if (!validate) validators.set(ref, (validate = ajv.compile({ $ref: ref })));
      const body: unknown = type.endsWith('json') ? r.json() : r.body;
      expect(validate(body), `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }

    const opById = (id: string) => ops.find((o) => o.operationId === id)!;

    it('is an OpenAPI 3.1 document whose operations are unique and whose path parameters are declared', () => {
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.servers).toEqual([{ url: 'https://papers.example.org/pb' }]);
      expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
      for (const op of ops) {
        const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name), op.path).toEqual(inPath);
        expect(op.parameters.filter((p) => p.in === 'path').every((p) => p.required)).toBe(true);
      }
    });

    it('documents the answers the examples bring out, bodies valid', async () => {
      for (const [id, url, status] of EXAMPLES) {
        const op = opById(id);
        expect(op, id).toBeDefined();
        const r = await site.app.inject(url);
        expect(r.statusCode, `${id} ${url}: ${r.body.slice(0, 300)}`).toBe(status);
        check(op, url, r);
      }
    });

    it('documents 304 for every operation, given the ETag of its first answer', async () => {
      for (const [id, url, status] of EXAMPLES.filter((e) => e[2] === 200)) {
        const first = await site.app.inject(url);
        const r = await site.app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
        expect(r.statusCode, `${id} ${url}`).toBe(status === 200 ? 304 : status);
        check(opById(id), url, r);
      }
    });

    it('documents 429 for every /api operation and search feed once an address is over its limit', async () => {
      const app = await appWith(site, { PAPERBOY_API_RATE_LIMIT: '1', PAPERBOY_SEARCH_RATE_LIMIT: '1' });
      try {
        for (const [id, url] of EXAMPLES.filter(([, u, s]) => (u.startsWith('/api/') || u.startsWith('/feeds/search.')) && s === 200)) {
          const remoteAddress = `198.51.100.${EXAMPLES.findIndex((e) => e[1] === url)}`;
          await app.inject({ url, remoteAddress });
          const r = await app.inject({ url, remoteAddress });
          expect(r.statusCode, url).toBe(429);
          check(opById(id), url, r);
        }
      } finally {
        await app.close();
      }
    });

    it('documents 404 for the latest listing while there are no papers at all', async () => {
      const app = await appOn(replacing(site.container, 'listing', { latestDay: async () => null }));
      try {
        const r = await app.inject('/api/v1/papers/latest');
        expect(r.statusCode).toBe(404);
        check(opById('getLatestPapers'), '/api/v1/papers/latest', r);
        const feed = await app.inject('/feeds/latest.atom'); // a reader gets an empty feed instead
        expect(feed.statusCode).toBe(200);
      } finally {
        await app.close();
      }
    });

    it('documents 500 INTERNAL for every operation when the store fails, without leaking why', async () => {
      const down = async () => {
        throw new Error('connection refused: secret-host:5432');
      };
      let broken = replacing(site.container, 'listing', { latestDay: down, listing: down, paper: down });
      broken = replacing(broken, 'search', { search: down });
      const app = await appOn(broken);
      try {
        for (const [id, url] of EXAMPLES.filter(([i, , s]) => s === 200 && i !== 'getOpenApi')) {
          const r = await app.inject(url);
          expect(r.statusCode, url).toBe(500);
          expect(r.json<{ error: { code: string; message: string } }>().error, url).toEqual({ code: 'INTERNAL', message: 'internal error; it has been logged' });
          check(opById(id), url, r);
        }
      } finally {
        await app.close();
      }
    });

    it('documents 503 QUERY_TIMEOUT with Retry-After for every operation that reads the store, when a read runs over its budget', async () => {
      const slow = async () => {
        throw new PaperboyError('QUERY_TIMEOUT', 'this request needed more than 3 s of database work and was stopped; narrow it');
      };
      let stalled = replacing(site.container, 'listing', { latestDay: slow, listing: slow, paper: slow });
      stalled = replacing(stalled, 'search', { search: slow });
      const app = await appOn(stalled);
      try {
        for (const [id, url] of EXAMPLES.filter(([i, , s]) => s === 200 && i !== 'getOpenApi')) {
          const r = await app.inject(url);
          expect(r.statusCode, url).toBe(503);
          expect(r.headers['retry-after'], url).toMatch(/^\d+$/);
          expect(r.json<{ error: { code: string; message: string } }>().error.code, url).toBe('QUERY_TIMEOUT');
          check(opById(id), url, r);
        }
      } finally {
        await app.close();
      }
    });

    it('has brought out every documented answer of every operation', () => {
      const missing = ops.flatMap((op) =>
        Object.keys(op.responses)
          .map(Number)
          .filter((status) => !seen.get(op.operationId)?.has(status))
          .map((status) => `${op.operationId} ${status}`),
      );
      expect(missing).toEqual([]);
    });

    it('documents every /api and /feeds route the app has, and no other', () => {
      const documented = ops.map((o) => o.path).map((p) => (p === '/api/v1/papers/{id}' ? '/api/v1/papers/*' : p.replace(/\{(\w+)\}/g, ':$1')));
      const routed = routeTable(site.app, 'GET').filter((p) => p.startsWith('/api/') || p.startsWith('/feeds/'));
      expect(routed.sort()).toEqual(documented.sort());
    });
  });
}

