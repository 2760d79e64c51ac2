/**
 * Issue 13's whole journey in Chromium against the real `paperboy serve` (decisions 031–033), with
 * the sign-in link going over SMTP to a real server on loopback and the paper fetched from a local
 * arXiv API serving a recorded response: sign in, submit a paper by its arXiv URL, upvote it on
 * its page with the page's script (no reload), comment on it with a payload that must not run,
 * save it to a new public collection, find it on that collection's page, as the owner and as a
 * visitor, on today's page with the submitter's name and on the member's page; then sign out.
 * Every page passes axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArxivIdServer } from '../support/arxiv-id-server.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import type { FixtureServer } from '../sources/harness.js';
import { describeViolations, severeViolations } from './axe.js';
import { browserSuite, visit } from './harness.js';
import { signInByLink } from './sign-in-by-link.js';

const PUBLIC_URL = 'http://paperboy.test';

// in page.evaluate() callbacks only: they run in Chromium
declare const window: { __pwned?: unknown; __sameDocument?: number };
let peer: SmtpPeer;
let arxiv: { server: FixtureServer; url: string; asked: () => string[] };
beforeAll(async () => {
  peer = await startSmtpPeer();
  arxiv = await startArxivIdServer();
});
afterAll(async () => {
  await peer?.close();
  await arxiv?.server.close();
});
const suite = browserSuite({
  env: () => ({ SMTP_URL: peer.url, MAIL_FROM: 'Paperboy <papers@paperboy.test>', PUBLIC_URL, PAPERBOY_MAIL_RATE: '0', PAPERBOY_ARXIV_API_URL: arxiv.url, PAPERBOY_ARXIV_INTERVAL_MS: '0' }),
});

describe('submitting and collecting a paper in Chromium', () => {
  it('signs in, submits a paper by URL, upvotes and discusses it, saves it to a new public collection, sees it there, and signs out', async () => {
    const { page, watch } = await suite.page();
    const base = suite.site.base;
    const accessible = async (name: string) => {
      const severe = await severeViolations(page, name);
      expect(severe, `${name}:\n${describeViolations(severe)}`).toEqual([]);
    };
    await signInByLink(page, base, peer, 'collector@example.org');

    // submit by the paper's abstract address, with a version
    await visit(page, `${base}/submit`);
    await accessible('submit');
    await page.fill('#submit-id', 'https://arxiv.org/abs/1309.4668v1');
    await Promise.all([page.waitForLoadState('load'), page.click('form.submit-form button[type="submit"]')]);
    expect(await page.textContent('p.form-done')).toContain("It is on today's page with your name.");
    expect(arxiv.asked()).toEqual(['1309.4668']);

    // from its page, to a new public collection
    await Promise.all([page.waitForURL(`${base}/papers/1309.4668`), page.click('p.form-done a')]);
    const title = (await page.textContent('#paper-title'))!.trim();
    await accessible('paper page with the library controls');

    // upvoted with the page's script (the count changes without a reload), then discussed
    await page.evaluate(() => (window.__sameDocument = 1));
    await page.click('.vote-button');
    await page.waitForSelector('.vote-button[aria-pressed="true"]');
    expect(Number(await page.locator('.vote-button .vote-count').textContent())).toBe(1);
    expect(await page.evaluate(() => window.__sameDocument)).toBe(1);
    await page.fill('#comment-body', '<img src=/pwned.png onerror="window.__pwned=1"> A **fine** paper, $E = mc^2$.');
    await Promise.all([page.waitForURL(/\/papers\/1309\.4668#comment-\d+$/), page.click('form.comment-form button[type="submit"]')]);
    expect(await page.locator('main .discussion .comment-body strong').innerText()).toBe('fine');
    expect(await page.locator('main .discussion').innerText()).toContain('<img src=/pwned.png onerror="window.__pwned=1">');
    expect(await page.locator('main .discussion .comment-body .katex').count()).toBe(1);
    expect(await page.locator('.vote-button').getAttribute('aria-pressed')).toBe('true'); // the vote kept on the reloaded page
    const memberPath = (await page.locator('main .discussion .author a').first().getAttribute('href'))!;
    await accessible('paper page with a vote and a comment');
    await page.fill('#new-collection-paper', 'Dark <matter> & friends');
    await page.check('form.new-collection input[name="public"]');
    await Promise.all([page.waitForURL(`${base}/papers/1309.4668`), page.click('form.new-collection button[type="submit"]')]);
    const remove = page.locator('ul.paper-collections button');
    expect((await remove.textContent())!.replace(/\s+/g, ' ').trim()).toBe('Remove from Dark <matter> & friends');
    const href = (await page.locator('ul.paper-collections form').getAttribute('action'))!.replace(/\/remove$/, '');

    await visit(page, base + href);
    expect(await page.textContent('#collection-title')).toBe('Dark <matter> & friends');
    expect((await page.textContent('ol.collection-papers'))!).toContain(title);
    await accessible("the owner's collection page");
    await visit(page, `${base}/me/library`);
    await accessible('library');

    // a visitor who is nobody sees it too, without any form
    const visitor = (await suite.page()).page;
    await visit(visitor, base + href);
    expect(await visitor.textContent('#collection-title')).toBe('Dark <matter> & friends');
    expect((await visitor.textContent('ol.collection-papers'))!).toContain(title);
    expect(await visitor.locator('form').filter({ has: visitor.locator('input[name="_csrf"]') }).count()).toBe(0);

    // and today's page leads with it, naming the submitter
    await visit(visitor, `${base}/papers/date/${new Date().toISOString().slice(0, 10)}`);
    const card = visitor.locator('article.paper', { has: visitor.locator('a[href="/papers/1309.4668"]') });
    expect(await card.locator('.submitted-by').textContent()).toBe('Submitted by collector');

    // the member's public page: their submission, their public collection, their comment
    await visit(visitor, base + memberPath);
    expect(await visitor.textContent('.member-submissions')).toContain(title);
    expect(await visitor.textContent('.member-collections')).toContain('Dark <matter> & friends');
    expect(await visitor.textContent('.member-comments')).toContain('A fine paper');

    // and signs out: the session is gone, the account's pages ask to sign in again
    await visit(page, `${base}/me`);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Sign out")')]);
    await page.waitForSelector('h1:has-text("You are signed out")');
    expect((await page.context().cookies()).find((c) => c.name === 'paperboy-session')).toBeUndefined();
    await visit(page, `${base}/me/library`);
    expect(page.url()).toBe(`${base}/auth/signin`);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(watch.requests.filter((u) => /pwned/.test(u))).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  });
});
