/**
 * API access tokens and the sign-in limits (issue 13) through the real app, on SQLite and on the
 * PostgreSQL server: a token shown once acts as its reader without a CSRF token until revoked and
 * cannot manage the account; sign-in requests limited per client and sign-in emails per address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSecret, secretHash } from '../../src/core/accounts.js';
import { requireViewer, viewerOf } from '../../src/delivery/http/viewer.js';
import { MAX_ACCESS_TOKENS } from '../../src/services/account.service.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { CookieBrowser } from './cookie-browser.js';
import { signedIn as signInAs } from './sign-in.js';
import { openSiteStore } from './site.js';
import { buildInboxSite, type InboxSite } from './subscription-site.js';

describe.each(STORE_HARNESSES)('access tokens and sign-in limits on $name', (harness) => {
  let opened: OpenedStore;
  let site: InboxSite;
  beforeAll(async () => {
    opened = (await openSiteStore(harness)).opened;
    site = await buildInboxSite(opened, { env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0' } });
    // a POST route as the votes branch will add one: no CSRF setting, so the default (a token)
    site.app.post('/test/vote', { preHandler: requireViewer }, async (req) => `voted as ${viewerOf(req)!.displayName}`);
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await opened?.store.close();
    await opened?.drop();
  });

  const signedIn = (email: string) => signInAs(site, email);

  it('makes an API access token shown once, which acts as the reader without a CSRF token until revoked, and cannot manage the account', async () => {
    const b = await signedIn('api@example.org');
    await b.get('/me');
    const made = await b.form('/me/tokens', { name: '<i>my script</i>', _csrf: b.csrf() });
    expect(made.statusCode).toBe(200);
    const token = /<code class="new-token">(pb_[A-Za-z0-9_-]{43})<\/code>/.exec(made.body)![1]!;
    expect(made.body).toContain('&lt;i&gt;my script&lt;/i&gt;');
    expect((await b.get('/me')).body).not.toContain(token);
    const bearer = (t: string) => ({ authorization: `Bearer ${t}`, 'sec-fetch-site': '' });
    const api = new CookieBrowser(site.app);
    const voted = await api.form('/test/vote', {}, bearer(token));
    expect([voted.statusCode, voted.body]).toEqual([200, 'voted as api']);
    // not the account's own pages: a leaked token makes no more tokens and deletes nothing
    expect((await api.form('/me/tokens', { name: 'more' }, bearer(token))).statusCode).toBe(403);
    expect((await api.form('/me/delete', { sure: 'yes' }, bearer(token))).statusCode).toBe(403);
    // a forged or altered token is nobody: refused by the CSRF guard before anything else
    expect((await api.form('/test/vote', {}, bearer(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')))).statusCode).toBe(403);

    const id = /name="id" value="([^"]+)"/.exec(b.last!.body)![1]!;
    const other = await signedIn('api-other@example.org');
    await other.get('/me');
    await other.form('/me/tokens/revoke', { id, _csrf: other.csrf() }); // not theirs: nothing happens
    expect((await api.form('/test/vote', {}, bearer(token))).statusCode).toBe(200);
    await b.get('/me');
    expect((await b.form('/me/tokens/revoke', { id, _csrf: b.csrf() })).headers.location).toBe('/me?done=revoked');
    expect((await api.form('/test/vote', {}, bearer(token))).statusCode).toBe(403);
    expect(await opened.accounts.accessTokensOf((await opened.accounts.accountByEmail('api@example.org'))!.id)).toEqual([]);
  });

  it('keeps the cap of access tokens when tokens are made at once', async () => {
    const b = await signedIn('tokens-race@example.org');
    const account = (await opened.accounts.accountByEmail('tokens-race@example.org'))!;
    for (let i = 0; i < MAX_ACCESS_TOKENS - 1; i++)
      await opened.accounts.createAccessToken({ id: `pre-${i}`, accountId: account.id, name: `Pre ${i}`, hash: secretHash(newSecret()), createdAt: site.clock.now.toISOString() });
    await b.get('/me');
    const csrf = b.csrf();
    const answers = await Promise.all([1, 2, 3].map((i) => b.form('/me/tokens', { name: `race ${i}`, _csrf: csrf })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 400, 400]);
    expect(answers.find((a) => a.statusCode === 400)!.body).toContain(`An account holds at most ${MAX_ACCESS_TOKENS} tokens`);
    expect(await opened.accounts.accessTokensOf(account.id)).toHaveLength(MAX_ACCESS_TOKENS);
  });

  it('limits sign-in requests per client address, and sign-in emails per address', async () => {
    const limited = await buildInboxSite(opened, { env: { PAPERBOY_SIGNIN_RATE_LIMIT: '3' } });
    try {
      limited.clock.now = new Date(site.clock.now.getTime() + 3_600_001);
      const ask = (email: string) => new CookieBrowser(limited.app).form('/auth/signin', { email });
      const answers = [];
      for (const email of ['l1@example.org', 'l2@example.org', 'l3@example.org', 'l4@example.org']) answers.push((await ask(email)).statusCode);
      expect(answers).toEqual([303, 303, 303, 429]);
      expect(limited.peer.received.map((m) => m.to[0])).toEqual(['l1@example.org', 'l2@example.org', 'l3@example.org']);
    } finally {
      await limited.close();
    }
    // per address: 5 emails an hour, the answer the same after that
    site.clock.now = new Date(site.clock.now.getTime() + 3_600_001);
    const before = site.peer.received.length;
    for (let i = 0; i < 7; i++) expect((await new CookieBrowser(site.app).form('/auth/signin', { email: 'busy@example.org' })).statusCode).toBe(303);
    expect(site.peer.received.length - before).toBe(5);
  });
});
