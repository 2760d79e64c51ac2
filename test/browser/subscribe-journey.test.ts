/**
 * The whole inbox journey in Chromium against the real `paperboy serve` (issue 11), its mail
 * going over SMTP to a real server on loopback (smtp-server) and read back with mailparser:
 * subscribe through a listing's form, open the confirmation link from the email, press Confirm,
 * run `paperboy digest send` (the bundled CLI), receive the digest, follow its unsubscribe link
 * and confirm, run it again: nothing more arrives. The digest's HTML is photographed at phone (375 px) and desktop (1200 px) widths:
 * test-artifacts/browser/digest-375.png and digest-1200.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type ReceivedMessage, type SmtpPeer } from '../support/smtp-peer.js';
import { describeViolations, severeViolations } from './axe.js';
import { browserSuite, runBin, screenshot, visit } from './harness.js';

const PUBLIC_URL = 'http://paperboy.test';
let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(async () => {
  await peer?.close();
});
const env = () => ({ SMTP_URL: peer.url, MAIL_FROM: 'Paperboy <papers@paperboy.test>', PUBLIC_URL, PAPERBOY_MAIL_RATE: '0' });
const suite = browserSuite({ env });

/** The site-local path of the first link in a message's text that starts with `prefix`. */
function pathIn(m: ReceivedMessage, prefix: string): string {
  const at = m.parsed.text!.indexOf(`${PUBLIC_URL}${prefix}`);
  if (at < 0) throw new Error(`no ${prefix} link in:\n${m.parsed.text}`);
  return /^\S+/.exec(m.parsed.text!.slice(at + PUBLIC_URL.length))![0];
}

/**
 * A digest run for a day, as an operator starts one: `paperboy digest send --period DAY` (the
 * bundled bin, the DigestService and DigestSender the command wires) on the site's database and
 * SMTP peer, the one-off run beside the live `serve`. Resolves to how many messages it queued:
 * it sends them too, unless serve's own once-a-minute round happens to claim one first (the
 * outbox hands each message to one sender), so the arrivals are what the test counts.
 */
async function runDigest(dbPath: string, day: string): Promise<number> {
  const r = await runBin(['digest', 'send', '--period', day, '--db', dbPath, '--json'], { ...env(), PAPERBOY_DIGEST_SIZE: '5' });
  if (r.code !== 0) throw new Error(`paperboy digest send exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  const report = JSON.parse(r.stdout) as { queued: number; sent: number; failed: number; retry: number };
  expect(report).toMatchObject({ failed: 0, retry: 0 });
  return report.queued;
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
    // "preview my digest", picked by DigestService.pick through serve's read workers
    const preferences = page.url();
    await visit(page, `${preferences}/preview`);
    expect(await page.textContent('body')).toContain('Trending papers — 30 Jun 2026');
    await visit(page, preferences);

    expect(await runDigest(suite.site.dbPath, '2026-06-30')).toBe(1);
    const [, digest] = await peer.waitFor(2);
    expect(digest!.to).toEqual(['reader@example.org']);
    expect(digest!.parsed.subject).toMatch(/^Trending papers — 30 Jun 2026 · 5 papers$/);
    const header = (name: string) => digest!.headerLines.find((h) => h.key === name)?.line;
    // the outbox's Message-ID, derived from (subscription, period): the sender's, not a test's
    expect(digest!.parsed.messageId).toMatch(/^<digest\.2026-06-30\.[\w-]+@paperboy\.test>$/);
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
