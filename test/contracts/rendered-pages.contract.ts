/**
 * The RenderedPages contract (paper pages rendered ahead): what every store adapter must do, run on each of them
 * (test/sqlite.store.test.ts, test/postgres.store.test.ts). The other ports serve to set up and
 * look: a store implements them all.
 */
import { describe, expect, it } from 'vitest';
import type { PaperStore } from '../../src/ports/paper-store.js';
import { samplePaper, write } from '../support/papers.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

export function renderedPagesContract(harness: StoreHarness): void {
  describe(`RenderedPages contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let store: PaperStore;
    storePerTest(harness, (o) => {
      opened = o;
      store = o.store;
    });

    it('looks at a bounded window of papers at a time, saying where the next one starts, stale pages or none', async () => {
      const ids = ['2405.00011', '2405.00012', '2405.00013', '2405.00014', '2405.00015'];
      await store.transaction((tx) => tx.savePapers(ids.map((id) => write(samplePaper(id))), []));
      await store.saveRelated(ids.map((id, i) => ({ id, related: [ids[(i + 1) % ids.length]!] })));
      // the third paper's page stored and current: the window holding it alone has no page to render
      const third = await store.pagesToRender('W', 1, ids[1]!, 1);
      expect(third).toEqual({ pages: [expect.objectContaining({ id: ids[2] })], through: ids[2] });
      await store.savePages(third.pages.map((i) => ({ ...i, layout: 'W', etag: 'e', body: Buffer.from('x') })));
      expect(await store.pagesToRender('W', 1, ids[1]!, 1)).toEqual({ pages: [], through: ids[2] });
      const windows: { through: string; pages: string[] }[] = [];
      for (let after = ''; ; ) {
        const w = await store.pagesToRender('W', 1, after, 2);
        if (w.through === null) break;
        windows.push({ through: w.through, pages: w.pages.map((p) => p.id) });
        after = w.through;
      }
      expect(windows).toEqual([
        { through: ids[1], pages: [ids[0], ids[1]] },
        { through: ids[3], pages: [ids[3]] },
        { through: ids[4], pages: [ids[4]] },
      ]);
    });

    it('keeps pages rendered ahead while their paper and related list stay, and lists those to render again', async () => {
      const tick = () => new Promise((r) => setTimeout(r, 5)); // modification times have millisecond resolution
      const [a, b, c, d] = ['2405.00001', '2405.00002', '2405.00003', 'hep-th/9901001'].map((id) => samplePaper(id));
      await store.transaction((tx) => tx.savePapers([a, b, c, d].map((p) => write(p!)), []));
      await store.saveRelated([
        { id: a!.id, related: [b!.id, c!.id] },
        { id: b!.id, related: [a!.id] },
        { id: d!.id, related: [c!.id, b!.id] },
      ]); // c has no list: its page is rendered on request
      const pending = async (layout = 'L1', after = '') => (await store.pagesToRender(layout, 1, after, 10)).pages.map((p) => p.id);
      expect(await pending()).toEqual([a!.id, b!.id, d!.id]);
      expect(await pending('L1', a!.id)).toEqual([b!.id, d!.id]);
      expect(await store.storedPage(a!.id, 'L1')).toBeNull();

      const version = await store.dataVersion();
      const body = (id: string) => Buffer.from(`<compressed page of ${id}>\u0000\u00ff`, 'latin1');
      const inputs = (await store.pagesToRender('L1', 1, '', 10)).pages;
      await store.savePages(inputs.map((i) => ({ ...i, layout: 'L1', etag: `e-${i.id}`, body: body(i.id) })));
      expect(await store.dataVersion()).toBe(version); // no paper changed: pages cached in memory stay good
      expect(await pending()).toEqual([]);
      const stored = await store.storedPage(a!.id, 'L1');
      expect(stored).toEqual({ etag: `e-${a!.id}`, body: body(a!.id) });
      expect(Buffer.isBuffer(stored!.body)).toBe(true);
      expect(await store.storedPage(d!.id, 'L1')).toEqual({ etag: `e-${d!.id}`, body: body(d!.id) });
      expect(await store.storedPage(c!.id, 'L1')).toBeNull();
      // another layout (a new release, another public URL): every page anew
      expect(await store.storedPage(a!.id, 'L2')).toBeNull();
      expect(await pending('L2')).toEqual([a!.id, b!.id, d!.id]);

      // the paper changes: its stored page is stale at once, and listed
      await tick();
      await store.transaction((tx) => tx.savePapers([write({ ...a!, title: 'A new title' })], []));
      expect(await store.storedPage(a!.id, 'L1')).toBeNull();
      // b shows a as its first similar paper: listed too, though its stored page still answers
      expect(await pending()).toEqual([a!.id, b!.id]);
      expect(await store.storedPage(b!.id, 'L1')).not.toBeNull();
      // d shows c first (limit 1): a change of b, its second, does not matter to it
      await store.savePages((await store.pagesToRender('L1', 1, '', 10)).pages.map((i) => ({ ...i, layout: 'L1', etag: 'e2', body: body(i.id) })));
      expect(await pending()).toEqual([]);
      await tick();
      await store.transaction((tx) => tx.savePapers([write({ ...b!, title: 'B changed' })], []));
      expect(await pending()).toEqual([a!.id, b!.id]);
      // …until c, which it shows, is deleted: then it shows b
      await store.savePages((await store.pagesToRender('L1', 1, '', 10)).pages.map((i) => ({ ...i, layout: 'L1', etag: 'e3', body: body(i.id) })));
      await tick();
      await store.transaction((tx) => tx.savePapers([write({ ...c!, deleted: true })], []));
      expect(await pending()).toEqual([d!.id]); // a shows b (limit 1), d showed c
      expect(await store.storedPage(d!.id, 'L1')).not.toBeNull(); // its paper and list are unchanged

      // a new related list: stale at once
      await store.saveRelated([{ id: d!.id, related: [b!.id] }]);
      expect(await store.storedPage(d!.id, 'L1')).toBeNull();
      // a deleted paper's page is never served, and goes with its list when a computation ends
      // (deleted and brought back behind the store's back: its modification time stays)
      await store.savePages((await store.pagesToRender('L1', 1, '', 10)).pages.map((i) => ({ ...i, layout: 'L1', etag: 'e4', body: body(i.id) })));
      expect(await store.storedPage(b!.id, 'L1')).not.toBeNull();
      const flip = `UPDATE papers SET deleted = NOT deleted WHERE id = '${b!.id}'`;
      await opened.exec(flip);
      expect(await store.storedPage(b!.id, 'L1')).toBeNull();
      expect(await pending()).not.toContain(b!.id);
      await store.finishRelated({ contentVersion: await store.contentVersion(), computedAt: '2026-11-23T10:00:00.000Z', papers: 2 });
      await opened.exec(flip);
      await store.saveRelated([{ id: b!.id, related: [a!.id] }]); // the list it had
      expect(await store.storedPage(b!.id, 'L1')).toBeNull(); // its page went with the list
      expect(await store.storedPage(a!.id, 'L1')).not.toBeNull(); // others' stay
    });
  });
}
