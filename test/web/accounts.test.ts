/**
 * Signing in and the account pages (issue 13) through the real app, on SQLite and on the
 * PostgreSQL server, with the sign-in link sent over SMTP to a real server on loopback and read
 * back: the journey, the same answer whatever the address, single use and expiry, the session
 * cookie (attributes, tampering, a new id at each sign-in, sign out here and everywhere), the
 * CSRF guard, escaping of the reader's own text, export and delete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_REFUSED } from '../../src/delivery/http/csrf.js';
import { requireRole, requireViewer, viewerOf } from '../../src/delivery/http/viewer.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { CookieBrowser, setCookieLine } from './cookie-browser.js';
import { lastSignInLink, SESSION, signedIn as signInAs } from './sign-in.js';
import { openSiteStore } from './site.js';
import { buildInboxSite, linkIn, type InboxSite } from './subscription-site.js';

const escapedRefusal = CSRF_REFUSED.replace(/'/g, '&#39;').slice(0, 60);

describe.each(STORE_HARNESSES)('accounts on $name', (harness) => {
  let opened: OpenedStore;
  let site: InboxSite;
  beforeAll(async () => {
    opened = (await openSiteStore(harness)).opened;
    // the per-client limit has its own test (account-tokens.test.ts): this suite signs in many times from one address
    site = await buildInboxSite(opened, { env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0' } });
    // routes as the votes and comments branches will add them: guarded, and a POST that says
    // nothing about CSRF (so gets the default, a token)
    site.app.get('/test/moderation', { preHandler: requireRole('moderator') }, async (req) => `hello ${viewerOf(req)!.role}`);
    site.app.post('/test/vote', { preHandler: requireViewer }, async (req) => `voted as ${viewerOf(req)!.displayName}`);
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await opened?.store.close();
    await opened?.drop();
  });

  const lastLinkTo = (address: string) => lastSignInLink(site, address);
  const signedIn = (email: string) => signInAs(site, email);

  it('signs in through the emailed link: a page whose GET changes nothing, a POST that starts a session cookie', async () => {
    const b = new CookieBrowser(site.app);
    const page = await b.get('/auth/signin');
    expect(page.body).toContain('name="_csrf"');
    const asked = await b.form('/auth/signin', { email: 'Ann@Example.ORG', _csrf: b.csrf() });
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/auth/signin/check');
    const mail = site.peer.received.filter((m) => m.to.includes('Ann@example.org')).at(-1)!;
    expect(mail.parsed.subject).toBe('Your Paperboy sign-in link');
    const link = linkIn(mail.parsed.text!, '/auth/signin/');
    expect(link).toMatch(/^\/auth\/signin\/[A-Za-z0-9_-]{43}$/);
    // nothing kept in the clear: the database holds the hash of the link's secret only
    expect(await opened.accounts.redeemSignInToken(link.split('/').pop()!, site.clock.now.toISOString())).toBeNull();

    // a mail scanner following the link twice: no session, no account
    await new CookieBrowser(site.app).get(link);
    const shown = await b.get(link);
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.body).toContain(`<form method="post" action="${link}">`);
    expect(await opened.accounts.accountByEmail('ann@example.org')).toBeNull();

    const done = await b.form(link, { _csrf: b.csrf() });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/me');
    const cookie = setCookieLine(done, SESSION)!;
    expect(cookie).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    expect(cookie).toMatch(/Max-Age=2592000/);
    const me = await b.get('/me');
    expect(me.statusCode).toBe(200);
    expect(me.body).toContain('Ann@example.org');
    expect(me.headers['cache-control']).toBe('no-store');
    expect(await opened.accounts.accountByEmail('ann@example.org')).toMatchObject({ email: 'Ann@example.org', role: 'reader', displayName: 'Ann' });
  });

  it('answers a known and an unknown address alike', async () => {
    await signedIn('known@example.org');
    site.clock.now = new Date(site.clock.now.getTime() + 3_600_001);
    const known = await new CookieBrowser(site.app).form('/auth/signin', { email: 'known@example.org' });
    const unknown = await new CookieBrowser(site.app).form('/auth/signin', { email: 'unknown@example.org' });
    expect([known.statusCode, known.headers.location, known.body]).toEqual([unknown.statusCode, unknown.headers.location, unknown.body]);
    expect(Object.keys(known.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
  });

  it('refuses a used link and an expired one', async () => {
    const b = await signedIn('once@example.org');
    const link = lastLinkTo('once@example.org');
    const again = await new CookieBrowser(site.app).form(link, {});
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('This sign-in link cannot be used');
    expect(setCookieLine(again, SESSION)).toBeUndefined();
    expect(b.cookie(SESSION)).toBeDefined();

    site.clock.now = new Date(site.clock.now.getTime() + 3_600_001);
    await new CookieBrowser(site.app).form('/auth/signin', { email: 'late@example.org' });
    const late = lastLinkTo('late@example.org');
    site.clock.now = new Date(site.clock.now.getTime() + 15 * 60_000 + 1);
    expect((await new CookieBrowser(site.app).form(late, {})).statusCode).toBe(410);
    expect(await opened.accounts.accountByEmail('late@example.org')).toBeNull();
    // a made-up link, of the right shape or not
    expect((await new CookieBrowser(site.app).form(`/auth/signin/${'A'.repeat(43)}`, {})).statusCode).toBe(410);
    expect((await new CookieBrowser(site.app).form('/auth/signin/short', {})).statusCode).toBe(410);
  });

  it('knows nobody from a tampered or made-up session cookie', async () => {
    const b = await signedIn('tamper@example.org');
    const real = b.cookie(SESSION)!;
    b.jar.set(SESSION, real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A'));
    const me = await b.get('/me');
    expect(me.statusCode).toBe(303);
    expect(me.headers.location).toBe('/auth/signin');
    b.jar.set(SESSION, real);
    expect((await b.get('/me')).statusCode).toBe(200);
  });

  it('gives a new session id at each sign-in and ends the one the browser had', async () => {
    const b = await signedIn('renew@example.org');
    const first = b.cookie(SESSION)!;
    site.clock.now = new Date(site.clock.now.getTime() + 3_600_001);
    await b.form('/auth/signin', { email: 'renew@example.org' });
    await b.get(lastLinkTo('renew@example.org'));
    await b.form(lastLinkTo('renew@example.org'), { _csrf: b.csrf() });
    const second = b.cookie(SESSION)!;
    expect(second).not.toBe(first);
    const old = new CookieBrowser(site.app);
    old.jar.set(SESSION, first);
    expect((await old.get('/me')).statusCode).toBe(303);
    expect((await b.get('/me')).statusCode).toBe(200);
  });

  it('refuses a POST without, or with a wrong or another session\'s, CSRF token: 403 with a clear message', async () => {
    const b = await signedIn('csrf@example.org');
    const other = await signedIn('csrf-other@example.org');
    await b.get('/me');
    const good = b.csrf();
    await other.get('/me');
    const stranger = other.csrf();
    for (const fields of [{ displayName: 'X' } as Record<string, string>, { displayName: 'X', _csrf: 'wrong' }, { displayName: 'X', _csrf: stranger }, { displayName: 'X', _csrf: good.slice(0, -2) }]) {
      const res = await b.form('/me', fields);
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain(escapedRefusal);
    }
    // from another site's page, with the session cookie but no token (what a forged form sends)
    expect((await b.form('/auth/signout', {}, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await b.get('/me')).statusCode).toBe(200);
    // the token in a header does as well as the field
    expect((await b.form('/me', { displayName: 'Header' }, { 'x-csrf-token': good })).statusCode).toBe(303);
    expect((await b.form('/me', { displayName: 'Csrf', _csrf: good })).statusCode).toBe(303);
    expect((await opened.accounts.accountByEmail('csrf@example.org'))!.displayName).toBe('Csrf');
    // a token made before signing in no longer does after: it was bound to no session
    const anon = new CookieBrowser(site.app);
    await anon.get('/auth/signin');
    const before = anon.csrf();
    site.clock.now = new Date(site.clock.now.getTime() + 3_600_001);
    await anon.form('/auth/signin', { email: 'bound@example.org', _csrf: before });
    await anon.form(lastLinkTo('bound@example.org'), {});
    expect((await anon.form('/me', { displayName: 'Y', _csrf: before })).statusCode).toBe(403);
  });

  it('refuses a sign-in request from another site, and takes the anonymous forms from this one without a token', async () => {
    const res = await new CookieBrowser(site.app).form('/auth/signin', { email: 'x@example.org' }, { 'sec-fetch-site': 'cross-site' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain(escapedRefusal);
    expect((await new CookieBrowser(site.app).form('/theme', { theme: 'dark', back: '/' })).statusCode).toBe(303);
    site.clock.now = new Date(site.clock.now.getTime() + 3_600_001);
    expect((await new CookieBrowser(site.app).form('/subscribe', { email: 'anon@example.org', frequency: 'daily' })).statusCode).toBe(303);
    // and a signed-in reader's subscribe form on a shared, cached page (no token in it) works too
    const b = await signedIn('reader-sub@example.org');
    expect((await b.form('/subscribe', { email: 'reader-sub@example.org', frequency: 'weekly' })).statusCode).toBe(303);
  });

  it('signs out here, and everywhere', async () => {
    const here = await signedIn('out@example.org');
    await here.get('/me');
    const out = await here.form('/auth/signout', { _csrf: here.csrf() });
    expect(out.statusCode).toBe(200);
    expect(setCookieLine(out, SESSION)).toMatch(/Max-Age=0/);
    expect(here.cookie(SESSION)).toBeUndefined();

    const phone = await signedIn('every@example.org');
    const laptop = await signedIn('every@example.org');
    const stolen = new CookieBrowser(site.app);
    stolen.jar.set(SESSION, laptop.cookie(SESSION)!);
    await phone.get('/me');
    const all = await phone.form('/auth/signout-everywhere', { _csrf: phone.csrf() });
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('2 sessions ended');
    for (const b of [phone, laptop, stolen]) expect((await b.get('/me')).statusCode).toBe(303);
  });

  it('escapes the reader\'s own text: a display name and an address with HTML in them', async () => {
    const b = await signedIn("o'hara&co@example.org");
    let me = await b.get('/me');
    expect(me.body).toContain('o&#39;hara&amp;co@example.org');
    expect(me.body).not.toContain("o'hara&co@");
    expect((await b.form('/me', { displayName: '<script>alert(1)</script> "x"', _csrf: b.csrf() })).statusCode).toBe(303);
    me = await b.get('/me?done=renamed');
    expect(me.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot;');
    expect(me.body).not.toContain('<script>alert(1)');
    // an invisible character is refused with what and where
    const bad = await b.form('/me', { displayName: 'A\u202Eb', _csrf: b.csrf() });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('U+202E) at position 2');
  });

  it('exports the account as JSON with its subscriptions, and deletes it', async () => {
    site.clock.now = new Date(site.clock.now.getTime() + 3_600_001);
    await site.service.subscribe({ email: 'gone@example.org', frequency: 'daily' });
    const b = await signedIn('gone@example.org');
    const me = await b.get('/me');
    expect(me.body).toContain('The daily trending papers: pending');
    const exported = await b.get('/me/export');
    expect(exported.headers['content-disposition']).toContain('attachment');
    const data = JSON.parse(exported.body) as { account: { email: string }; subscriptions: { email: string }[] };
    expect(data.account.email).toBe('gone@example.org');
    expect(data.subscriptions.map((s) => s.email)).toEqual(['gone@example.org']);
    await b.get('/me');
    expect((await b.form('/me/delete', { _csrf: b.csrf() })).statusCode).toBe(400);
    const deleted = await b.form('/me/delete', { _csrf: b.csrf(), sure: 'yes' });
    expect(deleted.statusCode).toBe(200);
    expect(await opened.accounts.accountByEmail('gone@example.org')).toBeNull();
    expect((await b.get('/me')).statusCode).toBe(303);
    expect(await opened.inbox.subscriptionsOf('gone@example.org')).toHaveLength(1);
  });

  it('lets a route ask for a role, and protects a new POST route with a token without being told', async () => {
    const b = await signedIn('roles@example.org');
    const denied = await b.get('/test/moderation');
    expect(denied.statusCode).toBe(403);
    expect(denied.body).toContain('You may not do this: this needs the moderator role.');
    expect((await new CookieBrowser(site.app).get('/test/moderation')).headers.location).toBe('/auth/signin');
    // given by another process (`paperboy users promote`): the site sees it within a second (decision 043)
    await opened.accounts.setRole('roles@example.org', 'admin', site.clock.now.toISOString());
    site.clock.now = new Date(site.clock.now.getTime() + 1_001);
    const allowed = await b.get('/test/moderation');
    expect([allowed.statusCode, allowed.body]).toEqual([200, 'hello admin']);

    await b.get('/me');
    const token = b.csrf();
    expect((await b.form('/test/vote', {})).statusCode).toBe(403);
    expect((await b.form('/test/vote', { _csrf: token })).body).toBe('voted as roles');
    const anon = new CookieBrowser(site.app);
    await anon.get('/auth/signin');
    const nobody = await anon.form('/test/vote', { _csrf: anon.csrf() });
    expect(nobody.statusCode).toBe(401);
    expect(nobody.body).toContain('You need to sign in first.');
  });
});
