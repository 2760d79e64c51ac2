/**
 * Hostile metadata in a real browser: papers whose titles, abstracts, authors, comments and
 * every other field carry script, image-onerror, iframe, SVG and LaTeX payloads are stored
 * through `paperboy ingest` (arXiv snapshot lines and a Hugging Face day, as a harvest would
 * bring them), then every page they appear on is opened in Chromium: nothing may run, no
 * injected element may reach the DOM, and each payload must be readable as text.
 * Queries and addresses carrying the payloads are tried too (reflected, not stored).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, horizontalOverflow, screenshot, type WatchedPage } from './harness.js';
import { expectInertAt, injected } from './inert.js';

const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '<iframe src="javascript:window.__pwned=1">',
  '"><svg onload=window.__pwned=1>',
  '$\\href{javascript:window.__pwned=1}{x}$',
  '$<img src=x onerror=window.__pwned=1>$',
  '</title></textarea><script>window.__pwned=1</script>',
  `'><a href="javascript:window.__pwned=1" id=pwnlink>click</a>`,
  '$\\url{javascript:window.__pwned=1}$ and $$\\htmlData{x=1}{y}$$',
  '\\(<script>window.__pwned=1</script>\\)',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
  // an address becomes a link in abstracts: the quote must end it, not the attribute
  'https://example.org/"><img src=x onerror=window.__pwned=1>',
];
/** Payloads in TeX delimiters: KaTeX renders them, or shows their source when it can't. */
const isMath = (p: string) => p.startsWith('$') || p.startsWith('\\(');
/**
 * The text a payload must leave in the page: a plain one as written, visible; a TeX one, each
 * formula's source (rendered formulas keep it in their MathML annotation, refused ones in a <code>).
 */
const texPieces = (p: string) => p.split(/\$\$|\$|\\\(|\\\)/).map((s) => s.trim()).filter((s) => s !== '');

const DAY = '2026-07-01'; // a Wednesday after the demo days: the hostile papers have it to themselves
const arxivId = (i: number) => `2607.${String(10001 + i)}`;
const hfOnlyId = (i: number) => `2607.${String(20001 + i)}`;

/** Arxiv snapshot lines, one paper per payload, the payload in every text field. */
function kaggleLines(): string {
  return PAYLOADS.map((p, i) =>
    JSON.stringify({
      id: arxivId(i),
      submitter: p,
      authors: `Ada Probe, ${p}`,
      authors_parsed: [['Probe', 'Ada', ''], ['Payload', p, '']],
      title: `Xssprobe ${i + 1}: ${p} in a title`,
      comments: `12 pages ${p}`,
      'journal-ref': `J. Probes ${p}`,
      doi: `10.1234/probe${i}${p}`,
      'report-no': p,
      categories: 'cs.CR cs.LG',
      license: 'javascript:window.__pwned=1',
      abstract: `We study xssprobe number ${i + 1}, ${p}, as text. ${'Filler words keep this teaser going so that the abstract is long enough to be cut. '.repeat(5)}Behind the more toggle: ${p} ends here.\n\n  Second paragraph ${p}.`,
      versions: [{ version: 'v1', created: 'Wed, 1 Jul 2026 10:00:00 GMT' }],
      update_date: DAY,
    }),
  ).join('\n');
}

/** A Hugging Face day: signals for the arXiv papers above, and papers known only from it. */
function hfDay(): string {
  const entry = (id: string, p: string, i: number, hfOnly: boolean) => ({
    paper: {
      id,
      authors: [{ name: `HF ${p}` }, { name: 'Ada Probe' }],
      publishedAt: `${DAY}T00:00:00.000Z`,
      title: hfOnly ? `Hfprobe ${i + 1}: ${p} from Hugging Face` : `HF title ${p}`,
      summary: `Hfprobe summary ${p}. ${'More words to pass the teaser length, and again. '.repeat(8)}Tail ${p}.`,
      upvotes: 100 - i,
      githubRepo: i % 2 ? 'javascript:window.__pwned=1' : `https://github.com/x/y" onmouseover="window.__pwned=1`,
      githubStars: 5,
      projectPage: `javascript:window.__pwned=1//${p}`,
      ai_summary: `AI summary ${p}`,
      ai_keywords: [p, 'probe keyword'],
    },
    numComments: 2,
    title: p,
    summary: p,
  });
  return JSON.stringify([
    ...PAYLOADS.map((p, i) => entry(arxivId(i), p, i, false)),
    ...PAYLOADS.map((p, i) => entry(hfOnlyId(i), p, i, true)),
    wideEntry(),
  ]);
}

