/**
 * The API operations that act for a reader (issue 13, decisions 032 and 033), on SQLite and on
 * the PostgreSQL server, against a local arXiv API serving recorded responses: POST
 * /api/v1/submissions and PUT/DELETE /api/v1/library/{paperId} with a personal access token;
 * 401 without one (a session cookie is not enough), 400 for a malformed id, 404 for an unknown
 * paper, 429 QUOTA_EXCEEDED past the daily quota; every answer checked against what the OpenAPI
 * document says of its operation and status (Ajv, JSON Schema 2020-12), and every documented
 * answer brought out.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITE_OPERATIONS } from '../../src/delivery/http/api.writes.js';
import type { OpenApiDocument } from '../../src/delivery/http/openapi.js';
import { startArxivIdServer } from '../support/arxiv-id-server.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import type { FixtureServer } from '../sources/harness.js';
import { signedIn as signInAs } from '../web/sign-in.js';
import { openSiteStore } from '../web/site.js';
import { buildInboxSite, type InboxSite } from '../web/subscription-site.js';

interface WriteOp {
  operationId: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}

const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

describe.each(STORE_HARNESSES)('the reader API on $name', (harness) => {
  let opened: OpenedStore;
  let site: InboxSite;
  let arxiv: { server: FixtureServer; url: string; asked: () => string[] };
  let doc: OpenApiDocument;
  let token: string;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const seen = new Map<string, Set<number>>();

  beforeAll(async () => {
    arxiv = await startArxivIdServer();
    opened = (await openSiteStore(harness)).opened;
    site = await buildInboxSite(opened, { arxivApiUrl: arxiv.url, env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0', PAPERBOY_SUBMISSIONS_PER_DAY: '2' } });
    doc = (await site.get('/api/openapi.json')).json<OpenApiDocument>();
    ajv.addSchema(doc, 'openapi.json');
    const b = await signInAs(site, 'api-reader@example.org');
    await b.get('/me');
    token = /<code class="new-token">(pb_[A-Za-z0-9_-]{43})<\/code>/.exec((await b.form('/me/tokens', { name: 'script', _csrf: b.csrf() })).body)![1]!;
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await arxiv?.server.close();
    await opened?.store.close();
    await opened?.drop();
  });

  /** Calls the API and checks the answer against the document's operation `path` `method`. */
  async function call(method: 'post' | 'put' | 'delete', path: string, url: string, o: { auth?: string | null; body?: unknown; cookie?: string } = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {};
    if (o.auth !== null) headers.authorization = `Bearer ${o.auth ?? token}`;
    if (o.cookie) headers.cookie = o.cookie;
    const r = await site.app.inject({ method: method.toUpperCase() as 'POST', url, headers, ...(o.body === undefined ? {} : { payload: o.body as object }) });
    const op = (doc.paths[path] as Record<string, WriteOp>)[method]!;
    const what = `${op.operationId} ${url} → ${r.statusCode}: ${r.body.slice(0, 200)}`;
    const documented = op.responses[String(r.statusCode)];
    expect(documented, what).toBeDefined();
    seen.set(op.operationId, (seen.get(op.operationId) ?? new Set()).add(r.statusCode));
    for (const h of Object.keys(documented!.headers ?? {})) expect(r.headers[h.toLowerCase()], `${what}: header ${h}`).toBeDefined();
    expect(r.headers['cache-control'], what).toBe('no-store');
    const validate = ajv.compile({ $ref: `openapi.json#/paths/${pointer(path)}/${method}/responses/${r.statusCode}/content/application~1json/schema` });
    expect(validate(r.json()), `${what}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    return r;
  }

  it('documents each operation with the access token scheme and a JSON body where it takes one', () => {
    const submit = (doc.paths['/api/v1/submissions'] as Record<string, WriteOp & { requestBody?: unknown }>).post!;
    expect(submit.security).toEqual([{ accessToken: [] }]);
    expect(submit.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { required: ['id'] } } } });
    const lib = doc.paths['/api/v1/library/{paperId}'] as Record<string, WriteOp>;
    expect(Object.keys(lib).sort()).toEqual(['delete', 'put']);
    expect(lib.put!.security).toEqual([{ accessToken: [] }]);
  });

  it('submits by id or URL with a token, fetching from arXiv once, and refuses what it should', async () => {
    const path = '/api/v1/submissions';
    const made = await call('post', path, path, { body: { id: 'https://arxiv.org/abs/1606.02159v1' } });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ paper: { id: '1606.02159' }, recorded: true, first: true, fetched: true });
    const again = await call('post', path, path, { body: { id: '1606.02159' } });
    expect([again.statusCode, again.json<{ recorded: boolean; fetched: boolean }>().fetched]).toEqual([200, false]);
    expect(arxiv.asked()).toEqual(['1606.02159']);
    expect((await call('post', path, path, { auth: null, body: { id: '1606.02159' } })).json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect((await call('post', path, path, { auth: 'pb_forged', body: { id: '1606.02159' } })).statusCode).toBe(401);
    expect((await call('post', path, path, { body: { id: 'hep-th/99' } })).json()).toMatchObject({ error: { code: 'INVALID_PARAMETER' } });
    expect((await call('post', path, path, { body: {} })).statusCode).toBe(400);
    expect((await call('post', path, path, { body: { id: '2301.00404' } })).json()).toMatchObject({ error: { code: 'NOT_FOUND', message: 'arXiv has no paper 2301.00404: check the id' } });
    expect((await call('post', path, path, { body: { id: '1610.08734' } })).statusCode).toBe(201);
    const over = await call('post', path, path, { body: { id: '2102.00018' } });
    expect([over.statusCode, over.json<{ error: { code: string } }>().error.code]).toEqual([429, 'QUOTA_EXCEEDED']);
    expect(arxiv.asked()).not.toContain('2102.00018');
  });

  it('answers 503 SOURCE_UNAVAILABLE with Retry-After when arXiv cannot be reached', async () => {
    const down = await buildInboxSite(opened, { arxivApiUrl: 'http://127.0.0.1:9/api/query', env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0' } });
    try {
      const r = await down.app.inject({ method: 'POST', url: '/api/v1/submissions', headers: { authorization: `Bearer ${token}` }, payload: { id: '1205.6628' } });
      expect([r.statusCode, r.json<{ error: { code: string } }>().error.code, r.headers['retry-after']]).toEqual([503, 'SOURCE_UNAVAILABLE', '120']);
      seen.get('submitPaper')!.add(503);
    } finally {
      await down.close();
    }
  });

  it('saves and unsaves with a token, idempotently; the session cookie alone is not enough', async () => {
    const path = '/api/v1/library/{paperId}';
    expect((await call('put', path, '/api/v1/library/2606.90002v2')).json()).toEqual({ paperId: '2606.90002', saved: true, changed: true });
    expect((await call('put', path, '/api/v1/library/2606.90002')).json()).toEqual({ paperId: '2606.90002', saved: true, changed: false });
    expect((await call('put', path, '/api/v1/library/hep-th%2F9901001')).json()).toEqual({ paperId: 'hep-th/9901001', saved: true, changed: true });
    expect((await call('put', path, '/api/v1/library/hep-th/9901001')).json()).toMatchObject({ changed: false });
    expect((await call('put', path, '/api/v1/library/2607.00404')).statusCode).toBe(404);
    expect((await call('put', path, '/api/v1/library/nonsense')).statusCode).toBe(400);
    expect((await call('delete', path, '/api/v1/library/nonsense')).statusCode).toBe(400);
    const b = await signInAs(site, 'cookie-only@example.org');
    const cookie = [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    expect((await call('put', path, '/api/v1/library/2606.90002', { auth: null, cookie })).statusCode).toBe(401);
    expect((await call('delete', path, '/api/v1/library/2606.90002', { auth: null })).statusCode).toBe(401);
    expect((await call('delete', path, '/api/v1/library/2606.90002')).json()).toEqual({ paperId: '2606.90002', saved: false, changed: true });
    expect((await call('delete', path, '/api/v1/library/2606.90002')).json()).toEqual({ paperId: '2606.90002', saved: false, changed: false });
    const account = await opened.accounts.accountByEmail('api-reader@example.org');
    expect((await opened.library.savedPapers(account!.id, 'all', 10, 0)).map((s) => s.paperId)).toEqual(['hep-th/9901001']);
  });

  it('has brought out every documented answer but 429 RATE_LIMITED and 500 (those of every /api operation, tested in openapi.test.ts)', () => {
    // this suite's operations (api.writes.ts); the votes' are checked in openapi-votes.test.ts
    const mine = new Set(WRITE_OPERATIONS.map((op) => op.operationId));
    const missing: string[] = [];
    for (const item of Object.values(doc.paths))
      for (const [method, op] of Object.entries(item as Record<string, WriteOp>))
        if (method !== 'get' && mine.has(op.operationId))
          for (const status of Object.keys(op.responses).map(Number))
            if (!seen.get(op.operationId)?.has(status) && status !== 500 && !(status === 429 && op.operationId !== 'submitPaper')) missing.push(`${op.operationId} ${status}`);
    expect(missing).toEqual([]);
  });
});
