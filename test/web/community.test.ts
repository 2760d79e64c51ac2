/**
 * The community's routes through the real app (issue 13, decision 031), on SQLite and on the
 * PostgreSQL server: signed in by the emailed link, readers vote (form and JSON), comment, reply,
 * edit, delete and report; moderators hide and restore from their queue; members have public
 * pages and @-mentions link to them; refusals say why (CSRF 403, not signed in 401, not yours
 * 403, limits 429 with Retry-After) and keep what the reader typed; a signed-in reader's page is
 * never cached nor shown to anyone else, while anonymous readers keep the shared cached page; 50
 * readers voting at once through HTTP leave the exact count; deleting an account anonymises its
 * comments and keeps its votes counted.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, newSecret, secretHash } from '../../src/core/accounts.js';
import { readServices } from '../../src/container.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { CookieBrowser } from './cookie-browser.js';
import { SESSION, signedIn as signInAs } from './sign-in.js';
import { openSiteStore } from './site.js';
import { buildInboxSite, type InboxSite } from './subscription-site.js';
import { SIMILAR } from '../../src/delivery/http/page-render.js';

const PAPER = '2606.90002'; // hand-made (test/web/site.ts), listed on 2026-06-30
const OLD = 'hep-th/9901001';
const DAY_MS = 86_400_000;

const tokenIn = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? null;
const votesIn = (body: string) => Number(/class="vote-count" data-votes="(\d+)"/.exec(body)?.[1] ?? NaN);
const pressed = (body: string) => /class="vote-button" aria-pressed="(true|false)"/.exec(body)?.[1] ?? null;

describe.each(STORE_HARNESSES)('the community through HTTP on $name', (harness) => {
  let opened: OpenedStore;
  let site: InboxSite;
  beforeAll(async () => {
    opened = (await openSiteStore(harness)).opened;
    site = await buildInboxSite(opened, { community: true, env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0', PAPERBOY_COMMENT_RATE_LIMIT: '0', PAPERBOY_VOTE_RATE_LIMIT: '0' } });
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await opened?.store.close();
    await opened?.drop();
  });

  /** A reader signed in through the emailed link, their account a week and a day old (past the new accounts' limits). */
  const member = async (email: string, name?: string) => {
    const b = await signInAs(site, email);
    if (name) {
      await b.get('/me');
      expect((await b.form('/me', { displayName: name, _csrf: b.csrf() })).statusCode).toBe(303);
    }
    return b;
  };
  const established = () => (site.clock.now = new Date(site.clock.now.getTime() + 8 * DAY_MS));
  const accountOf = async (email: string) => (await opened.accounts.accountByEmail(email))!;
  const paperPage = async (b: CookieBrowser, id = PAPER) => {
    const r = await b.get(`/papers/${id}`);
    expect(r.statusCode).toBe(200);
    return r;
  };
  const json = (b: CookieBrowser, url: string, fields: Record<string, string>) => b.form(url, fields, { accept: 'application/json' });

  it('shows anonymous readers the shared cached page with the count and sign-in links, and no token', async () => {
    const r = await site.get(`/papers/${PAPER}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<a href="/auth/signin">Sign in to vote</a>');
    expect(r.body).toContain('<a href="/auth/signin">Sign in to comment</a>');
    expect(tokenIn(r.body)).toBeNull();
    expect(String(r.headers['cache-control'])).not.toContain('no-store');
    expect(r.headers.etag).toBeDefined();
    expect((await site.get(`/papers/${PAPER}`, { 'if-none-match': String(r.headers.etag) })).statusCode).toBe(304);
  });

  it('refuses a vote without a CSRF token (403), and without a session (401)', async () => {
    const ann = await member('csrf-ann@example.org');
    expect((await ann.form(`/papers/${PAPER}/vote`, {})).statusCode).toBe(403);
    const other = await member('csrf-other@example.org');
    await paperPage(other);
    // another session's token is no token
    expect((await ann.form(`/papers/${PAPER}/vote`, { _csrf: other.csrf() })).statusCode).toBe(403);
    const nobody = new CookieBrowser(site.app);
    await nobody.get('/auth/signin'); // a page with an anonymous token
    const anonymousToken = nobody.csrf();
    const r = await nobody.form(`/papers/${PAPER}/vote`, { _csrf: anonymousToken });
    expect(r.statusCode).toBe(401);
    expect(r.body).toContain('You need to sign in first.');
    const asJson = await nobody.form(`/papers/${PAPER}/vote`, { _csrf: anonymousToken }, { accept: 'application/json' });
    expect([asJson.statusCode, asJson.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(votesIn((await site.get(`/papers/${PAPER}`)).body)).toBe(0);
  });

  it('toggles a vote by a plain form (303 back to a same-site page only) and by JSON, and renders each reader their own page', async () => {
    const ann = await member('vote-ann@example.org', 'Vote Ann');
    const bob = await member('vote-bob@example.org', 'Vote Bob');
    const annPage = await paperPage(ann);
    expect(annPage.headers['cache-control']).toBe('no-store');
    expect(annPage.headers.etag).toBeUndefined();
    expect(pressed(annPage.body)).toBe('false');
    // one CSRF token for the whole page: the vote and comment forms and the library controls alike
    expect(annPage.body).toContain('Save to my library');
    const tokens = new Set([...annPage.body.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]));
    expect(tokens.size).toBe(1);
    const voted = await ann.form(`/papers/${PAPER}/vote`, { _csrf: ann.csrf(), back: '/papers/date/2026-06-30' });
    expect([voted.statusCode, voted.headers.location]).toEqual([303, '/papers/date/2026-06-30']);
    // another site as "back": the paper's own page instead
    await paperPage(bob);
    const bobVote = await bob.form(`/papers/${PAPER}/vote`, { _csrf: bob.csrf(), back: '//evil.example/x' });
    expect(bobVote.headers.location).toBe(`/papers/${PAPER}`);

    const after = await paperPage(ann);
    expect([pressed(after.body), votesIn(after.body)]).toEqual(['true', 2]);
    expect(after.body).toContain('Comment as Vote Ann');
    const bobs = await paperPage(bob);
    expect(bobs.body).not.toContain('Vote Ann');
    expect(tokenIn(bobs.body)).not.toBe(tokenIn(after.body));
    const anonymous = await site.get(`/papers/${PAPER}`);
    expect(votesIn(anonymous.body)).toBe(2);
    expect(anonymous.body).not.toMatch(/Vote Ann|Vote Bob|_csrf|vote-button/);

    // JSON, as site.js fetches it
    const off = await json(ann, `/papers/${PAPER}/vote`, { _csrf: tokenIn(after.body)! });
    expect([off.statusCode, off.json()]).toEqual([200, { voted: false, votes: 1 }]);
    expect(off.headers['cache-control']).toBe('no-store');
    const on = await json(ann, `/papers/${PAPER}/vote`, { _csrf: tokenIn(after.body)! });
    expect(on.json()).toEqual({ voted: true, votes: 2 });
    // the form asks for a state: sent again (a stale tab, a retry after a lost answer) it keeps it
    const mine = await ann.get(`/papers/${PAPER}`);
    expect(mine.body).toContain('<input type="hidden" name="vote" value="0">'); // voted: the button withdraws
    for (let i = 0; i < 2; i++) expect((await json(ann, `/papers/${PAPER}/vote`, { _csrf: tokenIn(mine.body)!, vote: '1' })).json()).toEqual({ voted: true, votes: 2 });
    expect((await json(ann, `/papers/${PAPER}/vote`, { _csrf: tokenIn(mine.body)!, vote: '0' })).json()).toEqual({ voted: false, votes: 1 });
    expect((await json(ann, `/papers/${PAPER}/vote`, { _csrf: tokenIn(mine.body)!, vote: '0' })).json()).toEqual({ voted: false, votes: 1 });
    expect((await ann.get(`/papers/${PAPER}`)).body).toContain('<input type="hidden" name="vote" value="1">');
    expect((await json(ann, `/papers/${PAPER}/vote`, { _csrf: tokenIn(mine.body)!, vote: '1' })).json()).toEqual({ voted: true, votes: 2 });
    expect(votesIn((await site.get(`/papers/${PAPER}`)).body)).toBe(2);
    // the API agrees
    expect((await site.get(`/api/v1/papers/${PAPER}`)).json().votes).toBe(2);
    // listings: the shared page for nobody, the reader's votes marked for them (not cached)
    const TOP = '2606.26740'; // the demo day's most upvoted: on the first page
    const listing = '/papers/date/2026-06-30';
    expect((await json(ann, `/papers/${TOP}/vote`, { _csrf: tokenIn(after.body)! })).json()).toMatchObject({ voted: true });
    const annList = await ann.get(listing);
    expect(annList.headers['cache-control']).toBe('no-store');
    expect(annList.body).toMatch(new RegExp(`<article class="paper voted" [^>]*data-paper="${TOP}">\\n<p class="you-voted">You voted for this paper</p>`));
    expect(annList.body.match(/class="you-voted"/g)).toHaveLength(1);
    const nobodyList = await site.get(listing);
    expect(nobodyList.body).not.toContain('you-voted');
    expect(String(nobodyList.headers['cache-control'])).toContain('public');
    expect((await bob.get(listing)).body).not.toContain('you-voted');
    await json(ann, `/papers/${TOP}/vote`, { _csrf: tokenIn(after.body)! });
    expect((await ann.get(listing)).body).not.toContain('you-voted');

    // an unknown paper, and not an id
    expect((await json(ann, '/papers/2606.99999/vote', { _csrf: tokenIn(after.body)! })).statusCode).toBe(404);
    expect((await ann.form('/papers/not-an-id/vote', { _csrf: tokenIn(after.body)! })).statusCode).toBe(404);
  });

  it('posts, replies, edits, deletes and reports comments, re-rendering a refused form with what was typed', async () => {
    const ann = await member('talk-ann@example.org', 'Talk Ann');
    const bob = await member('talk-bob@example.org', 'Bob Smith');
    established();
    const ta = tokenIn((await paperPage(ann)).body)!;
    const posted = await ann.form(`/papers/${OLD}/comments`, { _csrf: ta, body: 'Hello **world**, @bob_smith and @nobody_here' });
    expect(posted.statusCode).toBe(303);
    const topId = Number(/#comment-(\d+)$/.exec(posted.headers.location!)![1]);
    expect(posted.headers.location).toBe(`/papers/${OLD}#comment-${topId}`);
    const bobId = (await accountOf('talk-bob@example.org')).id;
    const shown = (await site.get(`/papers/${OLD}`)).body;
    expect(shown).toContain('Hello <strong>world</strong>');
    expect(shown).toMatch(new RegExp(`href="/users/${bobId}"[^>]*>@bob_smith</a>`)); // the mention is a link…
    expect(shown).toContain('@nobody_here'); // …an unknown handle stays text
    expect(shown).not.toMatch(/href="[^"]*"[^>]*>@nobody_here/);
    expect(shown).toMatch(new RegExp(`<a href="/users/${(await accountOf('talk-ann@example.org')).id}">Talk Ann</a>`));

    const tb = tokenIn((await paperPage(bob, OLD)).body)!;
    const reply = await bob.form(`/papers/${OLD}/comments`, { _csrf: tb, body: 'A reply', parent: String(topId) });
    expect(reply.statusCode).toBe(303);
    const replyId = Number(/#comment-(\d+)$/.exec(reply.headers.location!)![1]);
    expect((await opened.comments.comment(replyId))!.parentId).toBe(topId);

    // refused: too long, kept in the form with the problem; not hers to edit; her own to report
    const long = `Start of a long text ${'x'.repeat(10_001)}`;
    const tooLong = await ann.form(`/papers/${OLD}/comments`, { _csrf: ta, body: long });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.headers['cache-control']).toBe('no-store');
    expect(tooLong.body).toContain('<p class="problem" role="alert">');
    expect(tooLong.body).toContain(`>Start of a long text xxx`);
    const notHers = await ann.form(`/papers/${OLD}/comments/${replyId}/edit`, { _csrf: ta, body: 'hijacked' });
    expect(notHers.statusCode).toBe(403);
    expect(notHers.body).toContain('only its author may edit it');
    const ownReport = await ann.form(`/papers/${OLD}/comments/${topId}/report`, { _csrf: ta, reason: 'mine' });
    expect(ownReport.statusCode).toBe(400);
    expect(ownReport.body).toContain('not reported');

    // a comment's actions under another paper's address find no comment: 404, nothing changed
    for (const action of ['edit', 'delete']) {
      const elsewhere = await ann.form(`/papers/${PAPER}/comments/${topId}/${action}`, { _csrf: ta, body: 'Moved words' });
      expect(elsewhere.statusCode).toBe(404);
      expect(elsewhere.headers.location).toBeUndefined();
    }
    expect((await bob.form(`/papers/${PAPER}/comments/${topId}/report`, { _csrf: tb, reason: 'elsewhere' })).statusCode).toBe(404);
    expect((await ann.form(`/papers/${PAPER}/comments/${topId}/edit`, { _csrf: ta, body: 'x' }, { accept: 'application/json' })).json().error.code).toBe('NOT_FOUND');
    expect(await opened.comments.comment(topId)).toMatchObject({ status: 'visible', body: 'Hello **world**, @bob_smith and @nobody_here', paperId: OLD });
    expect((await opened.comments.reportQueue(10)).map((r) => r.comment.id)).not.toContain(topId);
    // the old-style id in another spelling is the same paper: the answer goes to its canonical page
    const edited = await ann.form(`/papers/${OLD}v2/comments/${topId}/edit`, { _csrf: ta, body: 'Edited words' });
    expect([edited.statusCode, edited.headers.location]).toEqual([303, `/papers/${OLD}#comment-${topId}`]);
    expect((await opened.comments.comment(topId))!.body).toBe('Edited words');
    expect((await bob.form(`/papers/${OLD}/comments/${topId}/report`, { _csrf: tb, reason: '<b>rude</b>' })).statusCode).toBe(303);
    expect((await opened.comments.reportQueue(10)).map((r) => r.comment.id)).toContain(topId);
    expect((await bob.form(`/papers/${OLD}/comments/${replyId}/delete`, { _csrf: tb })).statusCode).toBe(303);
    expect((await opened.comments.comment(replyId))!.status).toBe('deleted');
    expect((await bob.form(`/papers/${OLD}/comments/${replyId}/delete`, { _csrf: tb })).statusCode).toBe(404);
    // a reader's page offers edit and delete on their own comments, report on others'
    const annView = (await paperPage(ann, OLD)).body;
    expect(annView).toContain(`/comments/${topId}/edit`);
    expect(annView).not.toContain(`/comments/${topId}/report`);
    const bobView = (await paperPage(bob, OLD)).body;
    expect(bobView).toContain(`/comments/${topId}/report`);
    expect(bobView).not.toContain(`/comments/${topId}/edit`);
  });

  it('lets moderators, and only them, read the queue and hide or restore', async () => {
    const writer = await member('mod-writer@example.org');
    const reporter = await member('mod-reporter@example.org');
    const reader = await member('mod-reader@example.org');
    established();
    const tw = tokenIn((await paperPage(writer, OLD)).body)!;
    const c = await writer.form(`/papers/${OLD}/comments`, { _csrf: tw, body: 'Something rude' });
    const id = Number(/#comment-(\d+)$/.exec(c.headers.location!)![1]);
    const tr = tokenIn((await paperPage(reporter, OLD)).body)!;
    await reporter.form(`/papers/${OLD}/comments/${id}/report`, { _csrf: tr, reason: 'rude' });

    expect((await new CookieBrowser(site.app).get('/moderation')).statusCode).toBe(303);
    expect((await reader.get('/moderation')).statusCode).toBe(403);
    const tm = tokenIn((await paperPage(reader, OLD)).body)!;
    expect((await reader.form(`/moderation/comments/${id}/hide`, { _csrf: tm })).statusCode).toBe(403);
    await site.accounts.setRole('mod-reader@example.org', 'moderator');
    const queue = await reader.get('/moderation');
    expect(queue.statusCode).toBe(200);
    expect(queue.headers['cache-control']).toBe('no-store');
    expect(queue.body).toContain(`id="reported-${id}"`);
    expect(queue.body).toContain('Something rude');
    const hidden = await reader.form(`/moderation/comments/${id}/hide`, { _csrf: tokenIn(queue.body)! });
    expect([hidden.statusCode, hidden.headers.location]).toEqual([303, `/moderation#reported-${id}`]);
    const page = (await site.get(`/papers/${OLD}`)).body;
    expect(page).toContain('This comment was hidden by a moderator.');
    expect(page).not.toContain('Something rude');
    // from the paper page: restore, back to the comment
    const modPage = (await paperPage(reader, OLD)).body;
    expect(modPage).toContain(`/moderation/comments/${id}/restore`);
    const restored = await reader.form(`/moderation/comments/${id}/restore`, { _csrf: tokenIn(modPage)!, back: `/papers/${OLD}#comment-${id}` });
    expect([restored.statusCode, restored.headers.location]).toEqual([303, `/papers/${OLD}#comment-${id}`]);
    expect((await site.get(`/papers/${OLD}`)).body).toContain('Something rude');
    expect((await reader.get('/moderation')).body).not.toContain(`id="reported-${id}"`);
  });

  it('shows a member’s public page with their visible comments, escaped, and 404 for nobody', async () => {
    const m = await member('profile@example.org', '<script>alert(1)</script> Pro');
    established();
    const tp = tokenIn((await paperPage(m, OLD)).body)!;
    await m.form(`/papers/${OLD}/comments`, { _csrf: tp, body: 'Profile words' });
    const id = (await accountOf('profile@example.org')).id;
    const r = await site.get(`/users/${id}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Pro');
    expect(r.body).not.toContain('<script>alert(1)');
    expect(r.body).toContain('Profile words');
    expect(r.body).not.toContain('profile@example.org');
    expect((await site.get('/users/nobody-at-all')).statusCode).toBe(404);
    expect((await site.get('/users/%3Cx%3E')).statusCode).toBe(404);
  });

  it('limits new accounts’ comments (429, Retry-After, the text kept)', async () => {
    const fresh = await member('fresh@example.org'); // made now: a new account
    const tf = tokenIn((await paperPage(fresh, OLD)).body)!;
    for (const body of ['one', 'two']) expect((await fresh.form(`/papers/${OLD}/comments`, { _csrf: tf, body })).statusCode).toBe(303);
    const third = await fresh.form(`/papers/${OLD}/comments`, { _csrf: tf, body: 'three, kept' });
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBe('600'); // the 10 minutes' window it passed
    expect(third.body).toContain('for a new account');
    expect(third.body).toContain('>three, kept</textarea>');
    // past the short window, up to the day's: Retry-After says the day's window, not the shortest
    for (const body of ['four', 'five', 'six']) {
      site.clock.now = new Date(site.clock.now.getTime() + 11 * 60_000);
      expect((await fresh.form(`/papers/${OLD}/comments`, { _csrf: tf, body })).statusCode).toBe(303);
    }
    site.clock.now = new Date(site.clock.now.getTime() + 11 * 60_000);
    const daily = await fresh.form(`/papers/${OLD}/comments`, { _csrf: tf, body: 'seven' }, { accept: 'application/json' });
    expect([daily.statusCode, daily.headers['retry-after'], daily.json().error.code]).toEqual([429, '86400', 'RATE_LIMITED']);
  });

  it('anonymises a deleted account’s comments and keeps its votes counted', async () => {
    const gone = await member('leaving@example.org', 'Leaving Soon');
    established();
    const tg = tokenIn((await paperPage(gone, OLD)).body)!;
    await gone.form(`/papers/${OLD}/comments`, { _csrf: tg, body: 'Words that stay' });
    const before = votesIn((await site.get(`/papers/${OLD}`)).body);
    await gone.form(`/papers/${OLD}/vote`, { _csrf: tg });
    expect(votesIn((await site.get(`/papers/${OLD}`)).body)).toBe(before + 1);
    await gone.get('/me');
    expect((await gone.form('/me/delete', { _csrf: gone.csrf(), sure: 'yes' })).statusCode).toBe(200);
    const page = (await site.get(`/papers/${OLD}`)).body;
    expect(page).toContain('Words that stay');
    expect(page).not.toContain('Leaving Soon');
    expect(page).toContain('a former member');
    expect(votesIn(page)).toBe(before + 1);
  });

  it('casts and withdraws votes through the API with a personal access token, and only with one', async () => {
    const b = await member('api-voter@example.org');
    await b.get('/me');
    const made = await b.form('/me/tokens', { name: 'script', _csrf: b.csrf() });
    const token = /<code class="new-token">(pb_[A-Za-z0-9_-]{43})<\/code>/.exec(made.body)![1]!;
    const api = (method: 'POST' | 'DELETE', headers: Record<string, string>) => site.app.inject({ method, url: `/api/v1/papers/${encodeURIComponent(OLD)}/vote`, headers });
    const before = (await site.get(`/api/v1/papers/${OLD}`)).json().votes as number;
    const cast = await api('POST', { authorization: `Bearer ${token}` });
    expect([cast.statusCode, cast.json()]).toEqual([200, { paperId: OLD, voted: true, votes: before + 1 }]);
    expect((await api('POST', { authorization: `Bearer ${token}` })).json().votes).toBe(before + 1);
    const withdrawn = await api('DELETE', { authorization: `Bearer ${token}` });
    expect(withdrawn.json()).toEqual({ paperId: OLD, voted: false, votes: before });
    const none = await api('POST', {});
    expect([none.statusCode, none.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
    // a browser's session is not a token here
    const bySession = await api('POST', { cookie: `${SESSION}=${b.cookie(SESSION)}` });
    expect(bySession.statusCode).toBe(401);
    const bad = await site.app.inject({ method: 'POST', url: '/api/v1/papers/nonsense/vote', headers: { authorization: `Bearer ${token}` } });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'INVALID_PARAMETER']);
    // and the token acts through the API only: the site's forms want a signed-in browser
    const formWithToken = await site.app.inject({
      method: 'POST',
      url: `/papers/${OLD}/comments`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'body=posted+with+a+token',
    });
    expect(formWithToken.statusCode).toBe(403);
    expect((await site.app.inject({ method: 'GET', url: '/me/library', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(403);
  });

  it('leaves the exact count when 50 readers vote on one paper at once through HTTP', async () => {
    const now = site.clock.now.toISOString();
    const readers = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const account = (await opened.accounts.ensureAccount({ id: newId(), email: `crowd-${i}@example.org`, displayName: `crowd ${i}`, now })).account;
        const secret = newSecret();
        await opened.accounts.startSession({ hash: secretHash(secret), accountId: account.id, createdAt: now, expiresAt: new Date(site.clock.now.getTime() + 10 * DAY_MS).toISOString() });
        const b = new CookieBrowser(site.app);
        b.jar.set(SESSION, secret);
        await b.get(`/papers/${PAPER}`);
        return { b, token: b.csrf() };
      }),
    );
    const before = votesIn((await site.get(`/papers/${PAPER}`)).body);
    const answers: LightMyRequestResponse[] = await Promise.all(readers.map(({ b, token }) => json(b, `/papers/${PAPER}/vote`, { _csrf: token })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(50).fill(200));
    expect(answers.every((a) => a.json().voted === true)).toBe(true);
    expect(new Set(answers.map((a) => a.json().votes)).size).toBe(50); // each saw its own vote counted once
    expect(votesIn((await site.get(`/papers/${PAPER}`)).body)).toBe(before + 50);
    expect((await opened.votes.talliesOf([PAPER])).get(PAPER)!.votes).toBe(before + 50);
  });

  describe('with per-client and per-account limits', () => {
    let limited: InboxSite;
    beforeAll(async () => {
      limited = await buildInboxSite(opened, { community: true, env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0', PAPERBOY_COMMENT_RATE_LIMIT: '2', PAPERBOY_VOTE_RATE_LIMIT: '3' } });
      limited.clock.now = new Date(site.clock.now.getTime());
    });
    afterAll(() => limited?.close());

    it('answers 429 with Retry-After past the limits', async () => {
      const b = await signInAs(limited, 'limits@example.org');
      const other = await signInAs(limited, 'limits-2@example.org');
      limited.clock.now = new Date(limited.clock.now.getTime() + 8 * DAY_MS); // past the new accounts' own limits
      await b.get(`/papers/${OLD}`);
      const token = b.csrf();
      const votes = [];
      for (let i = 0; i < 4; i++) votes.push(await json(b, `/papers/${OLD}/vote`, { _csrf: token }));
      expect(votes.map((v) => v.statusCode)).toEqual([200, 200, 200, 429]);
      expect(votes[3]!.headers['retry-after']).toMatch(/^\d+$/);
      expect(votes[3]!.json().error.code).toBe('RATE_LIMITED');
      // comment forms: per client address, whoever is signed in
      await other.get(`/papers/${OLD}`);
      const codes = [];
      const to = other.csrf();
      for (let i = 0; i < 2; i++) codes.push((await other.form(`/papers/${OLD}/comments`, { _csrf: to, body: `x${i}` })).statusCode);
      const third = await other.form(`/papers/${OLD}/comments`, { _csrf: to, body: 'x2' }, { accept: 'application/json' });
      expect([...codes, third.statusCode]).toEqual([303, 303, 429]);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(3500);
      expect(third.json().error).toEqual({ code: 'RATE_LIMITED', message: 'more than 2 comment forms an hour from this address; try again later' });
      // the limit is the address's, over every comment form: an action on a comment counts too
      expect((await other.form(`/papers/${OLD}/comments/1/report`, { _csrf: to, reason: 'x' })).statusCode).toBe(429);
    });
  });

  describe('with pages rendered ahead', () => {
    let ahead: InboxSite;
    beforeAll(async () => {
      ahead = await buildInboxSite(opened, { community: true, env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0', PAPERBOY_PAGES_AHEAD: 'true', PAPERBOY_VOTE_RATE_LIMIT: '0' } });
      ahead.clock.now = new Date(site.clock.now.getTime());
      await readServices(opened).related.refresh();
      await ahead.app.pagesAhead!.refresh();
    }, 120_000);
    afterAll(() => ahead?.close());

    it('serves anonymous readers the stored page while a paper has no votes, and a signed-in reader always their own', async () => {
      const id = '2606.90001';
      const layout = ahead.app.pagesAhead!.layout;
      const stored = await opened.store.storedPage(id, layout, SIMILAR);
      expect(stored).not.toBeNull();
      const anon = await ahead.get(`/papers/${id}`);
      expect(String(anon.headers.etag)).toContain(stored!.etag);
      expect(tokenIn(anon.body)).toBeNull();
      const b = await signInAs(ahead, 'ahead@example.org');
      const mine = await b.get(`/papers/${id}`);
      expect(mine.headers['cache-control']).toBe('no-store');
      expect(tokenIn(mine.body)).not.toBeNull();
      expect((await json(b, `/papers/${id}/vote`, { _csrf: tokenIn(mine.body)! })).json()).toEqual({ voted: true, votes: 1 });
      const after = await ahead.get(`/papers/${id}`);
      expect(votesIn(after.body)).toBe(1);
      expect(String(after.headers.etag)).not.toContain(stored!.etag);
      expect(tokenIn(after.body)).toBeNull();
    });
  });
});
