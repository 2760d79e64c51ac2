/**
 * Passkeys through the real app (decision 034), on SQLite and on the PostgreSQL server, with real
 * WebAuthn answers from a software authenticator: a reader signed in by the emailed link adds a
 * passkey on /me, signs out, and signs in with it (a new session, the old one ended); the JSON
 * endpoints' refusals (no session, an API token, no CSRF token, a challenge made up, expired or
 * reused, an unknown passkey, garbled JSON), each a JSON error the script can show; rename and
 * delete forms; the export and the account's deletion; the scripts served under /static.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretHash } from '../../src/core/accounts.js';
import { CSRF_REFUSED } from '../../src/delivery/http/csrf.js';
import { MAX_PASSKEYS, PASSKEY_CHALLENGE_TTL_MS } from '../../src/services/passkey.service.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import type { OpenedStore } from '../support/store-harness.js';
import { CookieBrowser, setCookieLine } from './cookie-browser.js';
import { SESSION, signedIn as signInAs } from './sign-in.js';
import { buildInboxSite, type InboxSite } from './subscription-site.js';

/** The token the passkey button carries for the script (data-csrf), from the last page. */
const scriptToken = (b: CookieBrowser) => {
  const m = /data-csrf="([^"]+)"/.exec(b.last?.body ?? '');
  if (!m) throw new Error(`no passkey button in the last page:\n${b.last?.body.slice(0, 500)}`);
  return m[1]!;
};
const errorOf = (res: { body: string }) => (JSON.parse(res.body) as { error: { code: string; message: string } }).error;
type Options = { challenge: string; rpId?: string; rp?: { id: string }; user?: { id: string } };

