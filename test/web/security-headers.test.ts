/**
 * The security headers, now worked out once at start rather than by @fastify/helmet on every
 * request: exactly the list helmet gave before, header for header and in the same order, on
 * pages, API answers, not-found and error answers and static files alike; HSTS and
 * upgrade-insecure-requests only on an https site; the API's resource policy opened to other
 * origins.
 */
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServices } from '../../src/container.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/delivery/http/app.js';
import { securityHeaders } from '../../src/delivery/http/security-headers.js';
import { IngestService } from '../../src/services/ingest.service.js';
import { sqliteHarness } from '../support/sqlite-harness.js';
import type { OpenedStore } from '../support/store-harness.js';
import { HAND_MADE, ingestRecords } from './site.js';
import type { FastifyInstance } from 'fastify';

const CSP =
  "default-src 'self';base-uri 'self';script-src 'self';style-src 'self';style-src-attr 'unsafe-inline';img-src 'self' data:;" +
  "font-src 'self';connect-src 'self';object-src 'none';frame-ancestors 'none';form-action 'self'";

/** What @fastify/helmet sent with our options (recorded from it before the change), in its order and spelling. */
const EXPECTED_HTTPS: [string, string][] = [
  ['Content-Security-Policy', `${CSP};upgrade-insecure-requests`],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['Strict-Transport-Security', 'max-age=31536000'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/** On plain http: no HSTS, and no upgrading of the site's own stylesheets to an https that isn't there. */
const EXPECTED_HTTP: [string, string][] = EXPECTED_HTTPS.filter(([name]) => name !== 'Strict-Transport-Security').map(([name, value]) => [
  name,
  name === 'Content-Security-Policy' ? CSP : value,
]);

/** Every header helmet can set (and X-Powered-By, which it removes), lower case: what a response is checked for. */
const HELMET_NAMES = new Set([
  ...EXPECTED_HTTPS.map(([n]) => n.toLowerCase()),
  'content-security-policy-report-only',
  'cross-origin-embedder-policy',
  'x-powered-by',
]);

/** The security headers of a response, as a name → value object in the order they came. */
function securityOf(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([n]) => HELMET_NAMES.has(n.toLowerCase())).map(([n, v]) => [n.toLowerCase(), String(v)]));
}

const asObject = (list: [string, string][]) => Object.fromEntries(list.map(([n, v]) => [n.toLowerCase(), v]));
/** The API's: the same, but other sites may embed its answers. */
const forApi = (list: [string, string][]) => ({ ...asObject(list), 'cross-origin-resource-policy': 'cross-origin' });

describe('the security header list', () => {
  it('is helmet’s, computed once: frozen, the same on every call', () => {
    const https = securityHeaders(true);
    expect(https).toEqual(EXPECTED_HTTPS);
    expect(securityHeaders(false)).toEqual(EXPECTED_HTTP);
    expect(Object.isFrozen(https)).toBe(true);
    expect(https.every((pair) => Object.isFrozen(pair))).toBe(true);
  });
});

for (const [publicUrl, expected] of [
  ['https://papers.example.org', EXPECTED_HTTPS],
  ['http://localhost:3000', EXPECTED_HTTP],
] as const) {
  describe(`security headers on every kind of response (${publicUrl})`, () => {
    let opened: OpenedStore;
    let app: FastifyInstance;
    let css: string;

    beforeAll(async () => {
      opened = await sqliteHarness.open();
      const { store } = opened;
      await ingestRecords(new IngestService(store), HAND_MADE);
      const config = loadConfig({ PUBLIC_URL: publicUrl, PAPERBOY_DEMO_DATA: 'false' });
      app = await buildApp({ config, store, ...readServices(opened) });
      css = /href="(\/static\/site\.css\?v=[\w-]+)"/.exec((await app.inject('/')).body)![1]!;
    });
    afterAll(async () => {
      await app.close();
      await opened.store.close();
    });

    it('a page, a paper page, the not-found page, a too large form and /healthz', async () => {
      for (const req of [
        { url: '/' },
        { url: '/papers/2606.90001' },
        { url: '/no/such/page' },
        { url: '/healthz' },
        { method: 'POST' as const, url: '/theme', payload: `theme=dark&back=${'x'.repeat(70_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      ]) {
        const res = await app.inject(req);
        expect([200, 404, 413], req.url).toContain(res.statusCode);
        expect(securityOf(res.headers), req.url).toEqual(asObject([...expected]));
      }
    });

    it('a static file', async () => {
      const res = await app.inject(css);
      expect(res.statusCode).toBe(200);
      expect(securityOf(res.headers)).toEqual(asObject([...expected]));
    });

    it('API and feed answers, found or not, with their resource policy open to other origins', async () => {
      for (const url of ['/api/v1/papers/2606.90001', '/api/openapi.json', '/api/v1/papers/2606.99999', '/api/no/such/route', '/feeds/latest.xml']) {
        const res = await app.inject(url);
        expect([200, 404], url).toContain(res.statusCode);
        expect(securityOf(res.headers), url).toEqual(forApi([...expected]));
      }
    });

    it('on the wire, spelled and ordered as helmet set them', async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as { port: number };
      const raw = await new Promise<string[]>((resolve, reject) =>
        get({ host: '127.0.0.1', port, path: '/papers/2606.90001' }, (res) => {
          res.resume();
          resolve(res.rawHeaders);
        }).on('error', reject),
      );
      const pairs: [string, string][] = [];
      for (let i = 0; i < raw.length; i += 2) if (HELMET_NAMES.has(raw[i]!.toLowerCase())) pairs.push([raw[i]!, raw[i + 1]!]);
      expect(pairs).toEqual(expected);
    });
  });
}
