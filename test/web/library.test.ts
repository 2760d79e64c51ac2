/**
 * Readers' libraries and collections through the real app (issue 13, decision 033), on SQLite
 * and on the PostgreSQL server: the paper page's controls for a signed-in reader only (its page
 * then theirs alone, no-store; the shared page untouched), save, mark read and filter, collections
 * made from a paper page, renamed, made public or private, deleted; a private collection a 404 to
 * everyone but its owner, a public one with an Atom feed whose text is escaped; forms refused
 * without their CSRF token; the library exported, and deleted with the account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COLLECTIONS } from '../../src/services/library.service.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { CookieBrowser } from './cookie-browser.js';
import { signedIn as signInAs } from './sign-in.js';
import { openSiteStore, XSS } from './site.js';
import { buildInboxSite, type InboxSite } from './subscription-site.js';

const PAPER = '2606.90002';
const XSS_PAPER = '2606.90001';

describe.each(STORE_HARNESSES)('libraries and collections on $name', (harness) => {
  let opened: OpenedStore;
  let site: InboxSite;
  beforeAll(async () => {
    opened = (await openSiteStore(harness)).opened;
    site = await buildInboxSite(opened, { env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0' } });
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await opened?.store.close();
    await opened?.drop();
  });

  /** The new collection's id, from the Location of the answer to its form. */
  const collectionIn = (location: unknown) => /\/collections\/([A-Za-z0-9_-]+)$/.exec(String(location))![1]!;

  it('shows the library controls on a paper page to a signed-in reader only, on a page that is theirs alone', async () => {
    const shared = await site.get(`/papers/${PAPER}`);
    expect(shared.statusCode).toBe(200);
    expect(shared.body).not.toContain('library-controls');
    expect(shared.body).not.toContain('name="_csrf"');
    expect(shared.headers['cache-control']).not.toBe('no-store');
    const b = await signInAs(site, 'reader@example.org');
    const own = await b.get(`/papers/${PAPER}`);
    expect(own.statusCode).toBe(200);
    expect(own.headers['cache-control']).toBe('no-store');
    expect(own.body).toContain('Save to my library');
    expect(own.body).toContain('Save to a new collection');
    // the shared copy is still the anonymous one
    expect((await site.get(`/papers/${PAPER}`)).body).not.toContain('library-controls');
  });

  it('saves, marks read, filters and removes, each form needing its CSRF token', async () => {
    const b = await signInAs(site, 'saver@example.org');
    await b.get(`/papers/${PAPER}`);
    const csrf = b.csrf(); // good for the session's every form
    expect((await b.form('/me/library/save', { paper: PAPER, back: `/papers/${PAPER}` })).statusCode).toBe(403);
    const saved = await b.form('/me/library/save', { paper: PAPER, back: `/papers/${PAPER}`, _csrf: csrf });
    expect([saved.statusCode, saved.headers.location]).toEqual([303, `/papers/${PAPER}`]);
    expect((await b.get(`/papers/${PAPER}`)).body).toContain('Saved.');
    await b.form('/me/library/save', { paper: `https://arxiv.org/abs/${XSS_PAPER}v1`, _csrf: csrf });
    await b.form('/me/library/read', { paper: PAPER, read: '1', _csrf: csrf });
    const all = await b.get('/me/library');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('2 saved papers, 1 unread');
    expect(all.body).not.toContain(XSS.title); // the title is escaped here too
    const unread = await b.get('/me/library?filter=unread');
    expect(unread.body).toContain(`/papers/${XSS_PAPER}`);
    expect(unread.body).not.toContain(`/papers/${PAPER}"`);
    expect((await b.get('/me/library?filter=read')).body).toContain(`/papers/${PAPER}"`);
    const bad = await b.form('/me/library/save', { paper: 'nonsense', _csrf: csrf });
    expect([bad.statusCode, bad.body.includes('“nonsense” is not an arXiv id')]).toEqual([400, true]);
    const missing = await b.form('/me/library/save', { paper: '2607.00404', _csrf: csrf });
    expect([missing.statusCode, missing.body.includes('No paper 2607.00404 here to save')]).toEqual([404, true]);
    await b.form('/me/library/unsave', { paper: PAPER, _csrf: csrf });
    expect((await b.get('/me/library')).body).toContain('1 saved paper, 1 unread');
    // nobody signed in: to the sign-in page
    expect((await new CookieBrowser(site.app).get('/me/library')).headers.location).toBe('/auth/signin');
  });

  it('keeps a private collection to its owner (a 404 to anyone else), and a public one open with an escaped Atom feed', async () => {
    const owner = await signInAs(site, 'owner@example.org');
    await owner.get(`/papers/${XSS_PAPER}`);
    const ownerCsrf = owner.csrf();
    const made = await owner.form('/me/collections', { name: 'Robots <b>&</b> “friends”', paper: XSS_PAPER, back: `/papers/${XSS_PAPER}`, _csrf: ownerCsrf });
    expect([made.statusCode, made.headers.location]).toEqual([303, `/papers/${XSS_PAPER}`]);
    const page = await owner.get(`/papers/${XSS_PAPER}`);
    expect(page.body).toContain('Remove from <span dir="auto">Robots &lt;b&gt;&amp;&lt;/b&gt; “friends”</span>');
    const id = /action="\/collections\/([A-Za-z0-9_-]+)\/remove"/.exec(page.body)![1]!;
    const mine = await owner.get(`/collections/${id}`);
    expect([mine.statusCode, mine.headers['cache-control']]).toEqual([200, 'no-store']);
    expect(mine.body).toContain('private collection');
    const stranger = await signInAs(site, 'stranger@example.org');
    for (const b of [new CookieBrowser(site.app), stranger]) {
      expect((await b.get(`/collections/${id}`)).statusCode).toBe(404);
      expect((await b.get(`/collections/${id}/feed.atom`)).statusCode).toBe(404);
    }
    expect((await site.get('/collections/no-such-thing')).statusCode).toBe(404);
    // nobody else changes it, even with a valid token of their own
    await stranger.get('/me/library');
    const strangerCsrf = stranger.csrf();
    expect((await stranger.form(`/collections/${id}/visibility`, { public: '1', _csrf: strangerCsrf })).statusCode).toBe(404);
    expect((await stranger.form(`/collections/${id}/add`, { paper: PAPER, _csrf: strangerCsrf })).statusCode).toBe(404);
    expect((await owner.form(`/collections/${id}/visibility`, { public: '1', _csrf: ownerCsrf })).headers.location).toBe(`/collections/${id}`);
    await owner.form(`/collections/${id}/add`, { paper: PAPER, _csrf: ownerCsrf });
    const open = await new CookieBrowser(site.app).get(`/collections/${id}`);
    expect(open.statusCode).toBe(200);
    expect(open.body).toContain('2 papers · public collection by <bdi>owner</bdi>');
    expect(open.body).not.toContain('name="_csrf"');
    expect(open.body).not.toContain('<b>&</b>');
    const feed = await site.get(`/collections/${id}/feed.atom`);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(feed.body).toContain('<title type="text">Paperboy: Robots &lt;b&gt;&amp;&lt;/b&gt; “friends”</title>');
    expect(feed.body).toContain(`<id>https://arxiv.org/abs/${XSS_PAPER}</id>`);
    expect(feed.body).not.toContain('<script>');
    expect(feed.body).not.toContain('<img');
    // renamed, then private again, then deleted
    await owner.form(`/collections/${id}/rename`, { name: 'Robots', _csrf: ownerCsrf });
    expect((await site.get(`/collections/${id}`)).body).toContain('<h1 id="collection-title" dir="auto">Robots</h1>');
    const empty = await owner.form(`/collections/${id}/rename`, { name: '  ', _csrf: ownerCsrf });
    expect([empty.statusCode, empty.body.includes('The collection&#39;s name is empty') || empty.body.includes("The collection's name is empty")]).toEqual([400, true]);
    await owner.form(`/collections/${id}/visibility`, { public: '0', _csrf: ownerCsrf });
    expect((await site.get(`/collections/${id}`)).statusCode).toBe(404);
    expect((await owner.form(`/collections/${id}/delete`, { sure: 'yes', _csrf: ownerCsrf })).headers.location).toBe('/me/library');
    expect((await owner.get(`/collections/${id}`)).statusCode).toBe(404);
    expect(await opened.store.getPaper(XSS_PAPER)).not.toBeNull();
  });

  it('makes no collection when the paper saved to a new one is not here, and keeps the cap on collections made at once', async () => {
    const b = await signInAs(site, 'collector@example.org');
    await b.get(`/papers/${PAPER}`);
    const csrf = b.csrf();
    const missing = await b.form('/me/collections', { name: 'Never made', paper: '2607.00404', back: `/papers/${PAPER}`, _csrf: csrf });
    expect([missing.statusCode, missing.body.includes('No paper 2607.00404 here to add to a collection')]).toEqual([404, true]);
    const account = (await opened.accounts.accountByEmail('collector@example.org'))!;
    expect(await opened.library.collectionsOf(account.id)).toEqual([]);
    // two short of the cap, then five at once: two are made
    for (let i = 0; i < MAX_COLLECTIONS - 2; i++) await opened.library.createCollection({ id: `pre-${i}`, accountId: account.id, name: `Pre ${i}`, public: false, at: '2026-07-01T00:00:00.000Z' });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => b.form('/me/collections', { name: `Race ${i}`, _csrf: csrf })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([303, 303, 400, 400, 400]);
    expect(answers.find((a) => a.statusCode === 400)!.body).toContain(`An account holds at most ${MAX_COLLECTIONS} collections`);
    expect(await opened.library.collectionsOf(account.id)).toHaveLength(MAX_COLLECTIONS);
  });

  it("pages a collection holding more papers than a page, as the listings do (20 a page), newest additions first", async () => {
    const b = await signInAs(site, 'pages@example.org');
    const account = (await opened.accounts.accountByEmail('pages@example.org'))!;
    const ids = (await site.get('/api/v1/papers/month/2026-06?pageSize=45&all=1')).json<{ papers: { id: string }[] }>().papers.map((p) => p.id);
    expect(ids).toHaveLength(45);
    await opened.library.createCollection({ id: 'paged-collection', accountId: account.id, name: 'Many', public: true, at: '2026-07-01T00:00:00.000Z' });
    // added a minute apart: the newest addition (the last id) leads the first page
    for (const [i, id] of ids.entries()) await opened.library.addToCollection(account.id, 'paged-collection', id, new Date(Date.UTC(2026, 6, 1, 1, i)).toISOString());
    const linksIn = (body: string) => [...body.matchAll(/<h2 class="paper-title"><a href="\/papers\/([^"]+)">/g)].map((m) => m[1]);
    const first = await site.get('/collections/paged-collection');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('45 papers');
    expect(linksIn(first.body)).toEqual(ids.slice(25).reverse());
    expect(first.body).toContain('<span>Page 1 of 3</span>');
    expect(first.body).toContain('<a href="/collections/paged-collection?page=2" rel="next">Next page &rsaquo;</a>');
    expect(first.body).not.toContain('rel="prev"');
    const third = await site.get('/collections/paged-collection?page=3');
    expect(linksIn(third.body)).toEqual(ids.slice(0, 5).reverse());
    expect(third.body).toContain('<ol class="collection-papers" start="41">');
    expect(third.body).toContain('<a href="/collections/paged-collection?page=2" rel="prev">&lsaquo; Previous page</a>');
    expect(third.body).not.toContain('rel="next"');
    expect((await site.get('/collections/paged-collection?page=4')).statusCode).toBe(404);
    // the owner's pages page the same way, the forms on each; the feed keeps its newest 200
    expect(linksIn((await b.get('/collections/paged-collection?page=2')).body)).toEqual(ids.slice(5, 25).reverse());
    expect([...(await site.get('/collections/paged-collection/feed.atom')).body.matchAll(/<entry>/g)]).toHaveLength(45);
  });

  it('pages the library as the listings do (50 a page), keeping the filter', async () => {
    const b = await signInAs(site, 'shelves@example.org');
    const account = (await opened.accounts.accountByEmail('shelves@example.org'))!;
    const ids = (await site.get('/api/v1/papers/month/2026-06?pageSize=55&all=1')).json<{ papers: { id: string }[] }>().papers.map((p) => p.id);
    expect(ids).toHaveLength(55);
    for (const [i, id] of ids.entries()) await opened.library.savePaper(account.id, id, new Date(Date.UTC(2026, 6, 1, 1, i)).toISOString());
    for (const id of ids.slice(0, 3)) await opened.library.markRead(account.id, id, '2026-07-02T00:00:00.000Z');
    const first = (await b.get('/me/library')).body;
    expect(first).toContain('<span>Page 1 of 2</span>');
    expect(first).toContain('<a href="/me/library?page=2" rel="next">Next page &rsaquo;</a>');
    const second = (await b.get('/me/library?page=2')).body;
    expect([...second.matchAll(/<li class="library-paper/g)]).toHaveLength(5);
    expect(second).toContain('<a href="/me/library" rel="prev">&lsaquo; Previous page</a>');
    expect((await b.get('/me/library?filter=unread')).body).toContain('<a href="/me/library?filter=unread&amp;page=2" rel="next">');
    expect((await b.get('/me/library?filter=read')).body).not.toContain('class="pagination"');
  });

  it('exports the library with the account, and deletes it with the account', async () => {
    const b = await signInAs(site, 'leaving@example.org');
    await b.get('/me/library');
    const csrf = b.csrf();
    const made = await b.form('/me/collections', { name: 'Public reading', public: '1', _csrf: csrf });
    const id = collectionIn(made.headers.location);
    await b.form(`/collections/${id}/add`, { paper: PAPER, _csrf: csrf });
    await b.form('/me/library/save', { paper: PAPER, _csrf: csrf });
    const exported = JSON.parse((await b.get('/me/export')).body) as { library: { saved: { paperId: string }[]; collections: { id: string; name: string; public: boolean; papers: { paperId: string }[] }[] } };
    expect(exported.library.saved.map((s) => s.paperId)).toEqual([PAPER]);
    expect(exported.library.collections).toMatchObject([{ id, name: 'Public reading', public: true, papers: [{ paperId: PAPER }] }]);
    await b.form('/me/delete', { sure: 'yes', _csrf: csrf });
    expect((await site.get(`/collections/${id}`)).statusCode).toBe(404);
    expect(await opened.library.collection(id)).toBeNull();
  });
});
