/**
 * Subscribing through the pages (issue 11), on SQLite and on the PostgreSQL server, with mail
 * sent over SMTP to a real server on loopback and read back: the double opt-in journey, the
 * preferences page, one-click unsubscribe, export and delete, the same answer whatever the
 * address, the per-address and per-client limits, and the site with subscriptions off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { openSiteStore } from './site.js';
import { createSmtpMailer } from '../../src/adapters/mail/smtp.mailer.js';
import { subscriptionMails } from '../../src/services/subscription-mail.js';
import { SubscriptionService } from '../../src/services/subscription.service.js';
import { buildInboxSite, confirmedSubscription, linkIn, PUBLIC_URL, tokenOf, type InboxSite } from './subscription-site.js';

describe.each(STORE_HARNESSES)('subscriptions on $name', (harness) => {
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

  const mailsTo = (address: string) => site.peer.received.filter((m) => m.to.includes(address));
  const subscriptionsOf = (address: string) => opened.inbox.subscriptionsOf(address);

  it('subscribes with double opt-in: a confirmation email, a confirm page whose GET changes nothing, a POST that confirms', async () => {
    const res = await site.form('/subscribe', { email: 'Ann@Example.ORG', frequency: 'weekly', topic: 'diffusion cat:cs.CV' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/subscribe/check');
    expect((await site.get('/subscribe/check')).body).toContain('Check your inbox');
    const [mail] = mailsTo('Ann@example.org');
    expect(mail!.parsed.subject).toBe('Confirm your Paperboy subscription');
    const [pending] = await subscriptionsOf('Ann@example.org');
    expect(pending).toMatchObject({ status: 'pending', frequency: 'weekly', topics: ['diffusion cat:cs.CV'] });

    const confirmPath = linkIn(mail!.parsed.text!, '/subscribe/confirm/');
    const page = await site.get(confirmPath);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<form method="post" action="${confirmPath}"><button type="submit">Confirm</button></form>`);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // a mail scanner following the link twice: still pending
    await site.get(confirmPath);
    expect((await opened.inbox.subscription(pending!.id))!.status).toBe('pending');

    const confirmed = await site.form(confirmPath, {});
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('You are subscribed');
    expect((await opened.inbox.subscription(pending!.id))!.status).toBe('active');
    const prefs = /href="(\/subscriptions\/[^"]+)"/.exec(confirmed.body)![1]!;
    expect((await site.get(prefs)).body).toContain('Ann@example.org');
  });

  it('answers a known and an unknown address alike, status, headers and body; the known one gets its preferences link by email', async () => {
    await site.service.subscribe({ email: 'known@example.org', frequency: 'daily' });
    await site.service.confirm(tokenOf(linkIn(mailsTo('known@example.org')[0]!.parsed.text!, '/subscribe/confirm/')));
    const known = await site.form('/subscribe', { email: 'known@example.org', frequency: 'daily', topic: '' });
    const unknown = await site.form('/subscribe', { email: 'stranger@example.org', frequency: 'daily', topic: '' });
    const shape = (r: typeof known) => ({ status: r.statusCode, body: r.body, location: r.headers.location, type: r.headers['content-type'], length: r.headers['content-length'] });
    expect(shape(known)).toEqual(shape(unknown));
    const note = mailsTo('known@example.org').at(-1)!;
    expect(note.parsed.subject).toBe('You are already subscribed to Paperboy');
    expect((await site.get(linkIn(note.parsed.text!, '/subscriptions/'))).statusCode).toBe(200);
    expect(mailsTo('stranger@example.org')[0]!.parsed.subject).toBe('Confirm your Paperboy subscription');
  });

  it('sends at most 3 emails an hour to one address from the form, answering the same each time', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await site.form('/subscribe', { email: 'flood@example.org', frequency: 'daily' })).statusCode);
    expect(answers).toEqual([303, 303, 303, 303, 303]);
    expect(mailsTo('flood@example.org')).toHaveLength(3);
    // another node (its own service, mailer and memory, the same database) shares the budget
    const mailer = createSmtpMailer({ url: site.peer.url, concurrency: 1, ratePerSecond: 0, timeoutMs: 5000 });
    const otherNode = new SubscriptionService({
      subscriptions: opened.inbox,
      outbox: opened.inbox,
      mailer,
      mails: subscriptionMails({ publicUrl: PUBLIC_URL, from: 'Paperboy <papers@example.org>' }),
      tokens: site.tokens,
      now: () => site.clock.now,
    });
    await otherNode.subscribe({ email: 'flood@example.org', frequency: 'daily' });
    await mailer.close();
    expect(mailsTo('flood@example.org')).toHaveLength(3);
    site.clock.now = new Date(site.clock.now.getTime() + 3_600_001);
    await site.form('/subscribe', { email: 'flood@example.org', frequency: 'daily' });
    expect(mailsTo('flood@example.org')).toHaveLength(4);
    // one pending subscription for all of them
    expect(await subscriptionsOf('flood@example.org')).toHaveLength(1);
  });

  it('changes preferences by POST to the page’s own URL and comes back with what was done', async () => {
    const { manageToken, subscription } = await confirmedSubscription(site, 'prefs@example.org');
    const url = `/subscriptions/${manageToken}`;
    const post = (fields: Record<string, string>) => site.form(url, fields);
    expect((await post({ action: 'frequency', frequency: 'weekly' })).headers.location).toBe(`${url}?done=frequency`);
    await post({ action: 'add-topic', topic: 'retrieval augmented' });
    await post({ action: 'add-topic', topic: 'author:hinton' });
    await post({ action: 'edit-topic', index: '0', topic: '"kv cache"' });
    await post({ action: 'remove-topic', index: '1' });
    await post({ action: 'pause' });
    let s = (await opened.inbox.subscription(subscription.id))!;
    expect(s).toMatchObject({ frequency: 'weekly', topics: ['"kv cache"'], status: 'paused' });
    const page = await site.get(`${url}?done=pause`);
    expect(page.body).toContain('Paused: nothing is sent until you resume.');
    expect(page.body).toContain('value="&quot;kv cache&quot;"');
    await post({ action: 'resume' });
    const refused = await post({ action: 'add-topic', topic: 'OR' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('The search can&#39;t use all of “OR”');
    s = (await opened.inbox.subscription(subscription.id))!;
    expect(s).toMatchObject({ status: 'active', topics: ['"kv cache"'] });
  });

  it('one-click unsubscribe: GET shows a confirm page and changes nothing; the RFC 8058 POST, with no cookie or Origin, ends that subscription only', async () => {
    const a = await confirmedSubscription(site, 'leaver@example.org');
    const b = await confirmedSubscription(site, 'leaver@example.org', 'weekly');
    const url = `/unsubscribe/${await site.tokens.issue(a.subscription.id, 'unsubscribe')}`;
    const page = await site.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Unsubscribe?');
    expect((await opened.inbox.subscription(a.subscription.id))!.status).toBe('active');
    const oneClick = () => site.app.inject({ method: 'POST', url, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const res = await oneClick();
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('You are unsubscribed');
    expect((await opened.inbox.subscription(a.subscription.id))!.status).toBe('unsubscribed');
    expect((await opened.inbox.subscription(b.subscription.id))!.status).toBe('active');
    expect((await oneClick()).statusCode).toBe(200);
  });

  it('exports the subscription, its topics, its messages and the address’s marks as a JSON download', async () => {
    const { manageToken } = await confirmedSubscription(site, 'export@example.org');
    await site.service.markAddress('export@example.org', 'soft-bounce', 'mailbox full');
    const res = await site.get(`/subscriptions/${manageToken}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="paperboy-subscription.json"');
    const data = res.json();
    expect(data.subscription).toMatchObject({ email: 'export@example.org', status: 'active' });
    expect(data.topics).toEqual([]);
    expect(data.messages).toEqual([]);
    expect(data.address.marks).toMatchObject([{ kind: 'soft-bounce', detail: 'mailbox full' }]);
  });

  it('deletes my data after the box is ticked; the links then say the subscription is gone (410)', async () => {
    const { manageToken, subscription } = await confirmedSubscription(site, 'delete@example.org');
    const url = `/subscriptions/${manageToken}`;
    expect((await site.form(url, { action: 'delete' })).statusCode).toBe(400);
    expect(await opened.inbox.subscription(subscription.id)).not.toBeNull();
    const res = await site.form(url, { action: 'delete', sure: 'yes' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Your data is deleted');
    expect(await opened.inbox.subscription(subscription.id)).toBeNull();
    const gone = await site.get(url);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('This subscription no longer exists');
    expect(gone.body).toContain('href="/subscribe"');
  });

  it('previews my digest: the email’s own HTML from composeDigest, under a CSP with no script; nothing to send says so', async () => {
    const trending = await confirmedSubscription(site, 'preview@example.org');
    const res = await site.get(`/subscriptions/${trending.manageToken}/preview`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('Trending papers — 30 Jun 2026');
    expect(res.body).toContain(`${'https://papers.example.org'}/unsubscribe/`);
    expect(res.body).not.toContain('<script');
    // an alert on a topic no paper of the week matches: no email would go, and the page says so
    const url = `/subscriptions/${trending.manageToken}`;
    await site.form(url, { action: 'add-topic', topic: 'qwxzyvq' });
    const none = await site.get(`${url}/preview`);
    expect(none.statusCode).toBe(200);
    expect(none.body).toContain('Nothing to send right now');
  });

  it('puts a real form on listings and an "alert me" form with the query on search pages', async () => {
    const day = await site.get('/papers/date/2026-06-30');
    expect(day.body).toContain('<form class="subscribe" method="post" action="/subscribe"');
    expect(day.body).toContain('name="topic"');
    const search = await site.get('/search?q=%22language+model%22+cat%3Acs.CL');
    expect(search.body).toContain('Alert me about new papers like these');
    expect(search.body).toContain('value="&quot;language model&quot; cat:cs.CL"');
  });
});

describe('subscriptions switched off (no SMTP_URL), and the per-client limit', () => {
  let opened: OpenedStore;
  const sites: InboxSite[] = [];
  beforeAll(async () => {
    opened = (await openSiteStore(STORE_HARNESSES[0]!)).opened;
  }, 120_000);
  afterAll(async () => {
    for (const s of sites) await s.close();
    await opened?.store.close();
  });

  it('says so in the box and answers POST /subscribe 503 with a clear page', async () => {
    const site = await buildInboxSite(opened, { off: true });
    sites.push(site);
    expect((await site.get('/papers/date/2026-06-30')).body).toContain('Email subscriptions are off on this site');
    const res = await site.form('/subscribe', { email: 'a@example.org', frequency: 'daily' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('Subscriptions are off');
    expect(await opened.inbox.subscriptionsOf('a@example.org')).toEqual([]);
  });

  it('answers 429 past PAPERBOY_SUBSCRIBE_RATE_LIMIT posts an hour from one client address; another address has its own budget', async () => {
    const site = await buildInboxSite(opened, { env: { PAPERBOY_SUBSCRIBE_RATE_LIMIT: '2' } });
    sites.push(site);
    const post = (i: number, remoteAddress = '198.51.100.7') =>
      site.app.inject({ method: 'POST', url: '/subscribe', remoteAddress, payload: `email=c${i}%40example.org&frequency=daily`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([(await post(1)).statusCode, (await post(2)).statusCode]).toEqual([303, 303]);
    const refused = await post(3);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect((await post(4, '203.0.113.9')).statusCode).toBe(303);
  });
});
