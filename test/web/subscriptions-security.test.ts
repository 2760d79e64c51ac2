/**
 * The subscription links and forms under attack (issue 11), on SQLite and on the PostgreSQL
 * server with a real SMTP peer: tokens are unguessable, expire, serve one purpose and one
 * subscription; a GET of a link changes nothing; header injection through an address or a topic
 * is refused with a clear message and nothing is stored or sent; every reader-written string is
 * escaped on every page; cross-site POSTs are refused (except the one-click unsubscribe); the
 * bounce hook needs its bearer token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { openSiteStore } from './site.js';
import { buildInboxSite, confirmedSubscription, HOOK_TOKEN, linkIn, type InboxSite } from './subscription-site.js';

const EVIL_TOPIC = `<script>alert(1)</script> "quoted" & 'single' <img src=x onerror=alert(2)>`;
const EVIL_EMAIL = `o'brien&{x}@example.org`;

describe.each(STORE_HARNESSES)('subscription security on $name', (harness) => {
  let opened: OpenedStore;
  let site: InboxSite;
  beforeAll(async () => {
    opened = (await openSiteStore(harness)).opened;
    site = await buildInboxSite(opened);
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await opened?.store.close();
    await opened?.drop();
  });

  it('makes tokens of a random 128-bit id and an HMAC: a changed character, another purpose or another key is refused (400)', async () => {
    const a = await confirmedSubscription(site, 'tok-a@example.org');
    const b = await confirmedSubscription(site, 'tok-b@example.org');
    expect(a.subscription.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.subscription.id).not.toBe(b.subscription.id);
    const [, , mac] = a.manageToken.split('.');
    expect(mac).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    const flipped = a.manageToken.slice(0, -1) + (a.manageToken.endsWith('A') ? 'B' : 'A');
    const swapped = `${a.manageToken.split('.')[0]}.${b.manageToken.split('.').slice(1).join('.')}`;
    for (const bad of [flipped, swapped, 'x', 'a.b.c', '%00', 'A'.repeat(480)]) {
      const res = await site.get(`/subscriptions/${encodeURIComponent(bad)}`);
      expect(res.statusCode, bad.slice(0, 40)).toBe(400);
      expect(res.body).toContain('This link is not valid');
      expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/); // never a stack
    }
    // a confirm token is not a manage token, nor an unsubscribe token
    const confirm = await site.tokens.issue(a.subscription.id, 'confirm');
    expect((await site.get(`/subscriptions/${confirm}`)).statusCode).toBe(400);
    expect((await site.app.inject({ method: 'POST', url: `/unsubscribe/${confirm}` })).statusCode).toBe(400);
    expect((await site.form(`/subscriptions/${confirm}`, { action: 'unsubscribe' })).statusCode).toBe(400);
    expect((await opened.inbox.subscription(a.subscription.id))!.status).toBe('active');
  });

  it('expires tokens: an old confirmation link answers 410 with a way to subscribe again, and confirms nothing', async () => {
    await site.service.subscribe({ email: 'late@example.org', frequency: 'daily' });
    const mail = site.peer.received.filter((m) => m.to.includes('late@example.org')).at(-1)!;
    const path = linkIn(mail.parsed.text!, '/subscribe/confirm/');
    const saved = site.clock.now;
    site.clock.now = new Date(saved.getTime() + 7 * 86_400_000 + 1000);
    const page = await site.get(path);
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('This link has expired');
    expect(page.body).toContain('<a href="/subscribe">Subscribe again</a>');
    expect((await site.form(path, {})).statusCode).toBe(410);
    const [s] = await opened.inbox.subscriptionsOf('late@example.org');
    expect(s!.status).toBe('pending');
    site.clock.now = saved;
  });

  it('a token for one subscription never changes another, of the same address or not', async () => {
    const mine = await confirmedSubscription(site, 'mine@example.org');
    const same = await confirmedSubscription(site, 'mine@example.org', 'weekly');
    const other = await confirmedSubscription(site, 'other@example.org');
    const url = `/subscriptions/${mine.manageToken}`;
    // weekly with no topic is what `same` is: refused, not merged into it
    const clash = await site.form(url, { action: 'frequency', frequency: 'weekly' });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('This address already has a subscription with that frequency and those topics');
    for (const fields of [{ action: 'add-topic', topic: 'graphs' }, { action: 'frequency', frequency: 'weekly' }, { action: 'pause' }] as Record<string, string>[])
      expect((await site.form(url, fields)).statusCode).toBe(303);
    await site.form(url, { action: 'delete', sure: 'yes' });
    expect(await opened.inbox.subscription(mine.subscription.id)).toBeNull();
    for (const s of [same, other]) expect(await opened.inbox.subscription(s.subscription.id)).toEqual(s.subscription);
  });

  it('a GET of the confirm, preferences and unsubscribe links changes nothing', async () => {
    await site.service.subscribe({ email: 'scanner@example.org', frequency: 'daily' });
    const mail = site.peer.received.filter((m) => m.to.includes('scanner@example.org')).at(-1)!;
    const [pending] = await opened.inbox.subscriptionsOf('scanner@example.org');
    await site.get(linkIn(mail.parsed.text!, '/subscribe/confirm/'));
    expect(await opened.inbox.subscription(pending!.id)).toEqual(pending);
    const active = await confirmedSubscription(site, 'scanner2@example.org');
    const before = await opened.inbox.subscription(active.subscription.id);
    await site.get(`/subscriptions/${active.manageToken}?action=unsubscribe`);
    await site.get(`/subscriptions/${active.manageToken}/export`);
    await site.get(`/unsubscribe/${await site.tokens.issue(active.subscription.id, 'unsubscribe')}`);
    expect(await opened.inbox.subscription(active.subscription.id)).toEqual(before);
  });

  it.each([
    ['a CR/LF in the topic', { email: 'inject@example.org', topic: 'llm\r\nBcc: victim@example.org' }, 'control character (U+000D)'],
    ['a 100 kB topic', { email: 'inject@example.org', topic: 'a'.repeat(100_000) }, 'longer than 200 characters'],
    ['a CR/LF in the address', { email: 'inject@example.org\r\nBcc: victim@example.org', topic: '' }, 'control character'],
    ['a 100 kB address', { email: `${'a'.repeat(100_000)}@example.org`, topic: '' }, 'longer than 254 characters'],
    ['a display name', { email: 'Eve <inject@example.org>', topic: '' }, 'pace at position 4 (only the address itself, without a name)'],
  ])('refuses %s with a clear message, and stores and sends nothing', async (_what, fields, message) => {
    const before = site.peer.received.length;
    const res = await site.form('/subscribe', { frequency: 'daily', ...fields });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('role="alert"');
    expect(res.body).toContain(message);
    expect(res.body).not.toContain('victim@example.org\r\n');
    expect(site.peer.received.length).toBe(before);
    expect(await opened.inbox.subscriptionsOf('inject@example.org')).toEqual([]);
  });

  it('escapes the reader’s address and topic on every page and in the emails', async () => {
    const res = await site.form('/subscribe', { email: EVIL_EMAIL, frequency: 'daily', topic: EVIL_TOPIC });
    expect(res.statusCode).toBe(303);
    const mail = site.peer.received.filter((m) => m.to.includes(EVIL_EMAIL)).at(-1)!;
    expect(mail.parsed.html).not.toContain('<script>');
    expect(mail.parsed.html).not.toContain('<img src=x');
    const confirmPath = linkIn(mail.parsed.text!, '/subscribe/confirm/');
    const pages = [await site.get(confirmPath), await site.form(confirmPath, {})];
    const prefs = /href="(\/subscriptions\/[^"]+)"/.exec(pages[1]!.body)![1]!;
    const [s] = await opened.inbox.subscriptionsOf(EVIL_EMAIL);
    pages.push(await site.get(prefs), await site.get(`/unsubscribe/${await site.tokens.issue(s!.id, 'unsubscribe')}`));
    pages.push(await site.form(prefs, { action: 'add-topic', topic: `${EVIL_TOPIC}\n` }), await site.get(`/subscribe?topic=${encodeURIComponent(EVIL_TOPIC)}`));
    for (const page of pages) {
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).not.toContain('<img src=x');
      expect(page.body).not.toContain(`o'brien`);
    }
    expect(pages[2]!.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(pages[2]!.body).toContain('o&#39;brien&amp;{x}@example.org');
  });

  it('refuses a POST from another site’s page (403) on every form but the one-click unsubscribe', async () => {
    const m = await confirmedSubscription(site, 'csrf@example.org');
    const before = site.peer.received.length;
    const refused = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': '', origin: 'https://evil.example' }, { 'sec-fetch-site': '', origin: 'null' }] as Record<string, string>[];
    for (const sent of refused) {
      expect((await site.form('/subscribe', { email: 'csrf-new@example.org', frequency: 'daily' }, sent)).statusCode).toBe(403);
      expect((await site.form(`/subscriptions/${m.manageToken}`, { action: 'pause' }, sent)).statusCode).toBe(403);
    }
    expect(site.peer.received.length).toBe(before);
    expect((await opened.inbox.subscription(m.subscription.id))!.status).toBe('active');
    // the site's own origin is fine without Sec-Fetch-Site
    const own = { origin: 'https://papers.example.org', 'sec-fetch-site': '' };
    expect((await site.form(`/subscriptions/${m.manageToken}`, { action: 'pause' }, own)).statusCode).toBe(303);
    const url = `/unsubscribe/${await site.tokens.issue(m.subscription.id, 'unsubscribe')}`;
    const oneClick = await site.form(url, { 'List-Unsubscribe': 'One-Click' }, { 'sec-fetch-site': 'cross-site', origin: 'https://mail.example' });
    expect(oneClick.statusCode).toBe(200);
    expect((await opened.inbox.subscription(m.subscription.id))!.status).toBe('unsubscribed');
  });

  it('the bounce hook needs the bearer token; a hard bounce suppresses the address, and the form then sends it nothing', async () => {
    const hook = (auth: string | undefined, body: object) =>
      site.app.inject({ method: 'POST', url: '/hooks/mail', payload: body, headers: auth ? { authorization: auth } : {} });
    const none = await hook(undefined, { email: 'bounce@example.org', kind: 'hard-bounce' });
    // the API's code for 401 (api.errors.ts), not a code of the hook's own
    expect([none.statusCode, none.json()]).toEqual([401, { error: { code: 'UNAUTHENTICATED', message: 'a valid bearer token is needed' } }]);
    expect((await hook('Bearer wrong', { email: 'bounce@example.org', kind: 'hard-bounce' })).statusCode).toBe(401);
    expect((await hook(`Bearer ${HOOK_TOKEN}`, { email: 'bounce@example.org', kind: 'explode' })).statusCode).toBe(400);
    const ok = await hook(`Bearer ${HOOK_TOKEN}`, { email: 'Bounce@EXAMPLE.org', kind: 'hard-bounce', detail: '550 no such user' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ email: 'Bounce@example.org', suppressed: true });
    const before = site.peer.received.length;
    expect((await site.form('/subscribe', { email: 'Bounce@example.org', frequency: 'daily' })).statusCode).toBe(303);
    expect(site.peer.received.length).toBe(before);
  });

  it('the bounce hook is not there (404) when PAPERBOY_MAIL_HOOK_TOKEN is unset', async () => {
    const off = await buildInboxSite(opened, { hookToken: null });
    try {
      const res = await off.app.inject({ method: 'POST', url: '/hooks/mail', payload: { email: 'x@example.org', kind: 'complaint' }, headers: { authorization: 'Bearer anything' } });
      expect(res.statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
