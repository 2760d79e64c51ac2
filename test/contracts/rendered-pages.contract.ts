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
      expect(await store.storedPage(a!.id, 'L1', 1)).toBeNull();

      const version = await store.dataVersion();
      const body = (id: string) => Buffer.from(`<compressed page of ${id}>\u0000\u00ff`, 'latin1');
      const inputs = (await store.pagesToRender('L1', 1, '', 10)).pages;
      await store.savePages(inputs.map((i) => ({ ...i, layout: 'L1', etag: `e-${i.id}`, body: body(i.id) })));
      expect(await store.dataVersion()).toBe(version); // no paper changed: pages cached in memory stay good
      expect(await pending()).toEqual([]);
      const stored = await store.storedPage(a!.id, 'L1', 1);
      expect(stored).toEqual({ etag: `e-${a!.id}`, body: body(a!.id) });
      expect(Buffer.isBuffer(stored!.body)).toBe(true);
      expect(await store.storedPage(d!.id, 'L1', 1)).toEqual({ etag: `e-${d!.id}`, body: body(d!.id) });
      expect(await store.storedPage(c!.id, 'L1', 1)).toBeNull();
      // another layout (a new release, another public URL): every page anew
      expect(await store.storedPage(a!.id, 'L2', 1)).toBeNull();
      expect(await pending('L2')).toEqual([a!.id, b!.id, d!.id]);

      // the paper changes: its stored page is stale at once, and listed
      await tick();
      await store.transaction((tx) => tx.savePapers([write({ ...a!, title: 'A new title' })], []));
      expect(await store.storedPage(a!.id, 'L1', 1)).toBeNull();
      // b shows a as its first similar paper: listed too, and its stored page refused at once
      expect(await pending()).toEqual([a!.id, b!.id]);
      expect(await store.storedPage(b!.id, 'L1', 1)).toBeNull();
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
      expect(await store.storedPage(d!.id, 'L1', 1)).toBeNull(); // its paper and list are unchanged, the paper it shows is not

      // a new related list: stale at once
      await store.saveRelated([{ id: d!.id, related: [b!.id] }]);
      expect(await store.storedPage(d!.id, 'L1', 1)).toBeNull();
      // a deleted paper's page is never served, and goes with its list at once
      // (deleted and brought back behind the store's back: its modification time stays)
      await store.savePages((await store.pagesToRender('L1', 1, '', 10)).pages.map((i) => ({ ...i, layout: 'L1', etag: 'e4', body: body(i.id) })));
      expect(await store.storedPage(b!.id, 'L1', 1)).not.toBeNull();
      const flip = `UPDATE papers SET deleted = NOT deleted WHERE id = '${b!.id}'`;
      await opened.exec(flip);
      expect(await store.storedPage(b!.id, 'L1', 1)).toBeNull();
      expect(await pending()).not.toContain(b!.id);
      expect(await store.relatedIds(b!.id)).toBeNull(); // its list went with it
      await store.saveRelated([{ id: b!.id, related: [a!.id] }]); // computed before it was deleted: not stored
      expect(await store.relatedIds(b!.id)).toBeNull();
      await opened.exec(flip);
      await store.saveRelated([{ id: b!.id, related: [a!.id] }]); // the list it had
      expect(await store.storedPage(b!.id, 'L1', 1)).toBeNull(); // its page went with the list
      expect(await store.storedPage(a!.id, 'L1', 1)).not.toBeNull(); // others' stay
    });

    it('queues the papers whose page inputs change, takes them oldest first, and lets a walk start afresh', async () => {
      const tick = () => new Promise((r) => setTimeout(r, 5));
      const ids = ['2406.00001', '2406.00002', '2406.00003', '2406.00004'];
      const papers = ids.map((id) => samplePaper(id));
      const due = async (limit = 10) => {
        const d = await store.duePages('Q', 1, limit);
        return { stale: d.pages.map((p) => p.id), taken: d.taken.length };
      };
      const drain = async () => {
        for (let d = await store.duePages('Q', 1, 10); d.taken.length > 0; d = await store.duePages('Q', 1, 10))
          await store.savePages(d.pages.map((i) => ({ ...i, layout: 'Q', etag: 'e', body: Buffer.from(i.id) })), d.taken);
      };
      expect(await store.walkedLayout()).toBeNull();
      // new papers queue nothing: a page waits for its related list, and writing the list queues it
      await store.transaction((tx) => tx.savePapers(papers.map((p) => write(p)), []));
      expect(await due()).toEqual({ stale: [], taken: 0 });
      await store.saveRelated(ids.slice(0, 3).map((id, i) => ({ id, related: [ids[(i + 1) % 3]!] })));
      expect(await due()).toEqual({ stale: ids.slice(0, 3), taken: 3 });
      // oldest first, a batch at a time: nothing leaves the queue until savePages says so
      const first = await store.duePages('Q', 1, 2);
      expect(first.pages.map((p) => p.id)).toEqual(ids.slice(0, 2));
      expect(await due()).toEqual({ stale: ids.slice(0, 3), taken: 3 });
      // queued again while taken (its list changed): it stays queued when the older entry is done
      await store.saveRelated([{ id: ids[0]!, related: [ids[2]!] }]);
      await store.savePages(first.pages.map((i) => ({ ...i, layout: 'Q', etag: 'e', body: Buffer.from(i.id) })), first.taken);
      expect(await due()).toEqual({ stale: [ids[0], ids[2]], taken: 2 });
      await drain();
      expect(await due()).toEqual({ stale: [], taken: 0 });
      // the same list written again is no change
      await store.saveRelated([{ id: ids[1]!, related: [ids[2]!] }]);
      expect(await due()).toEqual({ stale: [], taken: 0 });
      // the paper changes: queued; deleted: its list and page go with it, nothing to queue
      await tick();
      await store.transaction((tx) => tx.savePapers([write({ ...papers[1]!, title: 'Changed' })], []));
      expect(await due()).toEqual({ stale: [ids[1]], taken: 1 });
      await drain();
      await tick();
      await store.transaction((tx) => tx.savePapers([write({ ...papers[2]!, deleted: true })], []));
      expect(await store.relatedIds(ids[2]!)).toBeNull();
      // a changed paper without a list (the fourth) queues nothing
      await store.transaction((tx) => tx.savePapers([write({ ...papers[3]!, title: 'Also changed' })], []));
      expect(await due()).toEqual({ stale: [], taken: 0 });
      // a page a reader found stale (a similar paper it shows changed): queued by queuePages; the
      // first shows the third (deleted: now nothing), so its page is stale
      expect(await store.storedPage(ids[0]!, 'Q', 1)).toBeNull();
      await store.queuePages([ids[0]!, ids[0]!, ids[3]!]);
      expect(await due()).toEqual({ stale: [ids[0]], taken: 2 });
      // a walk empties the queue first: it sees every change made before it
      await store.startWalk();
      expect(await due()).toEqual({ stale: [], taken: 0 });
      await store.finishWalk('Q');
      expect(await store.walkedLayout()).toBe('Q');
      await store.finishWalk('R');
      expect(await store.walkedLayout()).toBe('R');
    });

    it('queues a paper whose discussion moves', async () => {
      const id = '2406.00011';
      await store.transaction((tx) => tx.savePapers([write(samplePaper(id))], []));
      await store.saveRelated([{ id, related: [] }]);
      await store.startWalk();
      await opened.comments.addComment({ paperId: id, parentId: null, authorId: 'ada', body: 'A first comment', now: '2026-07-01T08:00:01.000Z' });
      const d = await store.duePages('Q', 1, 10);
      expect(d.pages.map((p) => p.id)).toEqual([id]);
      expect(d.pages[0]!.discussion).toBeGreaterThan(0);
    });
  });
}
