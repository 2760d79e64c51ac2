/**
 * The community in Chromium against the real `paperboy serve` (issue 13, decision 031): a reader
 * signs in by the emailed link (a real SMTP peer on loopback), takes a display name full of
 * markup, votes with the page's script (the count changes at once, without a reload) and again
 * (withdrawn), then posts the hostile payloads (script, image onerror, iframe, javascript: link,
 * CSS, SVG…) as comments through the real comment form; the paper page, the reader's own and an
 * anonymous reader's, and the member's public page must show every one as text, and nothing may
 * run, load or be injected.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import { browserSuite, visit } from './harness.js';
import { signInByLink } from './sign-in-by-link.js';
import { expectInertAt } from './inert.js';

const PUBLIC_URL = 'http://paperboy.test';
/** Every payload that reaches a server asks for a path under /pwned: a request there is a payload that worked. */
const PAYLOADS = [
  '<script>window.__pwned=1</script>',
  '<img src=/pwned.png onerror="window.__pwned=1">',
  '<iframe src="javascript:window.__pwned=1"></iframe>',
  '[click](javascript:window.__pwned=1)',
  '<style>@import url(/pwned.css); body { display: none }</style><div style="background:url(/pwned-style.png)">styled</div>',
  '<svg onload=window.__pwned=1><image href=/pwned.svg /></svg>',
];
/** A display name is at most 60 characters: one payload that would run if it were markup. */
const NAME = '<img src=/pwned-name onerror=window.__pwned=1>Mal';

// in page.evaluate() callbacks only: they run in Chromium
declare const window: { __pwned?: unknown; __sameDocument?: number };
declare const document: { querySelector(s: string): { textContent: string | null } | null };

let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(async () => {
  await peer?.close();
});
const suite = browserSuite({ env: () => ({ SMTP_URL: peer.url, MAIL_FROM: 'Paperboy <papers@paperboy.test>', PUBLIC_URL, PAPERBOY_MAIL_RATE: '0' }) });

describe('voting and commenting in Chromium', () => {
  it('signs in, votes by script without a reload, and posts hostile comments and a hostile name that run nothing', async () => {
    const w = await suite.page();
    const { page } = w;
    const base = suite.site.base;
    await signInByLink(page, base, peer, 'voter@example.org');
    await page.fill('#display-name', NAME);
    await Promise.all([page.waitForURL(`${base}/me?done=renamed`), page.click('button:has-text("Save")')]);
    // the account is made a month old behind the server's back (a new one may post two comments in ten minutes)
    const db = new Database(suite.site.dbPath);
    try {
      db.prepare("UPDATE accounts SET created_at = '2026-01-01T00:00:00.000Z'").run();
    } finally {
      db.close();
    }

    // the latest day's first paper
    await visit(page, `${base}/`);
    const href = await page.locator('main article.paper h2 a, main article.paper h3 a').first().getAttribute('href');
    const paperPath = href!;
    await visit(page, base + paperPath);
    expect(await page.locator('.vote-button').getAttribute('aria-pressed')).toBe('false');
    const before = Number(await page.locator('.vote-button .vote-count').textContent());
    await page.evaluate(() => (window.__sameDocument = 1));
    await page.click('.vote-button');
    await page.waitForSelector('.vote-button[aria-pressed="true"]');
    expect(Number(await page.locator('.vote-button .vote-count').textContent())).toBe(before + 1);
    expect(await page.locator('.vote-label').textContent()).toBe('Voted');
    expect(await page.evaluate(() => window.__sameDocument)).toBe(1); // no reload
    await page.click('.vote-button');
    await page.waitForSelector('.vote-button[aria-pressed="false"]');
    expect(Number(await page.locator('.vote-button .vote-count').textContent())).toBe(before);
    await page.click('.vote-button');
    await page.waitForSelector('.vote-button[aria-pressed="true"]');
    expect(await page.evaluate(() => window.__sameDocument)).toBe(1);

    for (const body of PAYLOADS) {
      await page.fill('#comment-body', body);
      await Promise.all([page.waitForURL(/#comment-\d+$/), page.click('form.comment-form button[type="submit"]')]);
    }
    // the reader's own page after a reload: every comment, the vote kept, nothing run
    await expectInertAt(w, base, paperPath, 200, /pwned/);
    expect(await page.locator('.vote-button').getAttribute('aria-pressed')).toBe('true');
    expect(Number(await page.locator('.vote-button .vote-count').textContent())).toBe(before + 1);
    const text = await page.locator('main .discussion').innerText();
    for (const p of ['<script>window.__pwned=1</script>', '<iframe src="javascript:window.__pwned=1"></iframe>', '<svg onload=window.__pwned=1>']) expect(text).toContain(p);
    expect(text).toContain(NAME); // the author's name, as text
    expect(await page.locator('main .discussion article.comment').count()).toBe(PAYLOADS.length);
    const hrefs = await page.locator('main .discussion a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const h of hrefs) expect(h).toMatch(/^(https?:\/\/|mailto:|#comment-\d+$|\/users\/[A-Za-z0-9_-]+$)/);
    for (const a of await page.locator('main .discussion .comment-body a').all()) await a.hover();
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();

    // the member's page, through the author link
    const memberPath = await page.locator('main .discussion .author a').first().getAttribute('href');
    await expectInertAt(w, base, memberPath!, 200, /pwned/);
    expect(await page.locator('h1').innerText()).toBe(NAME);

    // an anonymous reader: the shared page, the same comments, a count and a sign-in link, nothing run
    const anon = await suite.page();
    await expectInertAt(anon, base, paperPath, 200, /pwned/);
    expect(await anon.page.locator('.vote-button').count()).toBe(0);
    expect(await anon.page.locator('.vote-box .vote-count').getAttribute('data-votes')).toBe(String(before + 1));
    expect(await anon.page.locator('a:has-text("Sign in to comment")').count()).toBe(1);
    expect(await anon.page.locator('main .discussion article.comment').count()).toBe(PAYLOADS.length);
    expect(w.watch.requests.concat(anon.watch.requests).filter((u) => /pwned/.test(u))).toEqual([]);
    expect(w.watch.pageErrors).toEqual([]);
    // the page's own title element holds the name as text (no element made from it)
    expect(await page.evaluate(() => document.querySelector('h1')?.textContent ?? null)).toBe(NAME);
  });
});
