/**
 * /feeds on every store: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the latest day, a day, a week
 * and a month carry the same papers, in the same order, as the API's listings; each format is
 * checked against its spec (strict XML with its namespaces, JSON Feed's required fields) and read
 * back by a feed parser; hostile markup stays text; HTTP caching, CORS and errors.
 */
import { parseFeed } from '@rowanmanning/feed-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicPaper } from '../../src/delivery/http/api.schemas.js';
import type { JsonFeed } from '../../src/delivery/http/feeds/json-feed.js';
import { openSite, PUBLIC_URL, type TestSite } from '../api/site.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { children, strictXml, text } from './xml-tree.js';

const PERIODS = [
  ['date/2026-06-30', 'date/2026-06-30'],
  ['week/2026-W27', 'week/2026-W27'],
  ['month/2026-06', 'month/2026-06'],
  ['latest', 'latest'],
] as const;

const TYPES = { rss: 'application/rss+xml; charset=utf-8', atom: 'application/atom+xml; charset=utf-8', json: 'application/feed+json; charset=utf-8' };
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const abs = (id: string) => `https://arxiv.org/abs/${id}`;
const EXTRA_RECORD = { id: '2606.99002', version: 1, source: 'kaggle' as const, listedOn: '2026-06-30', authors: ['A. Late'] };

