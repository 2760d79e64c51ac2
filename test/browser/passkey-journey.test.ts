/**
 * Passkeys in Chromium against the real `paperboy serve` (decision 034), with Chromium's virtual
 * authenticator (DevTools protocol: WebAuthn.addVirtualAuthenticator, CTAP2, built in, resident
 * keys, user verification that succeeds): sign in by the emailed link (over SMTP to a real server
 * on loopback), add a passkey on /me, sign out, sign in with the passkey without any email, land
 * signed in on /me, delete the passkey; the authenticator still holds it, and the sign-in page
 * then says it is not registered here. The site is on http://localhost:<port>, the PUBLIC_URL:
 * WebAuthn needs a secure context and an RP ID that is the page's host.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer.js';
import { describeViolations, severeViolations } from './axe.js';
import { browserSuite, visit } from './harness.js';
import { signInByLink } from './sign-in-by-link.js';

let peer: SmtpPeer;
let port = 0;
beforeAll(async () => {
  peer = await startSmtpPeer();
  // a free port, known before the server starts: PUBLIC_URL must name it
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => {
  await peer?.close();
});
const suite = browserSuite({
  port: () => port,
  env: () => ({ SMTP_URL: peer.url, MAIL_FROM: 'Paperboy <papers@paperboy.test>', PUBLIC_URL: `http://localhost:${port}`, PAPERBOY_MAIL_RATE: '0' }),
});

interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId: string;
  signCount: number;
}

describe('passkeys in Chromium, with its virtual authenticator', () => {
  it('adds a passkey after an emailed sign-in, signs in with it without email, and deletes it', async () => {
    const { page, context, watch } = await suite.page();
    const base = suite.site.base;
    expect(base).toBe(`http://localhost:${port}`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    const credentials = async () => ((await cdp.send('WebAuthn.getCredentials', { authenticatorId })) as { credentials: VirtualCredential[] }).credentials;
    const accessible = async (name: string) => {
      const severe = await severeViolations(page, name);
      expect(severe, `${name}:\n${describeViolations(severe)}`).toEqual([]);
    };

    // signed in by the emailed link, as before
    await signInByLink(page, base, peer, 'keyholder@example.org');
    expect(await page.textContent('.profile-email')).toBe('keyholder@example.org');

    // the script shows the button (the browser has WebAuthn) and hides the note for those without
    await page.waitForSelector('[data-passkey-register]:not([hidden])');
    expect(await page.isHidden('[data-passkey-unsupported]')).toBe(true);
    expect(await page.textContent('.profile')).toContain('You have no passkeys.');
    await accessible('profile with passkeys');
    await page.fill('#new-passkey-name', 'Chromium <virtual>');
    await Promise.all([page.waitForURL(`${base}/me?done=passkey-added`), page.click('button:has-text("Add a passkey")')]);
    expect(await page.textContent('.form-done')).toContain('Your passkey is added');
    expect(await page.textContent('.profile-passkeys .passkey-name')).toBe('Chromium <virtual>');
    expect(await page.textContent('.profile-passkeys')).toContain('not used yet');
    const held = await credentials();
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });

    // signed out, then in again with the passkey: no address typed, no email sent
    await Promise.all([page.waitForLoadState('load'), page.click('button:text-is("Sign out")')]);
    await page.waitForSelector('h1:has-text("You are signed out")');
    expect((await context.cookies()).find((c) => c.name === 'paperboy-session')).toBeUndefined();
    await visit(page, `${base}/auth/signin`);
    await page.waitForSelector('[data-passkey-sign-in]:not([hidden])');
    await accessible('sign in with a passkey');
    await Promise.all([page.waitForURL(`${base}/me`), page.click('button:has-text("Sign in with a passkey")')]);
    expect(await page.textContent('h1')).toBe('Your account');
    expect(await page.textContent('.profile-email')).toBe('keyholder@example.org');
    expect((await context.cookies()).find((c) => c.name === 'paperboy-session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(peer.received).toHaveLength(1);
    expect(await page.textContent('.profile-passkeys')).toContain('last used');
    expect((await credentials())[0]!.signCount).toBeGreaterThan(held[0]!.signCount);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);

    // deleted on the site: the device still holds it, and the sign-in page says it is not registered here
    await Promise.all([page.waitForURL(`${base}/me?done=passkey-deleted`), page.click('.profile-passkeys button:text-is("Delete")')]);
    expect(await page.textContent('.profile')).toContain('You have no passkeys.');
    await Promise.all([page.waitForLoadState('load'), page.click('button:text-is("Sign out")')]);
    await visit(page, `${base}/auth/signin`);
    await page.click('button:has-text("Sign in with a passkey")');
    const problem = page.locator('[data-passkey-sign-in] [data-passkey-problem]');
    await problem.waitFor({ state: 'visible' });
    expect(await problem.textContent()).toContain('This passkey is not registered on this site');
    expect(page.url()).toBe(`${base}/auth/signin`);
    expect((await context.cookies()).find((c) => c.name === 'paperboy-session')).toBeUndefined();
    expect(await credentials()).toHaveLength(1);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.dialogs).toEqual([]);
  });
});
