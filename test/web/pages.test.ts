/**
 * The web pages on every store, through app.inject(): the latest day, navigation that skips
 * empty days, weeks and months, the three orders, paper pages with BibTeX and citation
 * metadata, LaTeX, the calendar, and the 404s of bad or empty addresses.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { attrs, useSite, type Site } from './site.js';
import { CURATED } from '../../src/core/curated.js';
import { TRENDING } from '../../src/core/ranking.js';
import { VOTE_DAMPING } from '../../src/core/vote-weight.js';

const titles = (html: string) => [...html.matchAll(/<h2 class="paper-title" id="[^"]+"><a href="\/papers\/([^"]+)">/g)].map((m) => m[1]!);
const votes = (html: string) => attrs(html, 'data-upvotes').map(Number);
const rel = (html: string, r: string) => new RegExp(`<a class="step step-${r}" href="([^"]+)" rel="${r}">`).exec(html)?.[1] ?? null;

for (const harness of STORE_HARNESSES) {
  describe(`web pages: ${harness.name}`, () => {
    const theSite = useSite(harness);
    let site: Site;
    beforeEach(() => {
      site = theSite();
    });

    it('opens on the latest day, most upvoted first, with the subscribe box and feeds', async () => {
      const res = await site.get('/');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<h1><time datetime="2026-06-30">Tuesday, June 30, 2026</time></h1>');
      expect(res.body).toContain('LiveEdit: Towards Real-Time Diffusion-Based Streaming Video Editing');
      expect(res.body).toContain('Get trending papers in your email inbox!');
      expect(res.body).toContain('<link rel="alternate" type="application/rss+xml" title="Tuesday, June 30, 2026 (RSS)" href="/feeds/date/2026-06-30.rss">');
      const v = votes(res.body);
      expect(v.length).toBe(20); // a page of them
      expect(v).toEqual([...v].sort((a, b) => b - a));
      expect(v[0]).toBeGreaterThan(0);
      expect(rel(res.body, 'next')).toBeNull(); // nothing after the latest day
    });

    it('steps to the neighbouring days that have papers, skipping the weekend', async () => {
      const monday = (await site.get('/papers/date/2026-06-29')).body;
      expect(rel(monday, 'prev')).toBe('/papers/date/2026-06-26');
      expect(rel(monday, 'next')).toBe('/papers/date/2026-06-30');
      const friday = (await site.get('/papers/date/2026-06-26?order=newest')).body;
      expect(rel(friday, 'next')).toBe('/papers/date/2026-06-29?order=newest'); // the order is kept
      expect(titles(friday).length).toBeGreaterThan(0);
    });

    it('answers an empty day with a 404 that leads to the days around it', async () => {
      const res = await site.get('/papers/date/2026-06-27');
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('No papers on Saturday, June 27, 2026');
      expect(res.body).toContain('href="/papers/date/2026-06-26" rel="prev"');
      expect(res.body).toContain('href="/papers/date/2026-06-29" rel="next"');
      expect(res.body).toContain('arXiv announces new papers on weekdays only, so weekends stay empty.');
      // a month past the newest papers, or before the oldest, says so (not "weekends")
      const after = await site.get('/papers/month/2026-08');
      expect(after.statusCode).toBe(404);
      expect(after.body).toContain('This month comes after the newest papers here');
      expect(after.body).toContain('href="/papers/month/2026-06" rel="prev"');
      expect((await site.get('/papers/month/1998-01')).body).toContain('This month comes before the oldest papers here.');
      expect((await site.get('/papers/month/2001-01')).body).toContain('This site holds no papers from this month: a gap in what it has harvested.');
    });

    it('answers a malformed address with the HTML error page and the usual headers', async () => {
      for (const url of ['/papers/%ZZ', '/papers/date/%E0%A4%A', '/search%ZZ']) {
        const res = await site.get(url);
        expect(res.statusCode, url).toBe(400);
        expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
        expect(res.body, url).toContain('The request was not understood.');
        expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
        expect(res.headers['cache-control'], url).toBe('no-store');
      }
    });

    it('answers the last days of the year 9999 at once, with no way past them', async () => {
      // these requests once looped until the process ran out of memory (periods.test.ts)
      for (const url of ['/papers/date/9999-12-31', '/papers/month/9999-12', '/papers/date?day=9999-12-31']) {
        const res = await site.get(url);
        expect(res.statusCode, url).toBeLessThan(500);
      }
      const last = await site.get('/papers/month/9999-12');
      expect(last.statusCode).toBe(404);
      expect(last.body).toContain('<a href="/papers/month/9999-11" class="calendar-step"');
      expect(last.body).toContain('<h2 id="calendar-title"><a href="/papers/month/9999-12">December 9999</a></h2>\n<span class="calendar-step"></span>');
      expect(last.body).not.toContain('10000');
      expect((await site.get('/papers/week/9999-W52')).statusCode).toBe(404); // it ends in January 10000
    });

    it('answers malformed periods, ids and unknown addresses with a 404 page and a way back', async () => {
      for (const url of ['/papers/date/2026-02-30', '/papers/date/yesterday', '/papers/week/2026-W54', '/papers/month/2026-13', '/papers/not-an-id', '/papers/2606.99999', '/nowhere', '/papers/date/2026-06-30?page=999']) {
        const res = await site.get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
        expect(res.body, url).toContain('href="/">The latest papers</a>');
      }
    });

    it('lists a week, Monday to Sunday, with its neighbours and paging', async () => {
      const res = await site.get('/papers/week/2026-W27');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<time datetime="2026-W27">Week 27, 2026</time>');
      expect(res.body).toMatch(/[\d,]+ papers · Jun 29 – Jul 5, 2026/);
      expect(rel(res.body, 'prev')).toBe('/papers/week/2026-W26');
      expect(res.body).toContain('href="/papers/week/2026-W27?page=2" rel="next"');
      const page2 = await site.get('/papers/week/2026-W27?page=2');
      expect(page2.statusCode).toBe(200);
      expect(titles(page2.body).some((id) => titles(res.body).includes(id))).toBe(false);
      expect(page2.body).toContain('<ol class="papers" start="21">');
    });

    it('lists a month, and the calendar links exactly the days that have papers', async () => {
      const res = await site.get('/papers/month/2026-06');
      expect(res.statusCode).toBe(200);
      const total = Number(/([\d,]+) papers/.exec(res.body)![1]!.replace(/,/g, ''));
      expect(total).toBeGreaterThan(600);
      const days = attrs(res.body, 'href').filter((h) => h.startsWith('/papers/date/2026-06-'));
      expect(days).toContain('/papers/date/2026-06-01');
      expect(days).not.toContain('/papers/date/2026-06-06'); // a Saturday
      expect(days).not.toContain('/papers/date/2026-06-07');
      expect(res.body).toContain('href="/papers/week/2026-W27"'); // week numbers link their weeks
    });

    it('orders by trending, newest and most upvoted, marking the current tab', async () => {
      const trending = (await site.get('/papers/week/2026-W26')).body;
      const upvoted = (await site.get('/papers/week/2026-W26?order=upvoted')).body;
      const newest = (await site.get('/papers/week/2026-W26?order=newest')).body;
      expect(votes(upvoted)).toEqual([...votes(upvoted)].sort((a, b) => b - a));
      expect(titles(newest)).not.toEqual(titles(upvoted));
      expect(trending).toContain('<a href="/papers/week/2026-W26" aria-current="page">Trending</a>');
      expect(newest).toContain('<a href="/papers/week/2026-W26?order=newest" aria-current="page">Newest</a>');
      // a week's trending is not plain votes: the decay lets fresher papers up
      expect(titles(trending)).not.toEqual(titles(upvoted));
      expect((await site.get('/papers/week/2026-W26?order=bogus')).body).toBe(trending);
    });

    it('jumps to a date from the calendar form, and to the latest week or month', async () => {
      expect((await site.get('/papers/date?day=2026-06-29')).headers.location).toBe('/papers/date/2026-06-29');
      expect((await site.get('/papers/date?day=nonsense')).headers.location).toBe('/papers/date/2026-06-30');
      expect((await site.get('/papers/week')).headers.location).toBe('/papers/week/2026-W27');
      expect((await site.get('/papers/month')).headers.location).toBe('/papers/month/2026-06');
    });

    it('shows a paper with its metadata, links, versions, BibTeX and citation tags', async () => {
      const res = await site.get('/papers/2606.26740');
      expect(res.statusCode).toBe(200);
      const html = res.body;
      expect(html).toContain('<h1 id="paper-title">LiveEdit: Towards Real-Time Diffusion-Based Streaming Video Editing</h1>');
      expect(html).toContain('href="https://arxiv.org/pdf/2606.26740"');
      expect(html).toContain('href="https://github.com/cp-cp/LiveEdit"');
      expect(html).toContain('<meta name="citation_title" content="LiveEdit: Towards Real-Time Diffusion-Based Streaming Video Editing">');
      expect(html).toContain('<meta name="citation_arxiv_id" content="2606.26740">');
      expect(html).toContain('<meta name="citation_pdf_url" content="https://arxiv.org/pdf/2606.26740">');
      expect(html).toContain('<meta name="citation_abstract_html_url" content="https://papers.example.org/papers/2606.26740">');
      expect(html).toMatch(/<meta name="citation_date" content="2026\/0[56]\/\d\d">/);
      const authors = attrs(html, 'name="citation_author" content').length;
      expect(authors).toBeGreaterThan(1);
      expect((html.match(/<meta name="DC.creator"/g) ?? []).length).toBe(authors);
      expect(html).toMatch(/<code id="bibtex">@misc\{\w+2026\w+,\n {2}title {9}= \{LiveEdit/);
      expect(html).toContain('eprint        = {2606.26740}');
      expect(html).toContain('archivePrefix = {arXiv}');
      expect(html).toMatch(/<th scope="row"><a href="https:\/\/arxiv.org\/abs\/2606.26740v1">v1<\/a><\/th>/);
      // the markup's own glyphs are character references, so the page of a paper written in
      // Latin-1 is a one-byte string, cheaper to build and send (decision 008)
      expect(html).not.toMatch(/[◐☀☾▲★—]/);
      expect(html).toContain('<span aria-hidden="true">&#9650;</span> 57 upvotes');
      expect(html).toContain('<td>&mdash;</td>'); // no size known for v1
    });

    it('resolves version suffixes and old-style ids', async () => {
      const v1 = await site.get('/papers/2606.90002v1');
      expect(v1.statusCode).toBe(200);
      expect(v1.body).toContain('You asked for version 1; this page shows the newest, version 2.');
      expect(v1.body).toContain('<link rel="canonical" href="https://papers.example.org/papers/2606.90002">');
      expect((await site.get('/papers/hep-th%2F9901001')).statusCode).toBe(200);
      expect((await site.get('/papers/date/2026-06-29/')).statusCode).toBe(200);
      const old = await site.get('/papers/hep-th/9901001v1');
      expect(old.statusCode).toBe(200);
      expect(old.body).toContain('Old-style strings in');
      expect(old.body).toContain('eprint        = {hep-th/9901001}');
      expect((await site.get('/papers/math.GT/0309136')).statusCode).toBe(404); // a valid id we don't hold
    });

    it('answers 404 for a version the paper does not have, linking to the versions it has', async () => {
      const v9 = await site.get('/papers/2606.90002v9');
      expect(v9.statusCode).toBe(404);
      expect(v9.body).toContain('2606.90002 has no version 9 here');
      expect(v9.body).toContain('<a href="/papers/2606.90002v1">2606.90002v1</a>');
      expect(v9.body).toContain('<a href="/papers/2606.90002v2">2606.90002v2</a>');
      expect(v9.body).not.toContain('You asked for version 9');
      const old = await site.get('/papers/hep-th/9901001v2');
      expect(old.statusCode).toBe(404);
      expect(old.body).toContain('<a href="/papers/hep-th/9901001v1">hep-th/9901001v1</a>');
      expect((await site.get('/papers/2606.90002v2')).statusCode).toBe(200);
    });

    it('renders LaTeX with KaTeX and falls back to the escaped source where it cannot', async () => {
      const old = (await site.get('/papers/hep-th/9901001')).body;
      expect(old).toMatch(/<h1 id="paper-title">Old-style strings in <span class="katex">/);
      expect(old).toContain('<annotation encoding="application/x-tex">AdS_5 \\times S^5</annotation>');
      const broken = (await site.get('/papers/2606.90002')).body;
      expect(broken).toContain('<code class="tex" title="LaTeX that could not be rendered">$\\frac{a$</code>');
      expect(broken).toContain('and prices of $5 and $10</h1>'); // money is not math
      expect(broken).toContain('<span class="katex-display">');
      expect(broken).toContain('<code class="tex" title="LaTeX that could not be rendered">\\(\\badcommand{x}\\)</code>');
    });

    it('shortens long abstracts behind a "more" toggle that needs no script', async () => {
      const html = (await site.get('/')).body;
      const blocks = [...html.matchAll(/<div class="abstract">([\s\S]*?)<\/div>/g)].map((m) => m[1]!);
      expect(blocks.some((b) => b.includes('<details class="more"><summary><span class="more-label">more</span>'))).toBe(true);
      const teaser = /<div class="abstract"><p>([^<]*)<\/p>\n<details/.exec(html)![1]!;
      expect(teaser.length).toBeLessThan(600);
      expect(teaser).toMatch(/[.?!]$/); // ends at a sentence
    });

    it('explains the ranking with the constants the code uses', async () => {
      const res = await site.get('/about/ranking');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`(age in hours + ${TRENDING.AGE_OFFSET_HOURS})<sup>${TRENDING.GRAVITY}</sup>`);
      expect(res.body).toContain(`(votes + ${TRENDING.VOTE_PRIOR})`);
      expect(res.body).toMatch(/7 days before the end<\/td><td>3×/);
      // the blend and the damping, from the same constants (decision 028)
      expect(res.body).toContain(`counting as <strong>${TRENDING.LOCAL_VOTE_WEIGHT}</strong> Hugging Face upvotes`);
      expect(res.body).toContain(`younger than <strong>${VOTE_DAMPING.YOUNG_ACCOUNT_DAYS} days</strong>`);
      expect(res.body).toContain(`the first <strong>${VOTE_DAMPING.NETWORK_FREE}</strong> votes on a paper within <strong>${VOTE_DAMPING.NETWORK_WINDOW_HOURS} hours</strong>`);
      expect(res.body).toContain(`fewer than ${CURATED.MIN_PAPERS} papers were picked`);
    });

    it('serves its stylesheet, script and KaTeX files, cacheable for a year', async () => {
      const home = (await site.get('/')).body;
      for (const href of [...attrs(home, 'href').filter((h) => h.startsWith('/static/')), ...attrs(home, 'src').filter((h) => h.startsWith('/static/'))]) {
        const res = await site.get(href);
        expect(res.statusCode, href).toBe(200);
        expect(res.headers['cache-control'], href).toContain('max-age=31536000');
      }
      const katex = (await site.get(attrs(home, 'href').find((h) => h.includes('katex.min.css'))!)).body;
      const font = /url\((fonts\/KaTeX_Main-Regular\.woff2)\)/.exec(katex)![1]!;
      const fontRes = await site.get(`/static/${/katex-[\d.]+/.exec(home)![0]}/${font}`);
      expect(fontRes.statusCode).toBe(200);
      expect(fontRes.headers['content-type']).toBe('font/woff2');
      expect((await site.get('/static/../package.json')).statusCode).toBe(404);
    });

    it('answers HEAD like GET, without a body', async () => {
      const res = await site.app.inject({ method: 'HEAD', url: '/papers/date/2026-06-29' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('');
      expect(res.headers.etag).toMatch(/^W\/"/);
    });
  });
}
