/**
 * Signing a Chromium page in as the browser suites' readers do it: ask for a link on the sign-in
 * page, take it from the newest mail the SMTP peer received, open it and press Sign in. Lands on
 * /me. For the journeys whose subject is what comes after; sign-in-journey.test.ts checks each of
 * these steps itself.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { SmtpPeer } from '../support/smtp-peer.js';
import { visit } from './harness.js';

export async function signInByLink(page: Page, base: string, peer: SmtpPeer, email: string): Promise<void> {
  const before = peer.received.length;
  await visit(page, `${base}/auth/signin`);
  await page.fill('#signin-email', email);
  await Promise.all([page.waitForURL(`${base}/auth/signin/check`), page.click('form.sign-in button[type="submit"]')]);
  const mail = (await peer.waitFor(before + 1)).at(-1)!;
  expect(mail.to.map((a) => a.toLowerCase())).toEqual([email.toLowerCase()]);
  const link = /https?:\/\/[^/\s]+(\/auth\/signin\/[A-Za-z0-9_-]{43})/.exec(mail.parsed.text!)![1]!;
  await visit(page, base + link);
  await Promise.all([page.waitForURL(`${base}/me`), page.click('button:has-text("Sign in")')]);
}
