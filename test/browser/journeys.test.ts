/**
 * A reader's journeys through the site in Debian's Chromium, on the demo papers (Hugging Face
 * days of June 2026 merged with their arXiv metadata; the latest day is Tuesday 2026-06-30):
 * the latest day, the previous days (the weekend skipped), a paper, a search followed to a
 * result, the theme switch without script, the "more" toggle, and a phone-width screen.
 * Each step leaves a screenshot in test-artifacts/browser/ for a person to look at.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DomDetails, DomDocument, DomElement, GetComputedStyle } from './dom.js';
import { browserSuite, horizontalOverflow, screenshot, visit, type WatchedPage } from './harness.js';

// in page.evaluate() callbacks only: they run in Chromium
declare const document: DomDocument;
declare const getComputedStyle: GetComputedStyle;

const suite = browserSuite();

/** A page in a fresh context: no cookies, so the default theme, and a reader who prefers light. */
function fresh(options: Parameters<typeof suite.page>[0] = {}): Promise<WatchedPage> {
  return suite.page({ colorScheme: 'light', ...options });
}

/** No script errors, no CSP violations: what a reader's console should show on every page. */
function expectCleanConsole(w: WatchedPage): void {
  expect({ console: w.watch.consoleErrors, errors: w.watch.pageErrors }).toEqual({ console: [], errors: [] });
}

const heading = (page: Page) => page.locator('main h1').first().innerText();
const dayShown = (page: Page) => page.locator('main h1 time').getAttribute('datetime');

/** The page's background colour as [r, g, b] (html's when body is transparent). */
function background(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const body = parse(getComputedStyle(document.body).backgroundColor);
    const transparent = body.length === 4 && body[3] === 0;
    return (transparent ? parse(getComputedStyle(document.documentElement).backgroundColor) : body).slice(0, 3);
  });
}

