/**
 * axe-core in Chromium on every kind of page (a day, a paper, search results, how ranking works,
 * a 404, the subscribe pages, with subscriptions on), in the light and the dark theme: no violation of impact "serious" or "critical".
 * Lesser findings are printed, not failed on. Also the keyboard: the skip link comes first.
 *
 * axe is evaluated through the DevTools protocol (page.evaluate of its source), which the
 * site's Content-Security-Policy does not apply to, so the CSP stays on and nothing is bypassed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import { axe, describeViolations } from './axe.js';
import type { DomDocument, DomInput } from './dom.js';
import { browserSuite, screenshot, visit } from './harness.js';

const PAGES: [name: string, path: string, status: number][] = [
  ['day', '/papers/date/2026-06-30', 200],
  ['paper', '/papers/2606.26740', 200],
  ['search', '/search?q=language+model', 200],
  ['search-empty', '/search?q=qwxzyvq', 200],
  ['about', '/about/ranking', 200],
  ['not-found', '/papers/2606.99999', 404],
  ['subscribe', '/subscribe?topic=diffusion', 200],
  ['check-inbox', '/subscribe/check', 200],
  ['bad-link', '/subscriptions/not-a-token', 400],
];

// in page.evaluate() callbacks only: they run in Chromium
declare const document: DomDocument;

// subscriptions on (an SMTP server on loopback), so that the pages carry the live subscribe forms
let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(async () => {
  await peer?.close();
});
const suite = browserSuite({ env: () => ({ SMTP_URL: peer.url, MAIL_FROM: 'Paperboy <papers@paperboy.test>' }) });

describe.each(['light', 'dark'] as const)('axe-core, %s theme', (theme) => {
  it.each(PAGES)('%s page (%s): no serious or critical violation', async (name, path, status) => {
    const { context, page } = await suite.page({ colorScheme: theme });
    // choose the theme the way a reader does, through the form's endpoint (the cookie lands in this context)
    const res = await context.request.post(`${suite.site.base}/theme`, { form: { theme, back: '/' }, maxRedirects: 0 });
    expect(res.status()).toBeLessThan(400);
    await visit(page, suite.site.base + path, status);
    expect(await page.locator('html').getAttribute('data-theme')).toBe(theme);
    const violations = await axe(page);
    const severe = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const minor = violations.filter((v) => !severe.includes(v));
    // lesser findings are worth knowing but not failing on: one line each
    for (const v of minor) console.log(`axe, ${name} page, ${theme}: ${v.impact} ${v.id} on ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    if (theme === 'dark' || name === 'not-found' || name === 'about') await screenshot(page, `a11y-${name}-${theme}`);
    expect(severe, `${name} page, ${theme} theme:\n${describeViolations(severe)}`).toEqual([]);
  });
});

describe('the axe check itself', () => {
  it('reports a serious violation where there is one (so a pass above means something)', async () => {
    const { page } = await suite.page();
    await page.setContent('<!doctype html><html lang="en"><title>t</title><main><p style="color:#777;background:#888">faint text</p><input type="text"></main></html>');
    const ids = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['color-contrast', 'label']));
  });
});

describe('keyboard', () => {
  it('the first Tab reaches the skip link, and it leads to the main content', async () => {
    const { page } = await suite.page();
    await visit(page, `${suite.site.base}/`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({ text: document.activeElement?.textContent?.trim(), href: document.activeElement?.getAttribute('href') }));
    expect(focused.text).toMatch(/skip/i);
    expect(await page.locator('a:focus').isVisible()).toBe(true); // a skip link must show when focused
    await screenshot(page, 'a11y-skip-link-focused');
    await page.keyboard.press('Enter');
    const target = focused.href!.slice(1);
    expect(await page.evaluate(() => document.activeElement?.id ?? null)).toBe(target);
  });

  it('every form field on the day and search pages has an accessible name', async () => {
    const { page } = await suite.page();
    for (const path of ['/', '/search?q=diffusion']) {
      await visit(page, suite.site.base + path);
      const unnamed = await page.locator('input:not([type=hidden]), select, textarea').evaluateAll((els) =>
        (els as DomInput[]).filter((e) => !e.labels?.length && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')).map((e) => e.outerHTML),
      );
      expect(unnamed, path).toEqual([]);
    }
  });
});
