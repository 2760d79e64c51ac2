/**
 * Search modes through the API and the feeds, on every store, with embeddings (a real hashed
 * bag-of-stems embedder over every stored paper): hybrid by default, why each hit matched, the
 * closest sentence, filters in every mode, the mode kept in every link, a hostile query.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicPaper } from '../../src/delivery/http/api.schemas.js';
import type { JsonFeed } from '../../src/delivery/http/feeds/json-feed.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { HOSTILE_ID, openSite, PUBLIC_URL, type TestSite } from './site.js';

interface Results {
  mode: string;
  requestedMode: string;
  fallback: string | null;
  total: number;
  hits: { paper: PublicPaper; score: number; match: 'keyword' | 'semantic' | 'both'; titleHtml: string; snippetHtml: string; closestSentence: string | null }[];
  links: { self: string; next: string | null; html: string; feeds: Record<string, string> };
}

for (const harness of STORE_HARNESSES) {
  describe(`search modes through the API and feeds: ${harness.name}`, () => {
    let site: TestSite;
    let app: FastifyInstance;
    const get = (url: string) => app.inject({ method: 'GET', url });
    const search = async (query: string) => {
      const r = await get(`/api/v1/search?${query}`);
      expect(r.statusCode, `${query}: ${r.body.slice(0, 300)}`).toBe(200);
      return r.json<Results>();
    };

    beforeAll(async () => {
      site = await openSite(harness, {}, { embedded: true });
      app = site.app;
    });
    afterAll(() => site.close());

    it('searches hybrid by default: words and meaning, each hit saying why it matched', async () => {
      const r = await search('q=video%20editing%20diffusion');
      expect([r.mode, r.requestedMode, r.fallback]).toEqual(['hybrid', 'hybrid', null]);
      const kinds = new Set(r.hits.map((h) => h.match));
      expect(kinds.has('both')).toBe(true);
      for (const h of r.hits) {
        if (h.match === 'semantic') expect(h.titleHtml + h.snippetHtml).not.toMatch(/<mark>/);
        else expect(h.closestSentence).toBeNull();
      }
      expect(r.links.html).toBe(`${PUBLIC_URL}/search?q=video+editing+diffusion`);
      expect(r.links.feeds.rss).toBe(`${PUBLIC_URL}/feeds/search.rss?q=video+editing+diffusion`);
    });

    it('semantic: hits by meaning, with the closest sentence of the abstract, the mode kept in every link', async () => {
      const r = await search('q=video%20editing&mode=semantic&limit=5');
      expect([r.mode, r.requestedMode]).toEqual(['semantic', 'semantic']);
      expect(r.hits).toHaveLength(5);
      expect(r.hits.every((h) => h.match === 'semantic')).toBe(true);
      const withSentence = r.hits.filter((h) => h.closestSentence !== null);
      expect(withSentence.length).toBeGreaterThan(0);
      for (const h of withSentence) expect(h.paper.abstract).toContain(h.closestSentence);
      expect(r.links.next).toContain('mode=semantic');
      expect(r.links.html).toContain('mode=semantic');
      expect(r.links.feeds.atom).toBe(`${PUBLIC_URL}/feeds/search.atom?q=video+editing&mode=semantic`);
      const next = (await get(r.links.next!.slice(PUBLIC_URL.length))).json<Results>();
      expect(next.hits.map((h) => h.paper.id)).not.toContain(r.hits[0]!.paper.id);
    });

    it('applies filters in every mode', async () => {
      for (const mode of ['keyword', 'semantic', 'hybrid']) {
        const r = await search(`q=${encodeURIComponent('video cat:cs.CV date:2026-06-01..2026-06-15')}&mode=${mode}&limit=100`);
        expect(r.hits.length, mode).toBeGreaterThan(0);
        for (const h of r.hits) {
          expect(h.paper.categories.some((c) => c.toLowerCase() === 'cs.cv'), `${mode} ${h.paper.id}`).toBe(true);
          expect(h.paper.day! >= '2026-06-01' && h.paper.day! <= '2026-06-15', `${mode} ${h.paper.day}`).toBe(true);
        }
      }
    });

    it('finds the hostile paper by meaning and keeps its markup escaped', async () => {
      const r = await search(`q=${encodeURIComponent('<script> parsers bold claim')}&mode=semantic`);
      const hit = r.hits.find((h) => h.paper.id === HOSTILE_ID)!;
      expect(hit).toBeDefined();
      expect(hit.titleHtml + hit.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
    });

    it('feeds take the mode', async () => {
      const api = await search('q=video%20editing&mode=semantic&sort=date&limit=100');
      const json = (await get('/feeds/search.json?q=video%20editing&mode=semantic')).json<JsonFeed>();
      expect(json.items.map((i) => i.id)).toEqual(api.hits.map((h) => `https://arxiv.org/abs/${h.paper.id}`));
      expect(json.feed_url).toBe(`${PUBLIC_URL}/feeds/search.json?q=video+editing&mode=semantic`);
      const keyword = (await get('/feeds/search.json?q=video%20editing&mode=keyword')).json<JsonFeed>();
      expect(keyword.feed_url).toBe(`${PUBLIC_URL}/feeds/search.json?q=video+editing&mode=keyword`);
      expect(keyword.items.map((i) => i.id)).not.toEqual(json.items.map((i) => i.id));
    });
  });
}
