/**
 * Search through the API and as feeds, on every store: results with highlights, offset paging
 * with links, the date sort, UNSUPPORTED modes, any input answered without a 500, and search
 * feeds carrying the API's results with their query kept as text.
 */
import { parseFeed } from '@rowanmanning/feed-parser';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicPaper } from '../../src/delivery/http/api.schemas.js';
import type { JsonFeed } from '../../src/delivery/http/feeds/json-feed.js';
import { children, strictXml, text } from '../feeds/xml-tree.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { openSite, PUBLIC_URL, type TestSite } from './site.js';

interface Results {
  q: string;
  mode: string;
  requestedMode: string;
  fallback: string | null;
  sort: string;
  total: number;
  limit: number;
  offset: number;
  notice: string | null;
  hits: { paper: PublicPaper; score: number; match: string; titleHtml: string; snippetHtml: string; closestSentence: string | null }[];
  links: { self: string; prev: string | null; next: string | null; html: string; feeds: Record<string, string> };
}

const errorOf = (r: LightMyRequestResponse) => r.json<{ error: { code: string } }>().error;
const ids = (r: Results) => r.hits.map((h) => h.paper.id);

/** Inputs that break naive query parsers. */
const NASTY = [
  '"unbalanced quote',
  '((( nested',
  "' OR 1=1 --",
  'title: author: cat:',
  'NEAR(a b) AND OR NOT *',
  '🚀 émoji ünïcode',
  'نموذج لغوي كبير',
  '<script>alert(1)</script>',
  'a'.repeat(10_240),
];

for (const harness of STORE_HARNESSES) {
  describe(`search through the API and feeds: ${harness.name}`, () => {
    let site: TestSite;
    let app: FastifyInstance;
    const get = (url: string) => app.inject({ method: 'GET', url });
    const search = async (query: string) => {
      const r = await get(`/api/v1/search?${query}`);
      expect(r.statusCode, `${query}: ${r.body.slice(0, 300)}`).toBe(200);
      return r.json<Results>();
    };

    beforeAll(async () => {
      site = await openSite(harness);
      app = site.app;
    });
    afterAll(() => site.close());

    it('finds papers by keywords, best first, the matched words marked', async () => {
      const r = await search('q=streaming%20video%20editing');
      expect(r).toMatchObject({ q: 'streaming video editing', mode: 'keyword', requestedMode: 'hybrid', sort: 'relevance', limit: 20, offset: 0 });
      expect(r.fallback).toMatch(/^Searched by keywords only: search by meaning is not available/);
      expect(r.hits.every((h) => h.match === 'keyword' && h.closestSentence === null)).toBe(true);
      expect(r.total).toBeGreaterThan(0);
      expect(ids(r).slice(0, 5)).toContain('2606.26740');
      expect(r.hits.some((h) => h.titleHtml.includes('<mark>'))).toBe(true);
      const scores = r.hits.map((h) => h.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(r.links.html).toBe(`${PUBLIC_URL}/search?q=streaming+video+editing`);
    });

    it('pages by offset, the links agreeing with one bigger page', async () => {
      const all = await search('q=diffusion&limit=10');
      expect(all.total).toBeGreaterThan(10);
      const first = await search('q=diffusion&limit=5');
      expect(first.links.prev).toBeNull();
      const second = (await get(first.links.next!.slice(PUBLIC_URL.length))).json<Results>();
      expect(second.offset).toBe(5);
      expect([...ids(first), ...ids(second)]).toEqual(ids(all));
      expect(second.links.prev).toBe(first.links.self);
    });

    it('sorts by date, newest first', async () => {
      const r = await search('q=diffusion&sort=date&limit=50');
      expect(r.links.html).toBe(`${PUBLIC_URL}/search?q=diffusion&sort=date`);
      const dates = r.hits.map((h) => h.paper.day ?? '');
      expect(dates).toEqual([...dates].sort().reverse());
      const relevance = await search('q=diffusion&limit=50');
      expect(r.total).toBe(relevance.total);
      expect(ids(r)).not.toEqual(ids(relevance));
    });

    it('without embeddings: answers semantic UNSUPPORTED, hybrid by keywords', async () => {
      const r = await get(`/api/v1/search?q=kv%20cache&mode=semantic`);
      expect(r.statusCode).toBe(400);
      expect(errorOf(r)).toMatchObject({ code: 'UNSUPPORTED', message: /semantic search is not available here/ });
      const hybrid = await search('q=kv%20cache&mode=hybrid');
      expect([hybrid.mode, hybrid.requestedMode]).toEqual(['keyword', 'hybrid']);
      expect(ids(hybrid)).toEqual(ids(await search('q=kv%20cache&mode=keyword')));
    });

    it('answers any input with results or an empty list, never a 500', async () => {
      for (const q of NASTY) {
        const r = await search(`q=${encodeURIComponent(q)}`);
        expect(r.q).toBe(q);
        for (const h of r.hits) expect(h.titleHtml + h.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
      }
      for (const [query, code] of [['', 'INVALID_PARAMETER'], ['q=', 'INVALID_PARAMETER'], ['q=x&limit=101', 'INVALID_PARAMETER'], ['q=x&sort=best', 'INVALID_PARAMETER']]) {
        const r = await get(`/api/v1/search?${query}`);
        expect(r.statusCode, query).toBe(400);
        expect(errorOf(r).code, query).toBe(code);
      }
    });

    it('serves a search as a feed: the API results, newest first unless asked otherwise', async () => {
      const api = await search('q=video&sort=date&limit=100');
      const json = (await get('/feeds/search.json?q=video')).json<JsonFeed>();
      expect(json.items.map((i) => i.id)).toEqual(api.hits.map((h) => `https://arxiv.org/abs/${h.paper.id}`));
      expect(json.feed_url).toBe(`${PUBLIC_URL}/feeds/search.json?q=video`);
      const byRelevance = (await get('/feeds/search.atom?q=video&sort=relevance')).body;
      const relevance = await search('q=video&limit=100');
      expect(parseFeed(byRelevance).items.map((i) => i.id)).toEqual(relevance.hits.map((h) => `https://arxiv.org/abs/${h.paper.id}`));
      expect(parseFeed(byRelevance).self).toBe(`${PUBLIC_URL}/feeds/search.atom?q=video&sort=relevance`);
      const mode = await get('/feeds/search.rss?q=video&mode=semantic');
      expect(mode.statusCode).toBe(400);
      expect(errorOf(mode).code).toBe('UNSUPPORTED');
    });

    it('keeps a query with markup as text in the feed title', async () => {
      const q = `<script>alert(1)</script> & ]]>`;
      const rss = strictXml((await get(`/feeds/search.rss?q=${encodeURIComponent(q)}`)).body, 'rss');
      expect(text((rss.channel as Record<string, unknown>).title)).toBe(`Paperboy: search for ${q}`);
      const atomXml = (await get(`/feeds/search.atom?q=${encodeURIComponent(q)}`)).body;
      expect(atomXml).not.toContain('<script');
      const atom = strictXml(atomXml, 'feed');
      expect(atom.title).toEqual({ '#text': `Paperboy: search for ${q}`, '@type': 'text' });
      expect(children(atom, 'link')[0]!['@href']).toBe(`${PUBLIC_URL}/feeds/search.atom?${new URLSearchParams({ q }).toString()}`);
    });
  });
}
