/**
 * What the pages must withstand and promise, on every store: script, image-onerror and iframe
 * payloads in titles, abstracts, authors and links rendered inert; the security headers and a
 * CSP without inline scripts; ETags and 304s that follow the data; the theme cookie; /healthz;
 * a 500 page that leaks nothing.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { IngestService } from '../../src/services/ingest.service.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { kaggleRecord } from '../support/papers.js';
import { sqliteHarness } from '../support/sqlite-harness.js';
import type { OpenedStore } from '../support/store-harness.js';
import { attrs, buildSite, HAND_MADE, ingestRecords, useSite, type Site } from './site.js';

/** Tags no payload may produce. Escaped text holds no "<", so every "<tag" in a page is real markup. */
const LIVE_TAGS = [/<script(?![^>]*src="\/static\/site\.js\?v=[\w-]+" defer>)/i, /<img\b/i, /<iframe\b/i, /<svg\b/i, /<b>/];

function expectInert(html: string, where: string): void {
  for (const re of LIVE_TAGS) expect(re.test(html), `${where}: ${String(re)}`).toBe(false);
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  expect(tags.length, where).toBeGreaterThan(10);
  // no event handler and no script URL in any attribute of any real tag
  const bad = tags.flatMap((tag) =>
    [...tag.matchAll(/\s([^\s=>"']+)(?:=("[^"]*"|'[^']*'|[^\s>]+))?/g)]
      .filter(([, name, value]) => /^on/i.test(name!) || /^["']?\s*javascript:/i.test(value ?? ''))
      .map(() => tag),
  );
  expect(bad, where).toEqual([]);
}

for (const harness of STORE_HARNESSES) {
  describe(`web security and caching: ${harness.name}`, () => {
    const theSite = useSite(harness);
    let site: Site;
    beforeEach(() => {
      site = theSite();
    });

    it('renders script, onerror and iframe payloads as text on listings and the paper page', async () => {
      // a paper only arXiv lists is among all new papers, not the curated ones (decision 028)
      for (const url of ['/papers/date/2026-06-30?order=newest&all=1', '/papers/week/2026-W27?order=newest&all=1', '/papers/2606.90001']) {
        const res = await site.get(url);
        expect(res.statusCode, url).toBe(200);
        expect(res.body, url).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; Attack &lt;img src=x onerror=alert(1)&gt;');
        expect(res.body, url).toContain('&lt;script&gt;alert(7)&lt;/script&gt; Mallory');
        expectInert(res.body, url);
      }
      const paper = (await site.get('/papers/2606.90001')).body;
      expect(paper).toContain('&lt;iframe src=&quot;javascript:alert(3)&quot;&gt;&lt;/iframe&gt;');
      expect(paper).toContain('<meta name="citation_author" content="&lt;script&gt;alert(7)&lt;/script&gt; Mallory">');
      expect(paper).toContain('10.1/&quot;&gt;&lt;script&gt;alert(10)&lt;/script&gt;');
      // math inside $…$ goes through KaTeX, which escapes it as well (or falls back to escaped source)
      expect(paper).not.toContain('<iframe src=javascript');
    });

    it('sends the security headers and a CSP without inline or remote scripts', async () => {
      const res = await site.get('/');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).toMatch(/style-src 'self'(;|$)/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain('upgrade-insecure-requests'); // the public URL is https
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
      // and the page keeps to it: no inline script or style element, no event handler attribute
      expect(res.body).not.toMatch(/<script(?![^>]*\ssrc=)/);
      expect(res.body).not.toMatch(/<style/);
      expect(res.body).not.toMatch(/\son[a-z]+=/);
    });

    it('tags listings with an ETag, answers 304 to it, and changes it when papers change', async () => {
      const first = await site.get('/papers/date/2026-06-30');
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^W\/".+"$/);
      expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+/);
      expect(first.headers.vary).toBe('Cookie, Accept-Encoding');
      const again = await site.get('/papers/date/2026-06-30', { 'if-none-match': etag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect((await site.get('/papers/date/2026-06-30', { 'if-none-match': `"other", ${etag}` })).statusCode).toBe(304);
      await ingestRecords(site.ingest, [kaggleRecord('2606.90009', { title: 'A late arrival', submittedAt: '2026-06-30T23:00:00.000Z', versions: [{ version: 1, submittedAt: '2026-06-30T23:00:00.000Z', size: null }] })]);
      const changed = await site.get('/papers/date/2026-06-30?order=newest&all=1', {});
      expect(changed.body).toContain('A late arrival');
      const after = await site.get('/papers/date/2026-06-30', { 'if-none-match': etag });
      expect(after.statusCode).toBe(200);
      expect(after.headers.etag).not.toBe(etag);
    });

    it('compresses cached pages for clients that accept it, the same bytes underneath', async () => {
      const plain = await site.get('/papers/date/2026-06-29');
      const br = await site.app.inject({ method: 'GET', url: '/papers/date/2026-06-29', headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
      const gz = await site.app.inject({ method: 'GET', url: '/papers/date/2026-06-29', headers: { 'accept-encoding': 'gzip' } });
      expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
      expect(String(gz.headers.vary)).toBe('Cookie, Accept-Encoding');
    });

    it('switches the theme with a form post and a cookie, and renders it without script', async () => {
      const post = await site.app.inject({ method: 'POST', url: '/theme', payload: 'theme=dark&back=%2Fpapers%2Fdate%2F2026-06-29', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(post.statusCode).toBe(303);
      expect(post.headers.location).toBe('/papers/date/2026-06-29');
      const cookie = String(post.headers['set-cookie']);
      expect(cookie).toMatch(/^theme=dark; Max-Age=\d+; Path=\/; SameSite=Lax; HttpOnly; Secure$/);
      const dark = await site.get('/papers/date/2026-06-29', { cookie: 'other=1; theme=dark' });
      expect(dark.body).toContain('<html lang="en" data-theme="dark">');
      expect(dark.body).toContain('name="theme" value="dark" aria-pressed="true"');
      const auto = await site.get('/papers/date/2026-06-29');
      expect(auto.body).toContain('<html lang="en">');
      expect(auto.headers.etag).not.toBe(dark.headers.etag);
      for (const back of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
        const res = await site.app.inject({ method: 'POST', url: '/theme', payload: { theme: 'light', back } });
        expect(res.headers.location, back).toBe('/');
      }
      const reset = await site.app.inject({ method: 'POST', url: '/theme', payload: { theme: 'auto', back: '/' } });
      expect(String(reset.headers['set-cookie'])).toMatch(/^theme=; Max-Age=0;/);
    });

    it('with subscriptions off (no inbox wired), answers the subscribe form 503 saying so, storing nothing', async () => {
      const res = await site.app.inject({ method: 'POST', url: '/subscribe', payload: { email: '<script>@x.org', frequency: 'weekly' } });
      expect(res.statusCode).toBe(503);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('Subscriptions are off');
      expectInert(res.body, 'subscribe');
    });

    it('answers /healthz while the database does', async () => {
      const res = await site.get('/healthz');
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });
}

describe('failures', () => {
  // a real SQLite store in a temporary directory: its database can be broken behind its back
  const harness = sqliteHarness;

  /** A fresh store with its real ingest service, holding the hand-made papers unless `empty`. */
  async function openStore(empty = false): Promise<{ opened: OpenedStore; ingest: IngestService }> {
    const opened = await harness.open();
    const ingest = new IngestService(opened.store);
    if (!empty) await ingestRecords(ingest, HAND_MADE);
    return { opened, ingest };
  }

  it('shows a 500 page that leaks no message or stack, and a 503 health when the database is gone', async () => {
    const { opened, ingest } = await openStore();
    const logged: string[] = [];
    const site = await buildSite(opened, ingest, {}, { log: (m) => logged.push(m) });
    try {
      // the papers table swapped, from another connection, for a view of a table that is not there:
      // every read of papers then fails with a driver error naming it, as real errors name paths,
      // tables and addresses
      await opened.exec(`ALTER TABLE papers RENAME TO papers_kept; CREATE VIEW papers AS SELECT * FROM "SECRET at /srv/paperboy/db password=hunter2"`);
      const res = await site.get('/');
      expect(res.statusCode).toBe(500);
      expect(res.body).toContain('Something went wrong');
      expect(res.body).not.toMatch(/SECRET|hunter2|\/srv\/|at .*\.ts/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(logged.join('\n')).toContain('SECRET'); // the operator sees it in the log
      await opened.store.close();
      expect((await site.get('/healthz')).statusCode).toBe(503);
    } finally {
      await site.close();
      await opened.drop();
    }
  });

  it('welcomes on an empty store instead of failing', async () => {
    const { opened, ingest } = await openStore(true);
    const site = await buildSite(opened, ingest);
    try {
      const home = await site.get('/');
      expect(home.statusCode).toBe(200);
      expect(home.body).toContain('<h1>No papers yet</h1>');
      expect((await site.get('/papers/week')).headers.location).toBe('/');
      expect((await site.get('/papers/date/2026-06-30')).statusCode).toBe(404);
    } finally {
      await site.close();
      await opened.store.close();
      await opened.drop();
    }
  });

  it('escapes the error page too, and keeps bad request bodies from becoming 500s', async () => {
    const { opened, ingest } = await openStore();
    const site = await buildSite(opened, ingest);
    try {
      const big = await site.app.inject({ method: 'POST', url: '/theme', payload: `theme=dark&back=${'x'.repeat(70_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(big.statusCode).toBe(413);
      expect(big.body).toContain('That request could not be handled');
      const odd = await site.app.inject({ method: 'POST', url: '/subscribe', payload: '{"email":', headers: { 'content-type': 'application/json' } });
      expect(odd.statusCode).toBe(400);
      expect(attrs(odd.body, 'data-theme')).toEqual([]);
    } finally {
      await site.close();
      await opened.store.close();
      await opened.drop();
    }
  });
});
