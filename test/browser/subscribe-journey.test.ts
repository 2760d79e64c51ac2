/**
 * The whole inbox journey in Chromium against the real `paperboy serve` (issue 11), its mail
 * going over SMTP to a real server on loopback (smtp-server) and read back with mailparser:
 * subscribe through a listing's form, open the confirmation link from the email, press Confirm,
 * run the digest, receive it, follow its unsubscribe link and confirm, run again: nothing more
 * arrives. The digest's HTML is photographed at phone (375 px) and desktop (1200 px) widths:
 * test-artifacts/browser/digest-375.png and digest-1200.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/open-store.js';
import { createSmtpMailer } from '../../src/adapters/mail/smtp.mailer.js';
import { composeDigest } from '../../src/core/digest.js';
import { linkOn, subscriptionPaths } from '../../src/core/subscription-links.js';
import { periodOfDay } from '../../src/core/periods.js';
import { ListingService } from '../../src/services/listing.service.js';
import { linkKey, LinkTokens } from '../../src/services/link-tokens.js';
import { startSmtpPeer, type ReceivedMessage, type SmtpPeer } from '../support/smtp-peer.js';
import { describeViolations, severeViolations } from './axe.js';
import { browserSuite, screenshot, visit } from './harness.js';

const PUBLIC_URL = 'http://paperboy.test';
let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(async () => {
  await peer?.close();
});
const suite = browserSuite({
  env: () => ({ SMTP_URL: peer.url, MAIL_FROM: 'Paperboy <papers@paperboy.test>', PUBLIC_URL, PAPERBOY_MAIL_RATE: '0' }),
});

/** The site-local path of the first link in a message's text that starts with `prefix`. */
function pathIn(m: ReceivedMessage, prefix: string): string {
  const at = m.parsed.text!.indexOf(`${PUBLIC_URL}${prefix}`);
  if (at < 0) throw new Error(`no ${prefix} link in:\n${m.parsed.text}`);
  return /^\S+/.exec(m.parsed.text!.slice(at + PUBLIC_URL.length))![0];
}

/**
 * A digest run for a day, as the sender does it: each active daily subscription gets the day's
 * trending papers, composed by core/digest.ts with signed links, sent over SMTP.
 */
async function runDigest(dbPath: string, day: string): Promise<number> {
  const db = await openDatabase(dbPath);
  await db.store.migrate(); // already current: readies the statements
  const mailer = createSmtpMailer({ url: peer.url, concurrency: 1, ratePerSecond: 0, timeoutMs: 5000 });
  try {
    const tokens = new LinkTokens(linkKey(null, db.inbox), () => new Date());
    const listing = await new ListingService(db.store).listing(periodOfDay('day', day), { order: 'trending', page: 1, pageSize: 5 });
    let sent = 0;
    for (const s of await db.inbox.activeSubscriptions('daily', '', 100)) {
      const [manage, unsubscribe] = [await tokens.issue(s.id, 'manage'), await tokens.issue(s.id, 'unsubscribe')];
      const links = {
        manage: linkOn(PUBLIC_URL, subscriptionPaths.manage(manage)),
        unsubscribe: linkOn(PUBLIC_URL, subscriptionPaths.unsubscribe(unsubscribe)),
        unsubscribeMailto: 'mailto:papers@paperboy.test?subject=unsubscribe',
        preview: linkOn(PUBLIC_URL, subscriptionPaths.preview(manage)),
      };
      const email = composeDigest({ subscription: s, period: day, papers: listing.papers.map((paper, i) => ({ paper, rank: i + 1 })), siteUrl: PUBLIC_URL, links });
      await mailer.send({ ...email, from: 'Paperboy <papers@paperboy.test>', to: s.email });
      sent++;
    }
    return sent;
  } finally {
    await mailer.close();
    await db.store.close();
  }
}

describe('the inbox journey in Chromium, over SMTP', () => {
  it('subscribe, confirm by the emailed link, receive a digest, unsubscribe from it, receive nothing more', async () => {
    const { page, watch } = await suite.page();
    const base = suite.site.base;
    // every page of the journey passes axe (no serious or critical violation)
    const accessible = async (name: string) => {
      const severe = await severeViolations(page, name);
      expect(severe, `${name}:\n${describeViolations(severe)}`).toEqual([]);
    };
    await visit(page, `${base}/papers/date/2026-06-30`);
    await page.fill('#subscribe-email', 'reader@example.org');
    await page.selectOption('#subscribe-frequency', 'daily');
    await Promise.all([page.waitForURL(`${base}/subscribe/check`), page.click('form.subscribe button[type="submit"]')]);
    expect(await page.textContent('h1')).toBe('Check your inbox');
    await accessible('check your inbox');

    const [confirmation] = await peer.waitFor(1);
    expect(confirmation!.to).toEqual(['reader@example.org']);
    expect(confirmation!.parsed.subject).toBe('Confirm your Paperboy subscription');
    await visit(page, base + pathIn(confirmation!, '/subscribe/confirm/'));
    expect(await page.textContent('h1')).toBe('Confirm your subscription');
    await accessible('confirm');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Confirm")')]);
    await page.waitForSelector('h1:has-text("You are subscribed")');
    await accessible('confirmed');
    await Promise.all([page.waitForLoadState('load'), page.click('a:has-text("Your preferences")')]);
    expect(await page.textContent('h1')).toBe('Your subscription');
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await accessible(`preferences, ${colorScheme}`);
    }
    await screenshot(page, 'subscription-preferences', true);
    await page.emulateMedia({ colorScheme: 'light' });

    expect(await runDigest(suite.site.dbPath, '2026-06-30')).toBe(1);
    const [, digest] = await peer.waitFor(2);
    expect(digest!.to).toEqual(['reader@example.org']);
    expect(digest!.parsed.subject).toMatch(/^Trending papers — 30 Jun 2026 · 5 papers$/);
    const header = (name: string) => digest!.headerLines.find((h) => h.key === name)?.line;
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toContain(`<${PUBLIC_URL}/unsubscribe/`);
    for (const width of [375, 1200]) {
      const shot = await suite.page({ viewport: { width, height: 900 } });
      await shot.page.setContent(digest!.parsed.html as string, { waitUntil: 'load' });
      await screenshot(shot.page, `digest-${width}`, true);
    }

    // the visible unsubscribe link: a page with a button, whose POST is the one-click endpoint
    await visit(page, base + pathIn(digest!, '/unsubscribe/'));
    expect(await page.textContent('h1')).toBe('Unsubscribe?');
    await accessible('unsubscribe');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Unsubscribe")')]);
    await page.waitForSelector('h1:has-text("You are unsubscribed")');
    await accessible('unsubscribed');
    // and a mail provider's RFC 8058 POST, no cookie or session: still 200, nothing else changes
    const oneClick = await page.context().request.post(base + pathIn(digest!, '/unsubscribe/'), { form: { 'List-Unsubscribe': 'One-Click' } });
    expect(oneClick.status()).toBe(200);

    expect(await runDigest(suite.site.dbPath, '2026-06-29')).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(peer.received).toHaveLength(2);
    expect(watch.pageErrors).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
  }, 180_000);
});
