/**
 * Signing in with Chromium against the real `paperboy serve` (issue 13), the sign-in link going
 * over SMTP to a real server on loopback and read back: ask for a link, open it from the email,
 * press Sign in (the used link then signs nobody in), see the profile (with a display name full of markup shown as text), sign out,
 * and be asked to sign in again. Every page passes axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import { describeViolations, severeViolations } from './axe.js';
import { browserSuite, visit } from './harness.js';

const PUBLIC_URL = 'http://paperboy.test';
let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(async () => {
  await peer?.close();
});
const suite = browserSuite({ env: () => ({ SMTP_URL: peer.url, MAIL_FROM: 'Paperboy <papers@paperboy.test>', PUBLIC_URL, PAPERBOY_MAIL_RATE: '0' }) });

describe('signing in in Chromium, over SMTP', () => {
  it('asks for a link, signs in by the emailed link, renames, signs out', async () => {
    const { page, context, watch } = await suite.page();
    const base = suite.site.base;
    const accessible = async (name: string) => {
      const severe = await severeViolations(page, name);
      expect(severe, `${name}:\n${describeViolations(severe)}`).toEqual([]);
    };
    // the header's Account link, nobody signed in: the sign-in page
    await visit(page, `${base}/papers/date/2026-06-30`);
    await Promise.all([page.waitForURL(`${base}/auth/signin`), page.click('a.account-link')]);
    expect(await page.textContent('h1')).toBe('Sign in');
    await accessible('sign in');
    await page.fill('#signin-email', 'Reader@Example.org');
    await Promise.all([page.waitForURL(`${base}/auth/signin/check`), page.click('form.sign-in button[type="submit"]')]);
    expect(await page.textContent('h1')).toBe('Check your inbox');

    const [mail] = await peer.waitFor(1);
    expect(mail!.to).toEqual(['Reader@example.org']);
    const link = /http:\/\/paperboy\.test(\/auth\/signin\/[A-Za-z0-9_-]{43})/.exec(mail!.parsed.text!)![1]!;
    await visit(page, base + link);
    expect(await page.textContent('h1')).toBe('Sign in to Paperboy');
    await accessible('sign-in link');
    expect(await context.cookies()).not.toContainEqual(expect.objectContaining({ name: 'paperboy-session' }));
    await Promise.all([page.waitForURL(`${base}/me`), page.click('button:has-text("Sign in")')]);
    expect(await page.textContent('h1')).toBe('Your account');
    expect(await page.textContent('.profile-email')).toBe('Reader@example.org');
    const session = (await context.cookies()).find((c) => c.name === 'paperboy-session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    await accessible('profile');

    // markup in a display name is text: no element made, no script run
    const name = '<img src=x onerror=alert(1)>Rea & der';
    await page.fill('#display-name', name);
    await Promise.all([page.waitForURL(`${base}/me?done=renamed`), page.click('button:has-text("Save")')]);
    expect(await page.textContent('.profile-name')).toBe(name);
    expect(await page.locator('.profile img').count()).toBe(0);
    expect(watch.dialogs).toEqual([]);

    // the used link signs nobody in again, in another browser
    const other = (await suite.page()).page;
    await visit(other, base + link);
    await Promise.all([other.waitForLoadState('load'), other.click('button:has-text("Sign in")')]);
    await other.waitForSelector('h1:has-text("This sign-in link cannot be used")');

    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Sign out")')]);
    await page.waitForSelector('h1:has-text("You are signed out")');
    expect((await context.cookies()).find((c) => c.name === 'paperboy-session')).toBeUndefined();
    await visit(page, `${base}/me`);
    expect(page.url()).toBe(`${base}/auth/signin`);
    expect(watch.pageErrors).toEqual([]);
  });
});
