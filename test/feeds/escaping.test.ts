/**
 * A paper whose title, abstract and authors carry <script>, <img onerror>, <iframe>, & and the
 * CDATA terminator ]]> reaches every feed format as exactly those characters, and never as
 * markup: the XML holds no such element, and each format's text decodes back to the original.
 */
import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonFeed } from '../../src/delivery/http/feeds/json-feed.js';
import { HOSTILE, HOSTILE_ID, openSite, type TestSite } from '../api/site.js';
import { VoteService } from '../../src/services/vote.service.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { children, decodeHtml, strictXml, text, type Node } from './xml-tree.js';

const ID = `https://arxiv.org/abs/${HOSTILE_ID}`;
const MARKUP = /<(script|img|iframe|b)\b/i;

for (const harness of STORE_HARNESSES) {
  describe(`feeds keep markup as text: ${harness.name}`, () => {
    let site: TestSite;
    const body = async (url: string) => (await site.app.inject(url)).body;

    beforeAll(async () => {
      site = await openSite(harness);
      // a paper only arXiv lists joins its day's feed (the curated day) once someone votes for it
      await new VoteService(site.votes).vote(HOSTILE_ID, { accountId: '1', accountCreatedAt: '2026-01-01T00:00:00Z', network: '192.0.2.0/24' });
    });
    afterAll(() => site.close());

    it('RSS: the title escaped once, the description escaped as HTML and then as XML', async () => {
      const xml = await body('/feeds/date/2026-06-30.rss');
      expect(xml).not.toMatch(MARKUP);
      expect([...elements(xml)].sort()).toEqual([...RSS_ELEMENTS].sort());
      expect(xml).not.toContain('CDATA');
      const channel = strictXml(xml, 'rss').channel as Node;
      const item = children(channel, 'item').find((i) => text(i.guid) === ID)!;
      expect(text(item.title)).toBe(HOSTILE.title);
      const paragraphs = text(item.description).match(/^<p>(.*)<\/p>$/s)![1]!.split('</p><p>');
      expect(paragraphs.map(decodeHtml).join('\n\n')).toBe(HOSTILE.abstract);
      expect(paragraphs.join('')).not.toMatch(MARKUP); // still escaped once the XML is read
      expect(children(item, 'dc:creator').map(text)).toEqual(HOSTILE.authors);
      expect(parseFeed(xml).items.find((i) => i.id === ID)!.title).toBe(HOSTILE.title);
    });

    it('Atom: title, summary and names as type="text", each exactly the original', async () => {
      const xml = await body('/feeds/date/2026-06-30.atom');
      expect(xml).not.toMatch(MARKUP);
      expect([...elements(xml)].sort()).toEqual([...ATOM_ELEMENTS].sort());
      const entry = children(strictXml(xml, 'feed'), 'entry').find((e) => text(e.id) === ID)!;
      expect(entry.title).toEqual({ '#text': HOSTILE.title, '@type': 'text' });
      expect(entry.summary).toEqual({ '#text': HOSTILE.abstract, '@type': 'text' });
      expect(children(entry, 'author').map((a) => text(a.name))).toEqual(HOSTILE.authors);
      const parsed = parseFeed(xml).items.find((i) => i.id === ID)!;
      expect(parsed.title).toBe(HOSTILE.title);
      expect(parsed.authors.map((a) => a.name)).toEqual(HOSTILE.authors);
    });

    it("a search feed's channel text, which holds the query, is escaped like the items' in every format", async () => {
      const q = '<script>alert(1)</script> & <b>"x"';
      const description = `Research papers matching ${q}, newest first.`;
      const url = (format: string) => `/feeds/search.${format}?q=${encodeURIComponent(q)}`;
      const rss = await body(url('rss'));
      expect(rss).not.toMatch(MARKUP);
      const channel = strictXml(rss, 'rss').channel as Node;
      expect(text(channel.description)).not.toMatch(MARKUP); // HTML by RSS convention: still escaped once the XML is read
      expect(decodeHtml(text(channel.description))).toBe(description);
      expect(text(channel.title)).toBe(`Paperboy: search for ${q}`); // a title is text, escaped once
      expect(decodeHtml(parseFeed(rss).description!)).toBe(description);
      const atom = await body(url('atom'));
      expect(atom).not.toMatch(MARKUP);
      expect(strictXml(atom, 'feed').subtitle).toEqual({ '#text': description, '@type': 'text' });
      expect(parseFeed(atom).description).toBe(description);
      expect((JSON.parse(await body(url('json'))) as JsonFeed).description).toBe(description);
    });

    it('JSON Feed: plain strings in title and content_text, no HTML field to misread', async () => {
      const feed = JSON.parse(await body('/feeds/date/2026-06-30.json')) as JsonFeed;
      const item = feed.items.find((i) => i.id === ID)!;
      expect(item).toMatchObject({ title: HOSTILE.title, content_text: HOSTILE.abstract, authors: HOSTILE.authors.map((name) => ({ name })) });
      expect(item).not.toHaveProperty('content_html');
    });
  });
}

/** The elements a document opens: only the writer's own, whatever the data holds. */
function elements(xml: string): Set<string> {
  return new Set([...xml.matchAll(/<([A-Za-z][\w:.-]*)/g)].map((m) => m[1]!));
}

const RSS_ELEMENTS = ['rss', 'channel', 'title', 'link', 'description', 'atom:link', 'lastBuildDate', 'docs', 'generator', 'item', 'guid', 'pubDate', 'dc:creator', 'category'];
const ATOM_ELEMENTS = ['feed', 'id', 'title', 'subtitle', 'updated', 'published', 'link', 'author', 'name', 'generator', 'entry', 'category', 'summary'];