/**
 * A paper that attacks the layout rather than the script engine: unbroken words as long as a
 * URL can be, and display math wider than a phone, at the top of the day (most upvoted).
 */
const WIDE_ID = '2607.30001';
const LONG_URL = `https://example.org/${'dataset'.repeat(30)}`;
function wideEntry() {
  return {
    paper: {
      id: WIDE_ID,
      authors: [{ name: 'Ada Probe' }],
      publishedAt: `${DAY}T00:00:00.000Z`,
      title: `Wideprobe: ${'Supercalifragilistic'.repeat(4)} benchmarks`,
      summary: `Wideprobe: $$${Array.from({ length: 50 }, (_, i) => `x_{${i}}^{2}`).join(' + ')} = 1$$ holds for the data at ${LONG_URL} and more.`,
      upvotes: 1000,
    },
    numComments: 0,
  };
}

// in page.evaluate() callbacks only: they run in Chromium
declare const window: { __pwned?: unknown };

/** The hostile inputs, written before the suite's site starts and ingests them. */
function hostileInputs(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-xss-'));
  writeFileSync(join(dir, 'hostile.kaggle.jsonl'), kaggleLines());
  writeFileSync(join(dir, `${DAY}.json`), hfDay());
  return [join(dir, 'hostile.kaggle.jsonl'), join(dir, `${DAY}.json`)];
}

const suite = browserSuite({ inputs: hostileInputs() });
const fresh = () => suite.page();

/** Opens a page, lets it settle, and checks that nothing ran and nothing was injected. */
async function expectInert(w: WatchedPage, path: string, status = 200): Promise<void> {
  await expectInertAt(w, suite.site.base, path, status);
}

const mainText = (page: Page) => page.locator('main').innerText();
const mainTextContent = (page: Page) => page.locator('main').evaluate((m) => m.textContent ?? '');

async function expectReadable(page: Page, payloads: string[], where: string): Promise<void> {
  const visible = await mainText(page);
  const all = await mainTextContent(page);
  for (const p of payloads) {
    if (isMath(p)) for (const piece of texPieces(p)) expect(all, `${where}: the TeX of ${p} as text`).toContain(piece);
    else expect(visible, `${where}: ${p} visible as text`).toContain(p);
  }
}

describe('the detectors themselves', () => {
  it('catch a payload that does run (so a pass below means something)', async () => {
    const w = await fresh();
    await w.page.setContent(`<main><p>${PAYLOADS[1]}</p><iframe src="about:blank"></iframe><a href="javascript:void 0">x</a></main>`);
    await w.page.waitForFunction(() => window.__pwned === 1);
    const found = await injected(w.page);
    expect(found).toEqual(expect.arrayContaining(['<img onerror>', '<iframe> element', '<a href="javascript:void 0">']));
  });
});

