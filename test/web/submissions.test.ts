/**
 * Submitting papers through the real app (issue 13, decision 032), on SQLite and on the
 * PostgreSQL server, against a local arXiv API serving recorded responses: by id or URL in any
 * spelling, fetched once through the polite client and never duplicated, malformed and unknown
 * ids refused with what to do, the daily quota, CSRF and sign-in, the submitter's (escaped) name
 * on the day's cards, exactly that day's and the paper's own day's cached pages rendered again,
 * and the export and deletion of the submitter's account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { startArxivIdServer, ERROR_ID } from '../support/arxiv-id-server.js';
import type { OpenedStore } from '../support/store-harness.js';
import type { FixtureServer } from '../sources/harness.js';
import { CookieBrowser } from './cookie-browser.js';
import { signedIn as signInAs } from './sign-in.js';
import { openSiteStore } from './site.js';
import { buildInboxSite, type InboxSite } from './subscription-site.js';

describe.each(STORE_HARNESSES)('submitting papers on $name', (harness) => {
  let opened: OpenedStore;
  let site: InboxSite;
  let arxiv: { server: FixtureServer; url: string; asked: () => string[] };
  beforeAll(async () => {
    arxiv = await startArxivIdServer();
    opened = (await openSiteStore(harness)).opened;
    site = await buildInboxSite(opened, { arxivApiUrl: arxiv.url, env: { PAPERBOY_SIGNIN_RATE_LIMIT: '0', PAPERBOY_SUBMISSIONS_PER_DAY: '4' } });
  }, 120_000);
  afterAll(async () => {
    await site?.close();
    await arxiv?.server.close();
    await opened?.store.close();
    await opened?.drop();
  });

  const submit = async (b: CookieBrowser, id: string) => {
    await b.get('/submit');
    return b.form('/submit', { id, _csrf: b.csrf() });
  };

  it('asks for a sign-in and a CSRF token', async () => {
    const anonymous = new CookieBrowser(site.app);
    const page = await anonymous.get('/submit');
    expect([page.statusCode, page.headers.location]).toEqual([303, '/auth/signin']);
    expect((await anonymous.form('/submit', { id: '1309.4668' })).statusCode).toBe(403);
    const b = await signInAs(site, 'nocsrf@example.org');
    const form = await b.get('/submit');
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.body).toContain('name="_csrf"');
    const refused = await b.form('/submit', { id: '1309.4668' });
    expect(refused.statusCode).toBe(403);
    expect(arxiv.asked()).not.toContain('1309.4668');
  });

  it('fetches an unknown paper once from the arXiv API by any spelling, and never duplicates it', async () => {
    const papersBefore = (await opened.store.stats()).papers;
    const ann = await signInAs(site, 'ann@example.org');
    const first = await submit(ann, 'https://arxiv.org/abs/1309.4668v1');
    expect(first.statusCode).toBe(201);
    expect(first.body).toContain('It is on today');
    expect(arxiv.asked()).toEqual(['1309.4668']);
    expect((await opened.store.getPaper('1309.4668'))?.title).toBeTruthy();
    const again = await submit(ann, 'arXiv:1309.4668');
    expect([again.statusCode, again.body.includes('You had submitted')]).toEqual([200, true]);
    const bob = await signInAs(site, 'bob@example.org');
    const second = await submit(bob, 'https://arxiv.org/pdf/1309.4668v1.pdf');
    expect([second.statusCode, second.body.includes('Someone submitted it before you')]).toEqual([201, true]);
    // an old-style id, and a paper stored already (fetched from nowhere)
    expect((await submit(bob, 'nucl-th/9910021v3')).statusCode).toBe(201);
    expect((await submit(bob, '2606.90002')).statusCode).toBe(201);
    expect(arxiv.asked()).toEqual(['1309.4668', 'nucl-th/9910021']);
    expect((await opened.store.stats()).papers).toBe(papersBefore + 2); // the two fetched, each once
  });

  it('refuses malformed and unknown ids saying what to write, and keeps the daily quota', async () => {
    const b = await signInAs(site, 'quota@example.org');
    const malformed = await submit(b, 'not <an> id');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('“not &lt;an&gt; id” is not an arXiv id or URL');
    expect(malformed.body).toContain('value="not &lt;an&gt; id"');
    expect((await submit(b, '2413.12345')).statusCode).toBe(400); // month 13
    const unknown = await submit(b, '2301.00404');
    expect([unknown.statusCode, unknown.body.includes('arXiv has no paper 2301.00404')]).toEqual([404, true]);
    expect((await submit(b, ERROR_ID)).statusCode).toBe(404);
    for (const id of ['1606.02159', '1610.08734', '2102.00018', '0803.1617']) expect((await submit(b, id)).statusCode).toBe(201);
    const over = await submit(b, '1205.6628');
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBe('3600'); // as the API answers it (one answer of a refusal for both)
    expect(over.body).toContain('You have submitted 4 papers in the last 24 hours');
    expect(arxiv.asked()).not.toContain('1205.6628'); // refused before arXiv is asked
    site.clock.now = new Date(site.clock.now.getTime() + 86_400_001);
    expect((await submit(b, '1205.6628')).statusCode).toBe(201);
  });

  it('keeps the daily quota when one account submits many papers at once', async () => {
    const b = await signInAs(site, 'race@example.org');
    const ids = (await site.get('/api/v1/papers/date/2026-06-30')).json<{ papers: { id: string }[] }>().papers.map((p) => p.id).slice(0, 10);
    expect(ids).toHaveLength(10);
    await b.get('/submit');
    const token = b.csrf();
    const answers = await Promise.all(ids.map((id) => b.form('/submit', { id, _csrf: token })));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([...Array<number>(4).fill(201), ...Array<number>(6).fill(429)]);
    const account = await opened.accounts.accountByEmail('race@example.org');
    expect(await opened.submissions.submissionsOf(account!.id)).toHaveLength(4);
  });

  it("leads the submission's day with the paper and the submitter's escaped name, re-rendering that day's pages and the paper's own day's only", async () => {
    const b = await signInAs(site, 'eve@example.org');
    await b.get('/me');
    await b.form('/me', { displayName: '<script>alert("eve")</script> Eve', _csrf: b.csrf() });
    const today = site.clock.now.toISOString().slice(0, 10);
    const own = await site.get('/papers/date/2026-06-30');
    const other = await site.get('/papers/date/2026-06-26');
    expect([own.statusCode, other.statusCode]).toEqual([200, 200]);
    expect((await submit(b, '2606.90001')).statusCode).toBe(201);
    expect((await site.get('/papers/date/2026-06-30', { 'if-none-match': String(own.headers.etag) })).statusCode).toBe(200);
    expect((await site.get('/papers/date/2026-06-26', { 'if-none-match': String(other.headers.etag) })).statusCode).toBe(304);
    const day = await site.get(`/papers/date/${today}`);
    expect(day.statusCode).toBe(200);
    expect(day.body).toContain('/papers/2606.90001');
    expect(day.body).toContain('Submitted by <bdi>&lt;script&gt;alert(&quot;eve&quot;)&lt;/script&gt; Eve</bdi>');
    expect(day.body).not.toContain('<script>alert("eve")');
    const api = (await site.get(`/api/v1/papers/date/${today}`)).json<{ submittedBy: Record<string, string | null> }>();
    expect(api.submittedBy['2606.90001']).toBe('<script>alert("eve")</script> Eve');
    // the Atom feed names the submitter as the entry's contributor, escaped
    const atom = (await site.get(`/feeds/date/${today}.atom`)).body;
    expect(atom).toContain('<contributor><name>&lt;script&gt;alert("eve")&lt;/script&gt; Eve</name></contributor>');
    expect(atom).not.toContain('<script>');
    // RSS names them in dc:contributor, escaped; JSON Feed in the item's _paperboy extension
    const rss = (await site.get(`/feeds/date/${today}.rss`)).body;
    expect(rss).toContain('<dc:contributor>&lt;script&gt;alert("eve")&lt;/script&gt; Eve</dc:contributor>');
    expect(rss).not.toContain('<script>');
    const json = (await site.get(`/feeds/date/${today}.json`)).json<{ items: { id: string; _paperboy?: { submitted_by: string | null } }[] }>();
    expect(json.items.find((i) => i.id.includes('2606.90001'))?._paperboy).toEqual({ submitted_by: '<script>alert("eve")</script> Eve' });
    // a new name shows at once on the cached day page
    await b.get('/me');
    await b.form('/me', { displayName: 'Eve Again', _csrf: b.csrf() });
    expect((await site.get(`/papers/date/${today}`)).body).toContain('Submitted by <bdi>Eve Again</bdi>');
  });

  it("exports the account's submissions, and keeps them without its name once it is deleted", async () => {
    const b = await signInAs(site, 'gone@example.org');
    expect((await submit(b, '1401.3666')).statusCode).toBe(201);
    const exported = JSON.parse((await b.get('/me/export')).body) as { submissions: { paperId: string }[] };
    expect(exported.submissions.map((s) => s.paperId)).toEqual(['1401.3666']);
    await b.get('/me');
    expect((await b.form('/me/delete', { sure: 'yes', _csrf: b.csrf() })).statusCode).toBe(200);
    const day = await site.get(`/papers/date/${site.clock.now.toISOString().slice(0, 10)}`);
    expect(day.body).toContain('/papers/1401.3666');
    expect(day.body).toMatch(/Submitted here<\/p>/);
  });
});
