/**
 * /api/v1 on every store, through app.inject(): listings by day, week and month with page
 * pagination and links, papers by any spelling of their id, JSON errors with stable codes,
 * CORS, ETags and the rate limit. The store holds the demo papers (June 2026) and two more.
 */
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container } from '../../src/container.js';
import { apiRoutes } from '../../src/delivery/http/api.routes.js';
import type { PublicPaper } from '../../src/delivery/http/api.schemas.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { appWith, HOSTILE, HOSTILE_ID, OLD_STYLE_ID, openSite, PUBLIC_URL, replacing, type TestSite } from './site.js';

interface Listing {
  period: { kind: string; key: string; from: string; to: string; previous: { key: string; href: string } | null; next: unknown };
  order: string;
  page: number;
  pageSize: number;
  total: number;
  papers: PublicPaper[];
  links: { self: string; first: string; last: string; prev: string | null; next: string | null; html: string; feeds: Record<string, string> };
}

const json = <T>(r: LightMyRequestResponse) => r.json<T>();
const errorOf = (r: LightMyRequestResponse) => r.json<{ error: { code: string; message: string } }>().error;
/** The path and query of an absolute link, to follow it with inject(). */
const follow = (link: string) => {
  expect(link.startsWith(`${PUBLIC_URL}/`)).toBe(true);
  return link.slice(PUBLIC_URL.length);
};