describe('stored payloads in paper metadata', () => {
  it(`the day page ${DAY}, every page of it: every hostile paper listed, nothing runs`, async () => {
    const w = await fresh();
    const titles: string[] = [];
    const text: string[] = [];
    const tex: string[] = [];
    // the day holds more papers than a page: follow "next page" to the end
    for (let path: string | null = `/papers/date/${DAY}`, n = 1; path !== null; n++) {
      await expectInert(w, path);
      // open every "more": the hidden rest of each abstract holds payloads too
      for (const d of await w.page.locator('main details.more summary').all()) await d.click();
      await w.page.waitForLoadState('networkidle');
      expect(await w.page.evaluate(() => window.__pwned)).toBeUndefined();
      expect(await injected(w.page)).toEqual([]);
      titles.push(...(await w.page.locator('main .paper-title').allInnerTexts()));
      text.push(await mainText(w.page));
      tex.push(await mainTextContent(w.page));
      await screenshot(w.page, `xss-day-page-${n}`);
      if (n === 1) await screenshot(w.page, 'xss-day-page-1-full', true);
      const next = w.page.locator('.pagination a[rel="next"]');
      path = (await next.count()) > 0 ? await next.getAttribute('href') : null;
    }
    expect(titles.filter((t) => /Xssprobe|Hfprobe/.test(t))).toHaveLength(PAYLOADS.length * 2);
    const all = text.join('\n');
    for (const p of PAYLOADS.filter((x) => !isMath(x))) expect(all, `${p} visible as text`).toContain(p);
    for (const p of PAYLOADS.filter(isMath)) for (const piece of texPieces(p)) expect(tex.join('\n'), `the TeX of ${p} as text`).toContain(piece);
    expect(all).toContain('Behind the more toggle: <script>window.__pwned=1</script> ends here.');
  }, 60_000);

  it('the latest-day page (/), week and month pages: nothing runs', async () => {
    const w = await fresh();
    for (const path of ['/', '/papers/week/2026-W27', '/papers/month/2026-07', `/papers/date/${DAY}?order=newest`]) await expectInert(w, path);
  });

  it.each(PAYLOADS.map((p, i) => [i + 1, p] as const))('paper page of payload %i (%s): nothing runs, the payload reads as text', async (n, p) => {
    const w = await fresh();
    for (const id of [arxivId(n - 1), hfOnlyId(n - 1)]) {
      await expectInert(w, `/papers/${id}`);
      await expectReadable(w.page, [p], `paper ${id}`);
      if (n === 1) await screenshot(w.page, `xss-paper-${id}`, true);
    }
    // the merged paper: arXiv's metadata in every field, Hugging Face's summary and keywords
    await w.page.goto(`${suite.site.base}/papers/${arxivId(n - 1)}`);
    const text = await mainText(w.page);
    if (!isMath(p)) {
      expect(text).toContain(`Xssprobe ${n}: ${p} in a title`);
      expect(text).toContain(`12 pages ${p}`);
      expect(text).toContain(`Payload`);
    }
  });

  it('search results for the payloads\' papers: highlighted snippets stay text', async () => {
    const w = await fresh();
    for (const q of ['xssprobe', 'hfprobe', 'probe keyword', 'Payload']) {
      await expectInert(w, `/search?q=${encodeURIComponent(q)}`);
      expect(await w.page.locator('main .search-results .paper-title').count(), `results for ${q}`).toBeGreaterThan(0);
    }
    await expectInert(w, '/search?q=xssprobe');
    const titles = await w.page.locator('main .search-results .paper-title').allInnerTexts();
    for (const p of PAYLOADS.filter((x) => !isMath(x)))
      expect(titles.some((t) => t.includes(p)), `a result title showing ${p}`).toBe(true);
    await screenshot(w.page, 'xss-search');
  });
});

describe('content wider than the screen', () => {
  const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

  it.each([
    ['day', `/papers/date/${DAY}`],
    ['search', '/search?q=wideprobe'],
    ['paper', `/papers/${WIDE_ID}`],
  ])('on a phone, the %s page (%s) fits the width: long words wrap, wide math scrolls in its box', async (name, path) => {
    const w = await suite.page(phone);
    await expectInert(w, path);
    expect(await mainText(w.page)).toContain('Wideprobe');
    const overflow = await horizontalOverflow(w.page);
    expect(overflow, `wider than the screen: ${overflow.culprits.join(', ')}`).toMatchObject({ scrollWidth: overflow.clientWidth });
    await screenshot(w.page, `wide-phone-${name}`);
  });

  it('on a desktop, the cards of the day stay beside the calendar, never under it', async () => {
    const w = await suite.page({ viewport: { width: 1280, height: 900 } });
    await expectInert(w, `/papers/date/${DAY}`);
    const right = await w.page.locator('main .papers .paper').evaluateAll((cards) => Math.max(...cards.map((c) => c.getBoundingClientRect().right)));
    const aside = await w.page.locator('main .listing-aside').boundingBox();
    expect(right, 'the right edge of the widest card').toBeLessThanOrEqual(aside!.x);
    await screenshot(w.page, 'wide-desktop-day');
  });
});

describe('payloads in the request', () => {
  it.each(PAYLOADS.map((p, i) => [i + 1, p] as const))('search for payload %i (%s): reflected as text only', async (_n, p) => {
    const w = await fresh();
    await expectInert(w, `/search?q=${encodeURIComponent(p)}`);
    expect(await w.page.locator('header input[name="q"], main input[name="q"]').first().inputValue()).toBe(p);
  });

  it('addresses carrying payloads answer 404 pages where nothing runs', async () => {
    const w = await fresh();
    for (const p of PAYLOADS) await expectInert(w, `/papers/${encodeURIComponent(p)}`, 404);
    for (const p of PAYLOADS.slice(0, 4)) await expectInert(w, `/papers/date/${encodeURIComponent(p)}`, 404);
    await expectInert(w, `/nothing-here/${encodeURIComponent(PAYLOADS[0]!)}?q=${encodeURIComponent(PAYLOADS[1]!)}`, 404);
    await screenshot(w.page, 'xss-404');
  }, 90_000);
});

describe('the server behind these pages', () => {
  it('logged no error while serving hostile data and requests (a 500 would show here with its stack)', () => {
    expect(suite.site.problems()).toEqual([]);
  });
});
