/**
 * Paper pages rendered ahead (decision 009), on every store: the stored page is the page a
 * request would have rendered, byte for byte, served with its own ETag in every encoding; a
 * changed paper or related list is rendered on request at once, and again ahead by the next
 * refresh, as is a page whose similar paper changed once a reader found it stale; the archive is
 * walked once per layout; a theme cookie or a version suffix is always rendered on request.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readServices } from '../../src/container.js';
import type { PagesAhead } from '../../src/delivery/http/pages-ahead.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { samplePaper, write } from '../support/papers.js';
import { buildSite, useSite, type Site } from './site.js';
import { SIMILAR } from '../../src/delivery/http/page-render.js';

const ID = '2606.90002'; // hand-made: broken and display math, two versions

for (const harness of STORE_HARNESSES) {
  describe(`paper pages rendered ahead: ${harness.name}`, () => {
    const theSite = useSite(harness);
    let site: Site;
    let ahead: PagesAhead;
    /** the page as rendered on request, before any page was rendered ahead */
    let live: string;
    let liveEtag: string;
    /** the papers with a related list, each with a page */
    let withLists = 0;

    const storedEtag = async (id: string) => {
      const page = await site.opened.store.storedPage(id, ahead.layout, SIMILAR);
      return page && `W/"${page.etag}"`;
    };
    const get = (url: string, headers: Record<string, string> = {}) => site.get(url, { 'accept-encoding': 'br', ...headers });
    const text = (r: { rawPayload: Buffer; headers: Record<string, unknown> }) =>
      r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.rawPayload).toString('utf8') : r.rawPayload.toString('utf8');

    /** a write of another paper: a new data version, nothing this page shows */
    const elsewhere = async () => {
      await new Promise((r) => setTimeout(r, 5)); // modification times have millisecond resolution
      await site.opened.store.transaction((tx) => tx.savePapers([write(samplePaper('2401.00001'))], []));
    };

    beforeAll(async () => {
      site = theSite();
      ahead = site.app.pagesAhead!;
      await readServices(site.opened).related.refresh();
      // rendered on request by another node (its own response cache) before any page is rendered ahead
      const other = await buildSite(site.opened, site.ingest);
      const r = await other.get(`/papers/${ID}`, { 'accept-encoding': 'br' });
      await other.close();
      expect(r.statusCode).toBe(200);
      live = text(r);
      liveEtag = String(r.headers.etag);
    }, 60_000);

    it('renders every live paper with a related list once, and then only what changed', async () => {
      expect(await storedEtag(ID)).toBeNull();
      const first = await ahead.refresh();
      const texts = await site.opened.store.paperTexts('', 100_000);
      expect(first).toMatchObject({ walked: true, rendered: texts.length }); // each live paper has a list after the computation
      withLists = texts.length;
      expect(await ahead.refresh()).toMatchObject({ walked: false, rendered: 0 });
      expect(await storedEtag(ID)).not.toBeNull();
    });

    it('serves the stored page: the same bytes, with its own ETag, in every encoding', async () => {
      const etag = await storedEtag(ID);
      const br = await get(`/papers/${ID}`);
      expect(br.statusCode).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers.etag).toBe(etag);
      expect(br.headers.etag).not.toBe(liveEtag);
      expect(br.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(br.headers.vary).toBe('Cookie, Accept-Encoding');
      expect(br.headers['cache-control']).toMatch(/^public, max-age=60/);
      expect(br.headers['content-security-policy']).toBeDefined();
      expect(text(br)).toBe(live);

      const gz = await get(`/papers/${ID}`, { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(live);
      const plain = await get(`/papers/${ID}`, { 'accept-encoding': 'identity' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toBe(live);

      const again = await get(`/papers/${ID}`, { 'if-none-match': etag! });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      // a write elsewhere: the page is read again, and its ETag stays (pages rendered on request change theirs)
      await elsewhere();
      expect((await get(`/papers/${ID}`, { 'if-none-match': etag! })).statusCode).toBe(304);
      expect((await get(`/papers/${ID}`)).headers.etag).toBe(etag);
      const head = await site.app.inject({ method: 'HEAD', url: `/papers/${ID}` });
      expect(head.statusCode).toBe(200);
      expect(head.headers.etag).toBe(etag);
    });

    it('renders on request what is not rendered ahead: a chosen theme, a version, an unknown paper', async () => {
      const etag = await storedEtag(ID);
      const dark = await get(`/papers/${ID}`, { cookie: 'theme=dark' });
      expect(dark.statusCode).toBe(200);
      expect(dark.headers.etag).not.toBe(etag);
      expect(text(dark)).toContain('<html lang="en" data-theme="dark">');
      const v1 = await get(`/papers/${ID}v1`);
      expect(v1.statusCode).toBe(200);
      expect(v1.headers.etag).not.toBe(etag);
      expect(text(v1)).not.toBe(live);
      expect((await get('/papers/2606.99999')).statusCode).toBe(404);
    });

    it('renders a changed paper on request at once, and ahead again at the next refresh', async () => {
      const store = site.opened.store;
      const before = await storedEtag(ID);
      const paper = (await store.getPaper(ID))!;
      await new Promise((r) => setTimeout(r, 5)); // modification times have millisecond resolution
      await store.transaction((tx) => tx.savePapers([write({ ...paper, title: 'Retitled &lt;on purpose&gt;' })], []));
      expect(await storedEtag(ID)).toBeNull();
      const now = await get(`/papers/${ID}`);
      expect(text(now)).toContain('Retitled &amp;lt;on purpose&amp;gt;');
      expect((await ahead.refresh())!.rendered).toBeGreaterThanOrEqual(1);
      // the page rendered on request stays in the response cache until the data changes again
      await elsewhere();
      const after = await get(`/papers/${ID}`);
      expect(after.headers.etag).toBe(await storedEtag(ID));
      expect(after.headers.etag).not.toBe(before);
      expect(text(after)).toBe(text(now));
    });

    it('renders a page whose similar paper changed on request at once, and ahead again once a reader found it stale', async () => {
      const store = site.opened.store;
      const similar = (await store.relatedCards(ID, 1))![0]!;
      const other = (await store.getPaper(similar.id))!;
      const page = await get(`/papers/${ID}`);
      expect(text(page)).toContain(`href="/papers/${other.id}"`);
      await new Promise((r) => setTimeout(r, 5));
      await store.transaction((tx) => tx.savePapers([write({ ...other, title: 'A similar paper, retitled' })], []));
      // the stored page shows the old title: refused at once, and the reader gets the new one
      expect(await storedEtag(ID)).toBeNull();
      const now = await get(`/papers/${ID}`);
      expect(text(now)).toContain('A similar paper, retitled');
      // the read remembered it; queued in the store (where any node's run finds it) before the run
      await ahead.queueMissed();
      expect((await store.duePages(ahead.layout, SIMILAR, 1000)).pages.map((p) => p.id)).toContain(ID);
      // the next run renders the changed paper's own page (queued by the store) and this one (queued by the read), not the archive
      const r = await ahead.refresh();
      expect(r).toMatchObject({ walked: false, rendered: 2 });
      await elsewhere();
      const shown = await get(`/papers/${ID}`);
      expect(shown.headers.etag).toBe(await storedEtag(ID));
      expect(text(shown)).toContain('A similar paper, retitled');
      expect((await ahead.refresh())!.rendered).toBe(0);
    });

    it('walks the whole archive again for a new layout, once', async () => {
      const store = site.opened.store;
      const { PagesAhead } = await import('../../src/delivery/http/pages-ahead.js');
      const next = new PagesAhead(store, async (id) => ({ status: 200, type: 'text/html; charset=utf-8', body: `<p>${id}</p>` }), `${ahead.layout}-next`, SIMILAR);
      expect(await next.refresh()).toMatchObject({ walked: true, rendered: withLists }); // the papers written since have no list yet
      expect(await next.refresh()).toMatchObject({ walked: false, rendered: 0 });
      expect(await store.walkedLayout()).toBe(`${ahead.layout}-next`);
    });
  });
}