for (const harness of STORE_HARNESSES) {
  describe(`the JSON API: ${harness.name}`, () => {
    let site: TestSite;
    let app: FastifyInstance;
    const get = async (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

    beforeAll(async () => {
      site = await openSite(harness);
      app = site.app;
    });
    afterAll(() => site.close());

    it("lists a day's papers, trending first, with links built on PUBLIC_URL", async () => {
      const r = await get('/api/v1/papers/date/2026-06-30');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      const l = json<Listing>(r);
      expect(l.period).toMatchObject({ kind: 'day', key: '2026-06-30', from: '2026-06-30', to: '2026-06-30', next: null });
      expect(l.period.previous).toEqual({ kind: 'day', key: '2026-06-29', href: `${PUBLIC_URL}/api/v1/papers/date/2026-06-29` });
      expect(l).toMatchObject({ order: 'trending', page: 1, pageSize: 50 });
      expect(l.total).toBeGreaterThan(30);
      expect(l.papers).toHaveLength(Math.min(50, l.total));
      expect(l.papers.every((p) => p.day === '2026-06-30')).toBe(true);
      const liveEdit = l.papers.find((p) => p.id === '2606.26740')!;
      expect(liveEdit.hf.upvotes).toBeGreaterThanOrEqual(57);
      expect(liveEdit.links.code).toBe('https://github.com/cp-cp/LiveEdit');
      expect(l.links.html).toBe(`${PUBLIC_URL}/papers/date/2026-06-30`);
      expect(l.links.feeds).toEqual({
        rss: `${PUBLIC_URL}/feeds/date/2026-06-30.rss`,
        atom: `${PUBLIC_URL}/feeds/date/2026-06-30.atom`,
        json: `${PUBLIC_URL}/feeds/date/2026-06-30.json`,
      });
    });

    it('pages through a listing with prev/next links that agree with one big page', async () => {
      const all = json<Listing>(await get('/api/v1/papers/date/2026-06-30?pageSize=100&order=newest'));
      const first = json<Listing>(await get('/api/v1/papers/date/2026-06-30?pageSize=10&order=newest'));
      expect(first.links.prev).toBeNull();
      expect(first.links.last).toBe(`${PUBLIC_URL}/api/v1/papers/date/2026-06-30?order=newest&page=${Math.ceil(all.total / 10)}&pageSize=10`);
      const second = json<Listing>(await get(follow(first.links.next!)));
      expect(second.page).toBe(2);
      expect([...first.papers, ...second.papers].map((p) => p.id)).toEqual(all.papers.slice(0, 20).map((p) => p.id));
      expect(second.links.prev).toBe(first.links.self);
      const last = json<Listing>(await get(follow(first.links.last)));
      expect(last.links.next).toBeNull();
      expect(last.papers.map((p) => p.id)).toEqual(all.papers.slice((last.page - 1) * 10).map((p) => p.id));
      const beyond = json<Listing>(await get('/api/v1/papers/date/2026-06-30?page=99&pageSize=10'));
      expect(beyond).toMatchObject({ total: all.total, papers: [], links: { next: null, prev: last.links.self.replace('order=newest', 'order=trending') } });
    });

    it('orders by upvotes, and by submission date for newest', async () => {
      const up = json<Listing>(await get('/api/v1/papers/date/2026-06-30?order=upvoted&pageSize=100')).papers;
      const votes = up.map((p) => p.hf.upvotes ?? 0);
      expect(votes).toEqual([...votes].sort((a, b) => b - a));
      const newest = json<Listing>(await get('/api/v1/papers/date/2026-06-30?order=newest&pageSize=100')).papers;
      const dates = newest.map((p) => p.submittedAt ?? '');
      expect(dates).toEqual([...dates].sort().reverse());
    });

    it('lists an ISO week and a month', async () => {
      const week = json<Listing>(await get('/api/v1/papers/week/2026-W27'));
      expect(week.period).toMatchObject({ kind: 'week', key: '2026-W27', from: '2026-06-29', to: '2026-07-05' });
      expect(week.period.previous?.key).toBe('2026-W26');
      const day29 = json<Listing>(await get('/api/v1/papers/date/2026-06-29'));
      const day30 = json<Listing>(await get('/api/v1/papers/date/2026-06-30'));
      expect(week.total).toBe(day29.total + day30.total);
      const month = json<Listing>(await get('/api/v1/papers/month/2026-06?pageSize=1'));
      expect(month.period).toMatchObject({ kind: 'month', key: '2026-06', from: '2026-06-01', to: '2026-06-30' });
      expect(month.total).toBeGreaterThan(week.total);
      expect(month.links.next).toBe(`${PUBLIC_URL}/api/v1/papers/month/2026-06?order=trending&page=2&pageSize=1`);
    });

    it('answers latest with the newest day that has papers', async () => {
      const latest = json<Listing>(await get('/api/v1/papers/latest?pageSize=5'));
      const day = json<Listing>(await get('/api/v1/papers/date/2026-06-30?pageSize=5'));
      expect(latest.period.key).toBe('2026-06-30');
      expect(latest.papers.map((p) => p.id)).toEqual(day.papers.map((p) => p.id));
      expect(latest.links.self).toBe(day.links.self);
    });

    it('answers an empty listing for a day without papers, and 400 for a day that does not exist', async () => {
      const empty = json<Listing>(await get('/api/v1/papers/date/2026-06-27'));
      expect(empty).toMatchObject({ total: 0, papers: [], links: { next: null, prev: null } });
      expect(empty.period.previous?.key).toBe('2026-06-26');
      expect(empty.period.next).toMatchObject({ key: '2026-06-29' });
      for (const url of ['/api/v1/papers/date/2026-02-30', '/api/v1/papers/date/yesterday', '/api/v1/papers/week/2026-W54', '/api/v1/papers/month/2026-13', '/api/v1/papers/week/9999-W52']) {
        const r = await get(url);
        expect(r.statusCode, url).toBe(400);
        expect(errorOf(r).code).toBe('INVALID_PARAMETER');
      }
    });

    it('serves a paper by id with any version suffix, old-style ids with their slash as is or encoded', async () => {
      const p = json<PublicPaper>(await get('/api/v1/papers/2606.26740'));
      expect(json<PublicPaper>(await get('/api/v1/papers/2606.26740v1'))).toEqual(p);
      expect(p.title).toBe('LiveEdit: Towards Real-Time Diffusion-Based Streaming Video Editing');
      expect(p.hf.featuredOn).toBe('2026-06-30');
      for (const url of [`/api/v1/papers/${OLD_STYLE_ID}`, '/api/v1/papers/hep-th/9901001v2', '/api/v1/papers/hep-th%2F9901001']) {
        const r = await get(url);
        expect(r.statusCode, url).toBe(200);
        expect(json<PublicPaper>(r)).toMatchObject({ id: OLD_STYLE_ID, version: 2, links: { html: `${PUBLIC_URL}/papers/hep-th/9901001` } });
      }
    });

    it('has a stable public shape: no internal provenance, votes reserved, markup kept as text', async () => {
      const p = json<PublicPaper>(await get(`/api/v1/papers/${HOSTILE_ID}`));
      expect(Object.keys(p).sort()).toEqual(
        ['abstract', 'authors', 'categories', 'comments', 'day', 'deleted', 'doi', 'hf', 'id', 'journalRef', 'license', 'links', 'submittedAt', 'title', 'updatedAt', 'version', 'versions', 'votes'].sort(),
      );
      expect(p).toMatchObject({ ...HOSTILE, id: HOSTILE_ID, version: 2, votes: 0, categories: ['cs.CR', 'cs.LG'], day: '2026-06-30' });
      expect(p.links).toEqual({
        html: `${PUBLIC_URL}/papers/${HOSTILE_ID}`,
        api: `${PUBLIC_URL}/api/v1/papers/${HOSTILE_ID}`,
        abs: `https://arxiv.org/abs/${HOSTILE_ID}`,
        pdf: `https://arxiv.org/pdf/${HOSTILE_ID}`,
        code: null,
        project: null,
      });
      expect(p.versions.map((v) => v.version)).toEqual([1, 2]);
    });

    it('answers 404 NOT_FOUND for an unknown paper and 400 INVALID_PARAMETER for what is no arXiv id', async () => {
      const missing = await get('/api/v1/papers/2606.99999');
      expect(missing.statusCode).toBe(404);
      expect(errorOf(missing)).toEqual({ code: 'NOT_FOUND', message: 'no paper 2606.99999 here' });
      expect(missing.headers['cache-control']).toBe('no-store');
      const v9 = await get('/api/v1/papers/2606.26740v9');
      expect(v9.statusCode).toBe(404);
      expect(errorOf(v9)).toEqual({ code: 'NOT_FOUND', message: 'no version 9 of 2606.26740 here; its versions: 2606.26740v1' });
      const old = await get(`/api/v1/papers/${OLD_STYLE_ID}v3`);
      expect(old.statusCode).toBe(404);
      expect(errorOf(old).message).toBe(`no version 3 of ${OLD_STYLE_ID} here; its versions: ${OLD_STYLE_ID}v1, ${OLD_STYLE_ID}v2`);
      const junk = await get('/api/v1/papers/not-an-id');
      expect(junk.statusCode).toBe(400);
      expect(errorOf(junk).code).toBe('INVALID_PARAMETER');
    });

    it("turns Fastify's validation errors and unknown routes into JSON errors", async () => {
      for (const [url, status, code] of [
        ['/api/v1/papers/latest?pageSize=101', 400, 'INVALID_PARAMETER'],
        ['/api/v1/papers/latest?page=0', 400, 'INVALID_PARAMETER'],
        ['/api/v1/papers/latest?order=best', 400, 'INVALID_PARAMETER'],
        ['/api/v1/nothing/here', 404, 'NOT_FOUND'],
        ['/api/v2/papers/latest', 404, 'NOT_FOUND'],
      ] as const) {
        const r = await get(url);
        expect(r.statusCode, url).toBe(status);
        expect(r.headers['content-type'], url).toBe('application/json; charset=utf-8');
        expect(errorOf(r).code, url).toBe(code);
      }
      // what Fastify refuses before routing: a bad %-escape, a path segment over 500 characters
      for (const url of ['/api/v1/papers/%ZZ', `/api/v1/papers/${'1'.repeat(600)}`, '/feeds/date/%E0%A4%A.rss']) {
        const r = await get(url);
        expect(r.statusCode, url).toBe(400);
        expect(r.headers['content-type'], url).toBe('application/json; charset=utf-8');
        expect(errorOf(r).code, url).toBe('INVALID_PARAMETER');
        expect(r.headers['access-control-allow-origin'], url).toBe('*');
        expect(r.headers['content-security-policy'], url).toContain("default-src 'self'");
      }
      const post = await app.inject({ method: 'POST', url: '/api/v1/papers/latest' });
      expect(post.statusCode).toBe(404);
      expect(errorOf(post).code).toBe('NOT_FOUND');
    });

    it('reports a server failure to the log it is given, and only INTERNAL to the client', async () => {
      const logged: string[] = [];
      const failing = replacing(site.container, 'listing', {
        paper: async () => {
          throw new Error('disk on fire at /var/lib/paperboy');
        },
      });
      const bare = Fastify();
      await bare.register(apiRoutes, { container: failing as unknown as Container, log: (m) => logged.push(m) });
      try {
        const r = await bare.inject('/api/v1/papers/2606.26740');
        expect(r.statusCode).toBe(500);
        expect(errorOf(r).code).toBe('INTERNAL');
        expect(r.body).not.toContain('disk');
        expect(logged).toHaveLength(1);
        expect(logged[0]).toMatch(/^GET \/api\/v1\/papers\/2606\.26740: Error: disk on fire/);
      } finally {
        await bare.close();
      }
    });

    it('lets any origin read, without credentials, errors included', async () => {
      for (const url of ['/api/v1/papers/latest', '/api/v1/papers/2606.99999', '/api/nothing']) {
        const r = await get(url, { origin: 'https://elsewhere.example' });
        expect(r.headers['access-control-allow-origin'], url).toBe('*');
        expect(r.headers['access-control-allow-credentials'], url).toBeUndefined();
        expect(r.headers['cross-origin-resource-policy'], url).toBe('cross-origin');
        // a browser script may read the ETag it revalidates with and the rate limit's state
        expect(r.headers['access-control-expose-headers'], url).toBe('ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset');
      }
      const preflight = await app.inject({
        method: 'OPTIONS',
        url: '/api/v1/papers/latest',
        headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD');
    });

    it('tags answers with an ETag and answers 304 when it still matches; HEAD has no body', async () => {
      const r = await get('/api/v1/papers/date/2026-06-30');
      const tag = r.headers.etag as string;
      expect(tag).toMatch(/^(W\/)?"[^"]+"$/);
      expect(r.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=1500');
      const again = await get('/api/v1/papers/date/2026-06-30', { 'if-none-match': tag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      const other = await get('/api/v1/papers/date/2026-06-29', { 'if-none-match': tag });
      expect(other.statusCode).toBe(200);
      const head = await app.inject({ method: 'HEAD', url: '/api/v1/papers/date/2026-06-30' });
      expect(head.statusCode).toBe(200);
      expect(head.body).toBe('');
      expect(head.headers.etag).toBe(tag);
    });

    it('limits each address to PAPERBOY_API_RATE_LIMIT requests a minute, answering 429 with Retry-After', async () => {
      const limited = await appWith(site, { PAPERBOY_API_RATE_LIMIT: '3' });
      try {
        const from = (remoteAddress: string) => limited.inject({ method: 'GET', url: '/api/v1/papers/latest?pageSize=1', remoteAddress });
        for (let i = 0; i < 3; i++) expect((await from('203.0.113.7')).statusCode).toBe(200);
        const r = await from('203.0.113.7');
        expect(r.statusCode).toBe(429);
        expect(errorOf(r).code).toBe('RATE_LIMITED');
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(60);
        expect((await from('203.0.113.8')).statusCode).toBe(200); // per address
        const unknown = await limited.inject({ method: 'GET', url: '/api/v1/nothing', remoteAddress: '203.0.113.7' });
        expect(unknown.statusCode).toBe(404); // the limit guards the API's work, not its 404s
        const feed = await limited.inject({ method: 'GET', url: '/feeds/latest.rss', remoteAddress: '203.0.113.7' });
        expect(feed.statusCode).toBe(200); // feeds are cached and not limited
      } finally {
        await limited.close();
      }
    });
  });
}