for (const harness of STORE_HARNESSES) {
  describe(`feeds: ${harness.name}`, () => {
    let site: TestSite;
    let app: FastifyInstance;
    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
    const papersOf = async (period: string, query = '') =>
      (await get(`/api/v1/papers/${period}?pageSize=100${query}`)).json<{ papers: PublicPaper[] }>().papers;

    beforeAll(async () => {
      site = await openSite(harness);
      app = site.app;
    });
    afterAll(() => site.close());

    it('serves every listing in the three formats, with the papers of the API listing in its order', async () => {
      for (const [feed, api] of PERIODS) {
        const ids = (await papersOf(api)).map((p) => abs(p.id));
        expect(ids.length, feed).toBeGreaterThan(10);
        for (const format of ['rss', 'atom', 'json'] as const) {
          const r = await get(`/feeds/${feed}.${format}`);
          expect(r.statusCode, `${feed}.${format}`).toBe(200);
          expect(r.headers['content-type']).toBe(TYPES[format]);
          const got = format === 'json' ? r.json<JsonFeed>().items.map((i) => i.id) : parseFeed(r.body).items.map((i) => i.id);
          expect(got, `${feed}.${format}`).toEqual(ids);
        }
      }
    });

    it('writes RSS 2.0 as the spec has it, which a feed parser reads back item for item', async () => {
      const papers = await papersOf('date/2026-06-30');
      const xml = (await get('/feeds/date/2026-06-30.rss')).body;
      const rss = strictXml(xml, 'rss');
      expect(rss).toMatchObject({ '@version': '2.0', '@xmlns:atom': 'http://www.w3.org/2005/Atom', '@xmlns:dc': 'http://purl.org/dc/elements/1.1/' });
      const channel = rss.channel as Record<string, unknown>;
      expect(text(channel.title)).toBe('Paperboy: papers of 2026-06-30');
      expect(children(channel as never, 'link').map(text)).toEqual([`${PUBLIC_URL}/papers/date/2026-06-30`]);
      expect(text(channel.description)).not.toBe('');
      expect(children(channel as never, 'atom:link')[0]).toMatchObject({ '@rel': 'self', '@href': `${PUBLIC_URL}/feeds/date/2026-06-30.rss` });
      for (const item of children(channel as never, 'item')) {
        expect(item.guid).toMatchObject({ '@isPermaLink': 'false' });
        expect(new Date(text(item.pubDate)).toUTCString()).toBe(text(item.pubDate)); // RFC 822
      }

      const feed = parseFeed(xml);
      expect(feed.meta).toEqual({ type: 'rss', version: '2.0' });
      expect(feed.self).toBe(`${PUBLIC_URL}/feeds/date/2026-06-30.rss`);
      feed.items.forEach((item, i) => {
        const p = papers[i]!;
        expect(item.title).toBe(p.title);
        expect(item.url).toBe(p.links.html);
        // the day it is listed under, not the day it was first submitted
        expect(item.published?.toISOString()).toBe(`${p.day}T00:00:00.000Z`);
        expect(item.categories.map((c) => c.term)).toEqual(p.categories);
        expect(item.description).toBe(`<p>${p.abstract!.split('\n\n').join('</p><p>')}</p>`);
        if (!p.authors.some((a) => a.includes('<'))) expect(item.authors.map((a) => a.name)).toEqual(p.authors);
      });
    });

    it('writes Atom 1.0 as RFC 4287 has it, which a feed parser reads back entry for entry', async () => {
      const papers = await papersOf('week/2026-W27');
      const xml = (await get('/feeds/week/2026-W27.atom')).body;
      const atom = strictXml(xml, 'feed');
      expect(atom['@xmlns']).toBe('http://www.w3.org/2005/Atom');
      expect(text(atom.id)).toBe(`${PUBLIC_URL}/feeds/week/2026-W27.atom`);
      expect(text(atom.updated)).toMatch(RFC3339);
      expect(children(atom, 'author').map((a) => text(a.name))).toEqual(['Paperboy']);
      expect(children(atom, 'link').map((l) => l['@rel'])).toEqual(['self', 'alternate']);
      for (const entry of children(atom, 'entry')) {
        expect(entry.title).toMatchObject({ '@type': 'text' });
        expect(entry.summary).toMatchObject({ '@type': 'text' });
        expect(text(entry.updated)).toMatch(RFC3339);
        expect(children(entry, 'link').filter((l) => l['@rel'] === 'alternate')).toHaveLength(1);
      }

      const feed = parseFeed(xml);
      expect(feed.meta).toEqual({ type: 'atom', version: '1.0' });
      expect(feed.url).toBe(`${PUBLIC_URL}/papers/week/2026-W27`);
      feed.items.forEach((item, i) => {
        const p = papers[i]!;
        expect(item.title).toBe(p.title);
        expect(item.url).toBe(p.links.html);
        const listed = `${p.day}T00:00:00.000Z`;
        expect(item.published?.toISOString()).toBe(listed);
        expect(item.updated?.toISOString()).toBe(p.updatedAt && p.updatedAt > listed ? p.updatedAt : listed);
        expect(item.authors.map((a) => a.name)).toEqual(p.authors);
        expect(item.categories.map((c) => c.term)).toEqual(p.categories);
      });
    });

    it('writes JSON Feed 1.1 with its required fields, checked by hand', async () => {
      const papers = await papersOf('month/2026-06');
      const r = await get('/feeds/month/2026-06.json');
      const feed = r.json<JsonFeed & Record<string, unknown>>();
      expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
      expect(feed.title).toBe('Paperboy: papers of month 2026-06');
      expect(feed.feed_url).toBe(`${PUBLIC_URL}/feeds/month/2026-06.json`);
      expect(feed.home_page_url).toBe(`${PUBLIC_URL}/papers/month/2026-06`);
      expect(feed).not.toHaveProperty('author'); // 1.0's single author, deprecated in 1.1
      expect(new Set(feed.items.map((i) => i.id)).size).toBe(feed.items.length);
      feed.items.forEach((item, i) => {
        const p = papers[i]!;
        expect(typeof item.id).toBe('string');
        expect(item).toMatchObject({ url: p.links.html, external_url: p.links.abs, title: p.title, content_text: p.abstract, tags: p.categories });
        expect(item.authors).toEqual(p.authors.map((name) => ({ name })));
        expect(item.date_published).toMatch(RFC3339);
        expect(item.attachments).toEqual([{ url: p.links.pdf, mime_type: 'application/pdf', title: 'PDF' }]);
      });
    });

    it('dates each item by the day it is listed, and titles it in readable text, in every format', async () => {
      const record = { id: '2605.99003', version: 1, source: 'kaggle' as const, listedOn: '2026-05-15', submittedAt: '2026-03-02T10:00:00.000Z', authors: ['A. Tex'] };
      await site.ingest.ingest(
        (async function* () {
          yield { records: [{ ...record, title: 'M$^3$Eval: \\textbf{Multi}-modal $\\alpha$-Evaluation' }], errors: [] };
        })(),
      );
      const title = 'M³Eval: Multi-modal α-Evaluation';
      const listed = '2026-05-15T00:00:00.000Z';
      for (const format of ['rss', 'atom'] as const) {
        const item = parseFeed((await get(`/feeds/date/2026-05-15.${format}`)).body).items.find((i) => i.id === abs(record.id))!;
        expect(item.title, format).toBe(title);
        expect(item.published?.toISOString(), format).toBe(listed);
      }
      const json = (await get('/feeds/date/2026-05-15.json')).json<JsonFeed>().items.find((i) => i.id === abs(record.id))!;
      expect(json).toMatchObject({ title, date_published: listed });
    });

    it('orders a feed like its listing, the order kept in its self link', async () => {
      const papers = await papersOf('date/2026-06-30', '&order=newest');
      const feed = (await get('/feeds/date/2026-06-30.json?order=newest')).json<JsonFeed>();
      expect(feed.items.map((i) => i.id)).toEqual(papers.map((p) => abs(p.id)));
      expect(feed.feed_url).toBe(`${PUBLIC_URL}/feeds/date/2026-06-30.json?order=newest`);
      const trending = (await get('/feeds/date/2026-06-30.json')).json<JsonFeed>();
      expect(trending.items.map((i) => i.id)).not.toEqual(feed.items.map((i) => i.id));
    });

    it('serves a valid, empty feed for a day without papers', async () => {
      const atom = strictXml((await get('/feeds/date/2026-06-27.atom')).body, 'feed');
      expect(children(atom, 'entry')).toEqual([]);
      expect(text(atom.updated)).toBe('2026-06-27T00:00:00.000Z');
      expect(parseFeed((await get('/feeds/date/2026-06-27.rss')).body).items).toEqual([]);
      expect((await get('/feeds/date/2026-06-27.json')).json<JsonFeed>().items).toEqual([]);
    });

    it('answers JSON errors: 400 for a period that does not exist, 404 for a feed that does not', async () => {
      for (const [url, status, code] of [
        ['/feeds/date/2026-02-30.rss', 400, 'INVALID_PARAMETER'],
        ['/feeds/week/2026-W99.atom', 400, 'INVALID_PARAMETER'],
        ['/feeds/date/june.json', 400, 'INVALID_PARAMETER'],
        ['/feeds/latest.rss?order=random', 400, 'INVALID_PARAMETER'],
        ['/feeds/date/2026-06-30.xml', 404, 'NOT_FOUND'],
        ['/feeds/everything.rss', 404, 'NOT_FOUND'],
      ] as const) {
        const r = await get(url);
        expect(r.statusCode, url).toBe(status);
        expect(r.json<{ error: { code: string } }>().error.code, url).toBe(code);
      }
    });

    it('tags feeds with an ETag and Cache-Control, answers 304, and lets any origin read', async () => {
      const r = await get('/feeds/latest.atom', { origin: 'https://reader.example' });
      expect(r.headers['cache-control']).toBe('public, max-age=600, stale-while-revalidate=3000');
      expect(r.headers['access-control-allow-origin']).toBe('*');
      expect(r.headers['cross-origin-resource-policy']).toBe('cross-origin');
      const again = await get('/feeds/latest.atom', { 'if-none-match': r.headers.etag as string });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      // the body does not depend on when it is asked for, or a polling reader would never get a 304
      expect((await get('/feeds/latest.atom')).body).toBe(r.body);
    });

    it('answers a reader that has the feed 200 again once a paper is stored (run last: it adds one)', async () => {
      const url = '/feeds/date/2026-06-30.rss';
      const etag = String((await get(url)).headers.etag);
      expect((await get(url, { 'if-none-match': etag })).statusCode).toBe(304);
      await site.ingest.ingest(
        (async function* () {
          yield { records: [{ ...EXTRA_RECORD, title: 'A late paper' }], errors: [] };
        })(),
      );
      const after = await get(url, { 'if-none-match': etag });
      expect(after.statusCode).toBe(200);
      expect(after.headers.etag).not.toBe(etag);
    });
  });
}
