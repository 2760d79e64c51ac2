/**
 * The search page around the search service (a stand-in here, so that the page's own duties are
 * tested apart from ranking): counts, highlighted results, pagination, the empty and failed
 * states, and any input at all (10 kB, quotes, emoji, right-to-left, markup) giving a page; and
 * once on the real service, as every site is built with one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../../src/core/paper.js';
import { parseQuery } from '../../src/core/query.js';
import type { WebContainer } from '../../src/delivery/http/app.js';
import type { SearchHit, SearchRequest, SearchResults } from '../../src/services/search.service.js';
import { sqliteHarness } from '../support/sqlite-harness.js';
import { samplePaper } from '../support/papers.js';
import { readServices } from '../../src/container.js';
import { buildSite, openSiteStore, type Site } from './site.js';

const TOTAL = 45;
const asked: { q: string; sort?: string; limit?: number; offset?: number }[] = [];

/** The stand-in's answer, in the search service's shape. */
const results = (req: SearchRequest, total: number, hits: SearchHit[], notice: string | null): SearchResults => ({
  q: req.q,
  query: parseQuery(req.q),
  mode: 'keyword',
  requestedMode: 'keyword',
  fallback: null,
  sort: req.sort ?? 'relevance',
  limit: req.limit ?? 20,
  offset: req.offset ?? 0,
  total,
  // the stand-in estimates for queries that say so, as the index does for common words
  totalIsEstimate: req.q.includes('estimated'),
  hits,
  notice,
});

const search: WebContainer['search'] = {
  async search(req) {
    asked.push(req);
    if (req.q.includes('boom')) throw new Error('fts5: syntax error near "boom"');
    if (req.q.includes('nothing')) return results(req, 0, [], null);
    const offset = req.offset ?? 0;
    const hits = Array.from({ length: Math.max(0, Math.min(req.limit ?? 20, TOTAL - offset)) }, (_, i) => {
      // the page highlights titles itself, from the query: "language model" is marked, <b> escaped
      const paper: Paper = samplePaper(`2606.${String(10001 + offset + i)}`, { title: `Result ${offset + i + 1}: a language model <b>` });
      return { paper, titleHtml: `Result <mark>${offset + i + 1}</mark> &lt;b&gt;`, snippetHtml: `a <mark>snippet</mark>`, score: 1, match: 'keyword' as const, closestSentence: null };
    });
    return results(req, TOTAL, hits, req.q.includes('"') ? 'An unbalanced quote was ignored.' : null);
  },
};

