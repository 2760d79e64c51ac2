/**
 * The operations of the OpenAPI document that act for a reader (issue 13, decision 031): `POST`
 * and `DELETE /api/v1/papers/{id}/vote` are called with a personal access token made on /me,
 * on SQLite and the PostgreSQL server, until their documented answers other than 500 have been
 * seen; each answer's status, content type, headers and body (Ajv, JSON Schema 2020-12) are
 * checked against the document, and the document names the accessToken scheme for both.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../src/delivery/http/openapi.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { signedIn } from '../web/sign-in.js';
import { openSiteStore } from '../web/site.js';
import { buildInboxSite, type InboxSite } from '../web/subscription-site.js';

const PATH = '/api/v1/papers/{id}/vote';

describe.each(STORE_HARNESSES)('the vote operations match the OpenAPI document on $name', (harness) => {
  let opened: OpenedStore;
  let site: InboxSite;
  let token: string;
  let doc: OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const seen = new Map<string, Set<number>>();

  beforeAll(async () => {
    opened = (await openSiteStore(harness)).opened;
    site = await buildInboxSite(opened, { community: true, env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0', PAPERBOY_VOTE_RATE_LIMIT: '6' } });
    const b = await signedIn(site, 'openapi-votes@example.org');
    await b.get('/me');
    const made = await b.form('/me/tokens', { name: 'doc', _csrf: b.csrf() });
    token = /<code class="new-token">(pb_[A-Za-z0-9_-]{43})<\/code>/.exec(made.body)![1]!;
    doc = (await site.get('/api/openapi.json')).json<OpenApiDocument>();
    ajv.addSchema(doc, 'openapi.json');
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await opened?.store.close();
    await opened?.drop();
  });

  const call = (method: 'post' | 'delete', id: string, auth = true) =>
    site.app.inject({ method: method.toUpperCase() as 'POST' | 'DELETE', url: `/api/v1/papers/${id}/vote`, headers: auth ? { authorization: `Bearer ${token}` } : {} });

  function check(method: 'post' | 'delete', r: LightMyRequestResponse): void {
    const op = doc.paths[PATH]![method] as { operationId: string; responses: Record<string, { content: Record<string, unknown>; headers?: Record<string, unknown> }> };
    const documented = op.responses[String(r.statusCode)];
    expect(documented, `${method} → ${r.statusCode}: ${r.body}`).toBeDefined();
    for (const h of Object.keys(documented!.headers ?? {})) expect(r.headers[h.toLowerCase()], `${method} ${r.statusCode}: header ${h}`).toBeDefined();
    expect(String(r.headers['content-type'])).toMatch(/^application\/json/);
    const validate = ajv.compile({ $ref: `openapi.json#/paths/${PATH.replace(/\//g, '~1')}/${method}/responses/${r.statusCode}/content/application~1json/schema` });
    expect(validate(r.json()), ajv.errorsText(validate.errors)).toBe(true);
    seen.set(method, (seen.get(method) ?? new Set()).add(r.statusCode));
  }

  it('names the access token scheme for both operations', () => {
    expect(doc.components.securitySchemes.accessToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const m of ['post', 'delete'] as const) expect((doc.paths[PATH]![m] as { security: unknown }).security).toEqual([{ accessToken: [] }]);
  });

  it('answers as documented: 200, 400, 401, 404 and 429', async () => {
    const cast = await call('post', '2606.90002');
    expect(cast.json()).toEqual({ paperId: '2606.90002', voted: true, votes: 1 });
    check('post', cast);
    check('delete', await call('delete', 'hep-th%2F9901001'));
    check('post', await call('post', 'nonsense'));
    const none = await call('delete', '2606.00000');
    expect(none.json()).toEqual({ paperId: '2606.00000', voted: false, votes: 0 });
    check('delete', none);
    check('post', await call('post', '2606.90002', false));
    check('delete', await call('delete', '2606.90002', false));
    check('post', await call('post', '2606.99999'));
    check('delete', await call('delete', 'nonsense'));
    // six vote requests a minute for this reader, cast or withdrawn: the seventh and eighth are refused
    for (const m of ['post', 'delete'] as const) {
      const over = await call(m, '2606.90002');
      expect(over.statusCode).toBe(429);
      check(m, over);
    }
  });

  it('has brought out every documented answer but 500', () => {
    for (const m of ['post', 'delete'] as const) {
      const documented = Object.keys((doc.paths[PATH]![m] as { responses: object }).responses).map(Number).filter((s) => s !== 500);
      expect([...(seen.get(m) ?? [])].sort(), m).toEqual(expect.arrayContaining(documented));
    }
  });
});