describe.each(STORE_HARNESSES)('passkeys on $name', (harness) => {
  let opened: OpenedStore;
  let site: InboxSite;
  beforeAll(async () => {
    opened = await harness.open();
    site = await buildInboxSite(opened, { env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0' } });
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await opened?.store.close();
    await opened?.drop();
  });
  const signedIn = (email: string) => signInAs(site, email);

  /** Adds a passkey through /me as the script does; the authenticator that holds it. */
  const addPasskey = async (b: CookieBrowser, name = 'Laptop') => {
    await b.get('/me');
    const token = scriptToken(b);
    const asked = await b.json('/auth/passkey/register/options', {}, { 'x-csrf-token': token });
    expect(asked.statusCode).toBe(200);
    const device = new SoftAuthenticator();
    const added = await b.json('/auth/passkey/register', { response: device.create((JSON.parse(asked.body) as { options: Options }).options), name }, { 'x-csrf-token': token });
    expect(added.statusCode, added.body).toBe(201);
    return device;
  };
  /** Sign-in options for a browser on the sign-in page, and the token it sends them with. */
  const signInOptions = async (b: CookieBrowser) => {
    await b.get('/auth/signin');
    const token = scriptToken(b);
    const res = await b.json('/auth/passkey/signin/options', {}, { 'x-csrf-token': token });
    expect(res.statusCode).toBe(200);
    return { token, options: (JSON.parse(res.body) as { options: Options }).options };
  };

  it('adds a passkey on /me, and signs in with it on a browser that gave no address: a new session, as the link starts', async () => {
    const b = await signedIn('ann@example.org');
    const me = await b.get('/me');
    expect(me.body).toContain('<h2>Passkeys</h2>');
    expect(me.body).toContain('You have no passkeys.');
    expect(me.body).toMatch(/<script src="\/static\/simplewebauthn-browser-[\d.]+\/index\.umd\.min\.js" defer><\/script>\s*<script src="\/static\/passkeys\.js\?v=[\w-]{10}" defer><\/script>/);
    const device = await addPasskey(b, '<b>My</b> laptop');
    const listed = await b.get('/me?done=passkey-added');
    expect(listed.body).toContain('Your passkey is added');
    expect(listed.body).toContain('<span class="passkey-name">&lt;b&gt;My&lt;/b&gt; laptop</span>');
    expect(listed.body).not.toContain('<b>My</b>');

    const fresh = new CookieBrowser(site.app);
    const page = await fresh.get('/auth/signin');
    expect(page.body).toContain('Sign in with a passkey');
    const { token, options } = await signInOptions(fresh);
    expect(options).toMatchObject({ rpId: 'papers.example.org', userVerification: 'required' });
    expect(options).not.toHaveProperty('allowCredentials');
    const done = await fresh.json('/auth/passkey/signin', { response: device.get(options) }, { 'x-csrf-token': token });
    expect(done.statusCode, done.body).toBe(200);
    expect(JSON.parse(done.body)).toEqual({ location: '/me' });
    expect(done.headers['cache-control']).toBe('no-store');
    expect(setCookieLine(done, SESSION)).toMatch(/^__Host-paperboy-session=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    const profile = await fresh.get('/me');
    expect(profile.statusCode).toBe(200);
    expect(profile.body).toContain('ann@example.org');
    // the session the link started is still the other browser's own
    expect((await b.get('/me')).statusCode).toBe(200);
    expect(fresh.cookie(SESSION)).not.toBe(b.cookie(SESSION));
  });

  it('ends the session the browser had when it signs in with a passkey', async () => {
    const ann = await signedIn('owner@example.org');
    const device = await addPasskey(ann);
    const bob = await signedIn('other@example.org');
    const before = bob.cookie(SESSION)!;
    await bob.get('/auth/signin');
    const token = scriptToken(bob);
    const options = (JSON.parse((await bob.json('/auth/passkey/signin/options', {}, { 'x-csrf-token': token })).body) as { options: Options }).options;
    expect((await bob.json('/auth/passkey/signin', { response: device.get(options) }, { 'x-csrf-token': token })).statusCode).toBe(200);
    expect(bob.cookie(SESSION)).not.toBe(before);
    expect(await opened.accounts.sessionAccount(secretHash(before), site.clock.now.toISOString())).toBeNull();
    expect((await bob.get('/me')).body).toContain('owner@example.org');
  });

  it('keeps the cap of passkeys when registrations finish at once', async () => {
    const b = await signedIn('many@example.org');
    const account = (await opened.accounts.accountByEmail('many@example.org'))!;
    for (let i = 0; i < MAX_PASSKEYS - 1; i++)
      await opened.passkeys.addPasskey({ id: `pre-${i}`, accountId: account.id, publicKey: 'AA', counter: 0, transports: [], name: `Key ${i}`, createdAt: site.clock.now.toISOString(), lastUsedAt: null });
    await b.get('/me');
    const token = scriptToken(b);
    const ceremonies = [];
    for (let i = 0; i < 3; i++) {
      const asked = await b.json('/auth/passkey/register/options', {}, { 'x-csrf-token': token });
      ceremonies.push(new SoftAuthenticator().create((JSON.parse(asked.body) as { options: Options }).options));
    }
    const answers = await Promise.all(ceremonies.map((response, i) => b.json('/auth/passkey/register', { response, name: `Race ${i}` }, { 'x-csrf-token': token })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
    expect(errorOf(answers.find((a) => a.statusCode === 409)!)).toMatchObject({ code: 'PASSKEY_LIMIT' });
    expect(await opened.passkeys.passkeysOf(account.id)).toHaveLength(MAX_PASSKEYS);
  });

  it('offers the passkey on the sign-in page when email is off, and signs in with it', async () => {
    const device = await addPasskey(await signedIn('nomail@example.org'));
    const off = await buildInboxSite(opened, { off: true, env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0' } });
    try {
      const b = new CookieBrowser(off.app);
      const page = await b.get('/auth/signin');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Signing in by email is not switched on');
      expect(page.body).toContain('Sign in with a passkey');
      expect(page.body).not.toContain('name="email"');
      const token = scriptToken(b);
      const options = (JSON.parse((await b.json('/auth/passkey/signin/options', {}, { 'x-csrf-token': token })).body) as { options: Options }).options;
      expect((await b.json('/auth/passkey/signin', { response: device.get(options) }, { 'x-csrf-token': token })).statusCode).toBe(200);
      expect((await b.get('/me')).body).toContain('nomail@example.org');
      // the email form's post still says signing in by email is off, and still offers the passkey
      const posted = await b.form('/auth/signin', { email: 'x@example.org', _csrf: 'unused' });
      expect(posted.statusCode).toBe(503);
      expect(posted.body).toContain('Sign in with a passkey');
    } finally {
      await off.close();
    }
  });

  it('refuses the ceremonies without a session, with an API token, or without a valid CSRF token, in JSON', async () => {
    const anon = new CookieBrowser(site.app);
    await anon.get('/auth/signin');
    const token = scriptToken(anon);
    for (const url of ['/auth/passkey/register/options', '/auth/passkey/register']) {
      const res = await anon.json(url, {}, { 'x-csrf-token': token });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(errorOf(res)).toEqual({ code: 'REFUSED', message: 'You need to sign in first.' });
    }
    for (const url of ['/auth/passkey/signin/options', '/auth/passkey/signin', '/auth/passkey/register/options']) {
      for (const headers of [{}, { 'x-csrf-token': 'forged' }, { 'x-csrf-token': token.slice(0, -2) }] as Record<string, string>[]) {
        const res = await anon.json(url, {}, headers);
        expect(res.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(403);
        expect(errorOf(res)).toEqual({ code: 'REFUSED', message: CSRF_REFUSED });
      }
    }
    // a page from this site is not enough: the ceremonies want the token, not only Sec-Fetch-Site
    expect((await anon.json('/auth/passkey/signin/options', {}, { 'sec-fetch-site': 'same-origin' })).statusCode).toBe(403);

    // an API access token acts for a reader, but may not add a way in to the account
    const b = await signedIn('api@example.org');
    const made = await site.accounts.createAccessToken((await opened.accounts.accountByEmail('api@example.org'))!.id, 'script');
    const res = await site.app.inject({ method: 'POST', url: '/auth/passkey/register/options', headers: { authorization: `Bearer ${made.token}`, 'content-type': 'application/json' }, payload: '{}' });
    expect(res.statusCode).toBe(403);
    expect(errorOf(res).message).toContain('needs a signed-in browser');
    expect(await opened.passkeys.passkeysOf(made.info.accountId)).toEqual([]);
    expect(b.cookie(SESSION)).toBeDefined();
  });

  it('refuses a made-up, expired or reused challenge, and an unknown passkey, with a message and no session', async () => {
    const owner = await signedIn('ceremony@example.org');
    const device = await addPasskey(owner);
    const anon = new CookieBrowser(site.app);
    const { token, options } = await signInOptions(anon);
    const send = (response: unknown) => anon.json('/auth/passkey/signin', { response }, { 'x-csrf-token': token });

    const madeUp = await send(device.get({ ...options, challenge: Buffer.from('a challenge nobody handed out').toString('base64url') }));
    expect(madeUp.statusCode).toBe(400);
    expect(errorOf(madeUp)).toEqual({ code: 'PASSKEY_CHALLENGE', message: 'This passkey attempt has expired or was used already. Try again.' });

    const answer = device.get(options);
    expect((await send(answer)).statusCode).toBe(200);
    // the same answer sent again, from another browser (the first one's token ended with its sign-in)
    const replay = new CookieBrowser(site.app);
    await replay.get('/auth/signin');
    const reused = await replay.json('/auth/passkey/signin', { response: answer }, { 'x-csrf-token': scriptToken(replay) });
    expect(reused.statusCode).toBe(400);
    expect(errorOf(reused).code).toBe('PASSKEY_CHALLENGE');
    expect(setCookieLine(reused, SESSION)).toBeUndefined();
    expect(replay.cookie(SESSION)).toBeUndefined();
    // and by the browser that signed in: its token was for nobody, and now it is somebody
    expect(errorOf(await send(answer))).toEqual({ code: 'REFUSED', message: CSRF_REFUSED });

    const late = new CookieBrowser(site.app);
    const stale = await signInOptions(late);
    site.clock.now = new Date(site.clock.now.getTime() + PASSKEY_CHALLENGE_TTL_MS);
    const expired = await late.json('/auth/passkey/signin', { response: device.get(stale.options) }, { 'x-csrf-token': stale.token });
    expect(expired.statusCode).toBe(400);
    expect(errorOf(expired).code).toBe('PASSKEY_CHALLENGE');
    expect(late.cookie(SESSION)).toBeUndefined();

    const stranger = new CookieBrowser(site.app);
    const fresh = await signInOptions(stranger);
    const unknown = await stranger.json('/auth/passkey/signin', { response: new SoftAuthenticator().get(fresh.options) }, { 'x-csrf-token': fresh.token });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown)).toMatchObject({ code: 'PASSKEY_UNKNOWN', message: expect.stringContaining('not registered on this site') });
    expect(stranger.cookie(SESSION)).toBeUndefined();

    const garbled = await site.app.inject({ method: 'POST', url: '/auth/passkey/signin', headers: { 'content-type': 'application/json', 'x-csrf-token': fresh.token }, payload: '{"response": ' });
    expect(garbled.statusCode).toBe(400);
    expect(errorOf(garbled).code).toBe('BAD_REQUEST');
    const notAPasskey = await stranger.json('/auth/passkey/signin', { response: { id: 'x' } }, { 'x-csrf-token': fresh.token });
    expect(errorOf(notAPasskey)).toEqual({ code: 'PASSKEY_INPUT', message: "The browser's answer is not a passkey's: its rawId differs from its id." });
  });

  it('refuses a registration answered to a challenge made for another account', async () => {
    const ann = await signedIn('reg-ann@example.org');
    const bob = await signedIn('reg-bob@example.org');
    await ann.get('/me');
    const annToken = scriptToken(ann);
    const forAnn = (JSON.parse((await ann.json('/auth/passkey/register/options', {}, { 'x-csrf-token': annToken })).body) as { options: Options }).options;
    await bob.get('/me');
    const res = await bob.json('/auth/passkey/register', { response: new SoftAuthenticator().create(forAnn), name: 'x' }, { 'x-csrf-token': scriptToken(bob) });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('PASSKEY_CHALLENGE');
    for (const email of ['reg-ann@example.org', 'reg-bob@example.org']) expect(await opened.passkeys.passkeysOf((await opened.accounts.accountByEmail(email))!.id)).toEqual([]);
  });

  it('renames and deletes a passkey by form on /me, only the reader\'s own, with a CSRF token', async () => {
    const b = await signedIn('forms@example.org');
    const device = await addPasskey(b, 'Old name');
    const other = await signedIn('forms-other@example.org');
    await b.get('/me');
    const csrf = b.csrf();
    expect((await b.form('/me/passkeys/rename', { id: device.id, name: 'New' })).statusCode).toBe(403);
    const bad = await b.form('/me/passkeys/rename', { id: device.id, name: '   ', _csrf: csrf });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The passkey&#39;s name is empty.');
    const renamed = await b.form('/me/passkeys/rename', { id: device.id, name: 'Phone', _csrf: csrf });
    expect(renamed.statusCode).toBe(303);
    expect(renamed.headers.location).toBe('/me?done=passkey-renamed');
    expect((await b.get('/me?done=passkey-renamed')).body).toContain('<span class="passkey-name">Phone</span>');

    await other.get('/me');
    const notTheirs = await other.form('/me/passkeys/delete', { id: device.id, _csrf: other.csrf() });
    expect(notTheirs.statusCode).toBe(404);
    expect(notTheirs.body).toContain('There is no such passkey on your account');
    expect(await opened.passkeys.passkey(device.id)).not.toBeNull();
    await b.get('/me');
    const deleted = await b.form('/me/passkeys/delete', { id: device.id, _csrf: b.csrf() });
    expect(deleted.headers.location).toBe('/me?done=passkey-deleted');
    expect(await opened.passkeys.passkey(device.id)).toBeNull();
    const anon = new CookieBrowser(site.app);
    const { token, options } = await signInOptions(anon);
    expect(errorOf(await anon.json('/auth/passkey/signin', { response: device.get(options) }, { 'x-csrf-token': token })).code).toBe('PASSKEY_UNKNOWN');
  });

  it('exports the passkeys\' names and dates but no key, and deletes them with the account', async () => {
    const b = await signedIn('leaving@example.org');
    const device = await addPasskey(b, 'Tablet');
    const data = JSON.parse((await b.get('/me/export')).body) as { passkeys: unknown[] };
    expect(data.passkeys).toEqual([{ name: 'Tablet', createdAt: site.clock.now.toISOString(), lastUsedAt: null }]);
    expect(JSON.stringify(data)).not.toContain(device.id);
    await b.get('/me');
    expect((await b.form('/me/delete', { _csrf: b.csrf(), sure: 'yes' })).statusCode).toBe(200);
    expect(await opened.passkeys.passkey(device.id)).toBeNull();
  });

  it('serves the two scripts from /static for a year, and keeps the CSP to this site\'s scripts', async () => {
    const page = await site.get('/auth/signin');
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    const srcs = [...page.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    const [library, ours] = srcs.slice(-2) as [string, string];
    for (const src of [library, ours]) {
      const res = await site.get(src);
      expect(res.statusCode, src).toBe(200);
      expect(res.headers['content-type']).toMatch(/^(application|text)\/javascript/);
      expect(res.headers['cache-control']).toContain('immutable');
    }
    expect((await site.get(library)).body).toContain('SimpleWebAuthnBrowser');
    expect((await site.get(ours)).body).toContain('startAuthentication');
    expect((await site.get('/static/simplewebauthn-browser-0.0.0/index.umd.min.js')).statusCode).toBe(404);
  });
});

describe('passkey sign-in options, limited per client', () => {
  let opened: OpenedStore;
  let site: InboxSite;
  beforeAll(async () => {
    opened = await STORE_HARNESSES[0]!.open();
    site = await buildInboxSite(opened, { env: { PAPERBOY_SIGNIN_RATE_LIMIT: '2' } });
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await opened?.store.close();
    await opened?.drop();
  });

  it('answers the third request of the hour from one address with 429 in JSON, saying what was limited', async () => {
    const b = new CookieBrowser(site.app);
    await b.get('/auth/signin');
    const token = scriptToken(b);
    for (let i = 0; i < 2; i++) expect((await b.json('/auth/passkey/signin/options', {}, { 'x-csrf-token': token })).statusCode).toBe(200);
    const limited = await b.json('/auth/passkey/signin/options', {}, { 'x-csrf-token': token });
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited)).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/^More than 2 passkey sign-in attempts an hour from this address; retry in/) });
  });
});