describe('the search page', () => {
  let site: Site;
  beforeAll(async () => {
    const { opened, ingest } = await openSiteStore(sqliteHarness);
    site = await buildSite(opened, ingest, { search });
  }, 60_000);
  afterAll(async () => {
    await site.close();
    await site.opened.store.close();
  });

  it('shows counts, highlighted results and pages', async () => {
    const res = await site.get('/search?q=language+model&page=2');
    expect(res.statusCode).toBe(200);
    expect(asked.at(-1)).toEqual({ q: 'language model', mode: 'hybrid', sort: 'relevance', limit: 20, offset: 20 });
    expect(res.body).toContain('Results for “<bdi>language model</bdi>”');
    expect(res.body).toContain('45 papers · 21–40 shown');
    expect(res.body).toContain('<ol class="papers search-results" start="21">');
    expect(res.body).toContain('<a href="/papers/2606.10021">Result 21: a <mark>language model</mark> &lt;b&gt;</a>');
    expect(res.body).toContain('href="/search?q=language+model" rel="prev"');
    expect(res.body).toContain('href="/search?q=language+model&amp;page=3" rel="next"');
    expect(res.body).toContain('value="language model"');
    // its feeds, for feed readers (in <head>) and for people (under the results)
    expect(res.body).toContain('<link rel="alternate" type="application/rss+xml" title="Search for language model (RSS)" href="/feeds/search.rss?q=language+model">');
    expect(res.body).toContain('<link rel="alternate" type="application/feed+json" title="Search for language model (JSON Feed)" href="/feeds/search.json?q=language+model">');
    expect(res.body).toContain('<a href="/feeds/search.atom?q=language+model">Atom</a>');
  });

  it('past the last page, says how many there are and links to the last page', async () => {
    const res = await site.get('/search?q=language+model&page=9');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('There are only 45 results; this page is past the last one.');
    expect(res.body).toContain('<a href="/search?q=language+model&amp;page=3">Go to the last page (3)</a>');
    expect(res.body).not.toContain('Check the spelling');
  });

  it('says an estimated count is one', async () => {
    const res = await site.get('/search?q=estimated+language+model');
    expect(res.body).toContain('about 45 papers · 1–20 shown');
    expect((await site.get('/search?q=estimated+language+model&page=9')).body).toContain('There are only about 45 results;');
    expect((await site.get('/search?q=language+model')).body).not.toContain('about 45');
  });

  it('passes the date sort on and keeps it in the page links', async () => {
    const res = await site.get('/search?q=diffusion&sort=date');
    expect(asked.at(-1)).toMatchObject({ q: 'diffusion', sort: 'date', offset: 0 });
    expect(res.body).toContain('href="/search?q=diffusion&amp;sort=date&amp;page=2" rel="next"');
    expect(res.body).toContain('<option value="date" selected>');
  });

  it('helps when nothing matches, and when nothing was asked', async () => {
    const none = await site.get('/search?q=nothing+at+all');
    expect(none.statusCode).toBe(200);
    expect(none.body).toContain('No papers match “<bdi>nothing at all</bdi>”.');
    expect(none.body).toContain('href="/search?q=author%3AHinton"');
    expect(none.body).toContain('a paper needs one of them, and the more it has, the higher it ranks');
    const empty = await site.get('/search');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('Type a few words to search');
    expect(empty.body).not.toContain('rel="alternate"'); // no feed of nothing
  });

  it('never fails on any input: long, quoted, emoji, right-to-left, markup, repeated parameters', async () => {
    const inputs = ['x'.repeat(10_240), '"unbalanced', '((( AND OR NOT', 'émoji 🧪🔬 test', 'بحث عن نماذج اللغة', '<script>alert(1)</script>', "'; DROP TABLE papers; --", 'a\u0000b', 'boom'];
    for (const q of inputs) {
      const res = await site.app.inject({ method: 'GET', url: '/search', query: { q } });
      expect(res.statusCode, q.slice(0, 20)).toBe(200);
      expect(res.body).not.toContain('<script>alert(1)');
    }
    const failed = await site.get('/search?q=boom');
    expect(failed.body).toContain('This search could not be run.');
    expect(failed.body).not.toContain('fts5');
    const quoted = await site.get('/search?q=%22unbalanced');
    expect(quoted.body).toContain('<p class="notice" role="status">An unbalanced quote was ignored.</p>');
    expect(quoted.body).toContain('Results for “<bdi>&quot;unbalanced</bdi>”');
    const twice = await site.get('/search?q=one&q=two&page=x&sort[]=date');
    expect(twice.statusCode).toBe(200);
    expect(asked.at(-1)).toMatchObject({ q: 'one', sort: 'relevance', offset: 0 });
  });
});

describe('the search page on the search service the site is built with', () => {
  it('finds a demo paper by a word of its title, and shows papers similar to it', async () => {
    const { opened, ingest } = await openSiteStore(sqliteHarness);
    const site = await buildSite(opened, ingest);
    try {
      const res = await site.get('/search?q=LiveEdit');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<a href="/papers/2606.26740"><mark>LiveEdit</mark>');
      expect((await site.get('/papers/2606.26740')).body).toContain('<h2 id="similar-title">Similar papers</h2>');
    } finally {
      await site.close();
      await opened.store.close();
    }
  });

  it('shows a paper’s related papers once computed for the archive, re-rendering the cached page', async () => {
    const { opened, ingest } = await openSiteStore(sqliteHarness);
    const site = await buildSite(opened, ingest);
    const shown = (body: string) => [.../<ul class="similar">(.*?)<\/ul>/s.exec(body)![1]!.matchAll(/<li><a href="\/papers\/([^"]+)">/g)].map((m) => m[1]);
    try {
      const live = shown((await site.get('/papers/2606.26740')).body); // a keyword search until computed
      expect(live.length).toBeGreaterThan(0);
      expect(await readServices(opened).related.refresh()).not.toBeNull();
      const stored = (await opened.store.relatedIds('2606.26740'))!;
      expect(stored.length).toBeGreaterThan(0);
      expect(shown((await site.get('/papers/2606.26740')).body)).toEqual(stored.slice(0, 6));
    } finally {
      await site.close();
      await opened.store.close();
    }
  });
});