/** WCAG relative luminance of [r, g, b]: 0 is black, 1 is white. */
function luminance([r = 0, g = 0, b = 0]: number[]): number {
  const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

describe('reading the daily papers', () => {
  it('opens on the latest day, its papers ranked most upvoted first', async () => {
    const w = await fresh();
    await visit(w.page, `${suite.site.base}/`);
    expect(await dayShown(w.page)).toBe('2026-06-30');
    expect(await heading(w.page)).toMatch(/June 30, 2026/);
    expect(await w.page.getByText('Get trending papers in your email inbox!').count()).toBe(1);
    const titles = await w.page.locator('main .paper-title a').allInnerTexts();
    expect(titles.length).toBeGreaterThan(10);
    expect(titles).toContain('LiveEdit: Towards Real-Time Diffusion-Based Streaming Video Editing');
    // a day's papers all have the same age, so trending is votes alone (see /about/ranking)
    const votes = await w.page.locator('main article.paper').evaluateAll((els) => els.map((e) => Number((e as DomElement).getAttribute('data-upvotes'))));
    expect(votes).toEqual([...votes].sort((a, b) => b - a));
    await screenshot(w.page, '01-latest-day-light');
    expectCleanConsole(w);
  });

  it('steps back a day at a time, skipping the empty weekend', async () => {
    const w = await fresh();
    await visit(w.page, `${suite.site.base}/`);
    await w.page.locator('.period-nav a[rel="prev"]').click();
    await w.page.waitForURL('**/papers/date/2026-06-29');
    expect(await dayShown(w.page)).toBe('2026-06-29');
    await screenshot(w.page, '02-previous-day-2026-06-29');
    // 2026-06-29 is a Monday: the day before with papers is Friday the 26th, not Sunday the 28th
    await w.page.locator('.period-nav a[rel="prev"]').click();
    await w.page.waitForURL('**/papers/date/2026-06-26');
    expect(await dayShown(w.page)).toBe('2026-06-26');
    expect(await w.page.locator('main .paper-title').count()).toBeGreaterThan(0);
    // and forward again lands on Monday, not on the weekend
    expect(await w.page.locator('.period-nav a[rel="next"]').getAttribute('href')).toBe('/papers/date/2026-06-29');
    await screenshot(w.page, '03-friday-2026-06-26');
    expectCleanConsole(w);
  });

  it('opens a paper from the listing, with its metadata, links and BibTeX', async () => {
    const w = await fresh();
    await visit(w.page, `${suite.site.base}/papers/date/2026-06-30`);
    const first = w.page.locator('main .paper-title a').first();
    const title = (await first.innerText()).trim();
    await first.click();
    await w.page.waitForURL(/\/papers\/\d{4}\.\d{4,5}$/);
    expect((await w.page.locator('main h1').innerText()).trim()).toBe(title);
    const id = new URL(w.page.url()).pathname.split('/').pop()!;
    expect(await w.page.locator(`a[href="https://arxiv.org/pdf/${id}"]`).count()).toBeGreaterThan(0);
    expect(await w.page.locator('#bibtex').innerText()).toMatch(/@\w+\{/);
    // similar papers by keywords, each a link to another paper page
    const similar = await w.page.locator('.similar a').evaluateAll((as) => as.map((a) => (a as DomElement).getAttribute('href')));
    expect(similar.length).toBeGreaterThan(0);
    expect(similar.every((h) => h !== null && /^\/papers\//.test(h) && !h.endsWith(id))).toBe(true);
    expect(await w.page.locator('meta[name="citation_title"]').getAttribute('content')).toBe(title.replace(/\s+/g, ' '));
    await screenshot(w.page, '04-paper-light');
    await screenshot(w.page, '04-paper-light-full', true);
    expectCleanConsole(w);
  });

  it('searches from the header and follows a result to its paper', async () => {
    const w = await fresh();
    await visit(w.page, `${suite.site.base}/`);
    await w.page.locator('header form[role="search"] input[name="q"]').fill('video editing');
    await w.page.locator('header form[role="search"] input[name="q"]').press('Enter');
    await w.page.waitForURL(/\/search\?q=video(\+|%20)editing/);
    const results = w.page.locator('main .search-results .paper-title a');
    expect(await results.count()).toBeGreaterThan(0);
    expect(await w.page.locator('main .search-results mark').count()).toBeGreaterThan(0);
    await screenshot(w.page, '05-search-video-editing');
    const resultTitle = (await results.first().innerText()).trim();
    await results.first().click();
    await w.page.waitForURL(/\/papers\//);
    expect((await w.page.locator('main h1').innerText()).trim()).toBe(resultTitle);
    const text = (await w.page.locator('main').innerText()).toLowerCase();
    expect(text).toContain('video');
    expect(text).toContain('edit');
    await screenshot(w.page, '06-search-result-paper');
    expectCleanConsole(w);
  });

  it('shows the rest of a long abstract behind "more", without script', async () => {
    const w = await fresh({ javaScriptEnabled: false });
    await visit(w.page, `${suite.site.base}/`);
    const more = w.page.locator('main details.more').first();
    const rest = more.locator('p').first();
    expect(await more.evaluate((d) => (d as DomDetails).open)).toBe(false);
    expect(await rest.isVisible()).toBe(false);
    await more.locator('summary').click();
    expect(await more.evaluate((d) => (d as DomDetails).open)).toBe(true);
    expect(await rest.isVisible()).toBe(true);
    expect((await rest.innerText()).length).toBeGreaterThan(20);
    await more.scrollIntoViewIfNeeded();
    await screenshot(w.page, '07-more-opened');
  });

  it('the "more" toggle also works with the site\'s script running', async () => {
    const w = await fresh();
    await visit(w.page, `${suite.site.base}/`);
    const more = w.page.locator('main details.more').first();
    await more.locator('summary').click();
    expect(await more.evaluate((d) => (d as DomDetails).open)).toBe(true);
    expect(await more.locator('p').first().isVisible()).toBe(true);
    expectCleanConsole(w);
  });
});

describe('the theme switch', () => {
  it('switches to dark without script, and the choice holds on the next page', async () => {
    const w = await fresh({ javaScriptEnabled: false });
    await visit(w.page, `${suite.site.base}/`);
    const before = await background(w.page);
    expect(luminance(before)).toBeGreaterThan(0.5); // a light page by default (auto, the reader prefers light)
    await w.page.locator('form.theme-switch button[value="dark"]').click();
    await w.page.waitForLoadState('load');
    expect(new URL(w.page.url()).pathname).toBe('/'); // back where the reader was
    expect(await w.page.locator('html').getAttribute('data-theme')).toBe('dark');
    const after = await background(w.page);
    expect(luminance(after)).toBeLessThan(0.2);
    expect(await w.page.locator('form.theme-switch button[value="dark"]').getAttribute('aria-pressed')).toBe('true');
    await screenshot(w.page, '08-latest-day-dark');

    await w.page.locator('main .paper-title a').first().click();
    await w.page.waitForURL(/\/papers\//);
    expect(await w.page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(luminance(await background(w.page))).toBeLessThan(0.2);
    await screenshot(w.page, '09-paper-dark');
    await screenshot(w.page, '09-paper-dark-full', true);

    await visit(w.page, `${suite.site.base}/search?q=diffusion`);
    expect(await w.page.locator('html').getAttribute('data-theme')).toBe('dark');
    await screenshot(w.page, '10-search-dark');

    // and back to light, from a paper page: the reader stays on it
    await visit(w.page, `${suite.site.base}/papers/2606.26740`);
    await w.page.locator('form.theme-switch button[value="light"]').click();
    await w.page.waitForLoadState('load');
    expect(new URL(w.page.url()).pathname).toBe('/papers/2606.26740');
    expect(await w.page.locator('html').getAttribute('data-theme')).toBe('light');
    expect(luminance(await background(w.page))).toBeGreaterThan(0.5);
  });

  it('follows the reader\'s system preference when no theme was chosen', async () => {
    const w = await fresh({ colorScheme: 'dark' });
    await visit(w.page, `${suite.site.base}/`);
    expect(await w.page.locator('html').getAttribute('data-theme')).toBeNull();
    expect(luminance(await background(w.page))).toBeLessThan(0.2);
    await screenshot(w.page, '11-latest-day-auto-dark');
    expectCleanConsole(w);
  });
});

describe('on a phone (360×740)', () => {
  const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

  for (const [name, path] of [
    ['day', '/'],
    ['paper', '/papers/2606.26740'],
    ['search', '/search?q=language+model'],
    ['about', '/about/ranking'],
  ] as const) {
    it(`the ${name} page fits the width: no sideways scrolling`, async () => {
      const w = await fresh(phone);
      await visit(w.page, suite.site.base + path);
      const overflow = await horizontalOverflow(w.page);
      expect(overflow, `wider than the screen: ${overflow.culprits.join(', ')}`).toMatchObject({ scrollWidth: overflow.clientWidth });
      await screenshot(w.page, `12-phone-${name}`);
      expectCleanConsole(w);
    });
  }

  it('the dark theme on a phone', async () => {
    const w = await fresh({ ...phone, colorScheme: 'dark' });
    await visit(w.page, `${suite.site.base}/papers/2606.26740`);
    expect(luminance(await background(w.page))).toBeLessThan(0.2);
    const overflow = await horizontalOverflow(w.page);
    expect(overflow.scrollWidth, overflow.culprits.join(', ')).toBe(overflow.clientWidth);
    await screenshot(w.page, '13-phone-paper-dark');
  });
});

describe('the server behind these journeys', () => {
  it('logged no error while serving them (a 500 would show here with its stack)', () => {
    expect(suite.site.problems()).toEqual([]);
  });
});
