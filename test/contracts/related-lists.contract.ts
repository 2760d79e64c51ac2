/**
 * The RelatedLists contract (similar papers computed ahead): what every store adapter must do, run on each of them
 * (test/sqlite.store.test.ts, test/postgres.store.test.ts). The other ports serve to set up and
 * look: a store implements them all.
 */
import { describe, expect, it } from 'vitest';
import type { PaperStore } from '../../src/ports/paper-store.js';
import { samplePaper, write } from '../support/papers.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

export function relatedListsContract(harness: StoreHarness): void {
  describe(`RelatedLists contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let store: PaperStore;
    storePerTest(harness, (o) => {
      opened = o;
      store = o.store;
    });

    it('pages through live papers’ texts by id, deleted papers left out', async () => {
      const ids = ['2405.00003', '2405.00001', 'hep-th/9901001', '2405.00002'];
      await store.transaction((tx) =>
        tx.savePapers(
          [...ids.map((id) => write(samplePaper(id, { title: `Title ${id}` }))), write(samplePaper('2405.00004', { deleted: true }))],
          [],
        ),
      );
      const first = await store.paperTexts('', 2);
      expect(first.map((t) => t.id)).toEqual(['2405.00001', '2405.00002']);
      expect(first[0]).toEqual({ id: '2405.00001', title: 'Title 2405.00001', abstract: samplePaper('x').abstract });
      const rest = await store.paperTexts(first[1]!.id, 10);
      expect(rest.map((t) => t.id)).toEqual(['2405.00003', 'hep-th/9901001']);
      expect(await store.paperTexts('hep-th/9901001', 10)).toEqual([]);
    });

    it('reads a paper’s related papers as cards (id, title, authors), live ones only, in the list’s order', async () => {
      const a = samplePaper('2405.00001', { title: 'Ünïcode & <b>', authors: ['Ada Lovelace', 'Alan Turing'] });
      const b = samplePaper('hep-th/9901001', { authors: null, title: null });
      const gone = samplePaper('2405.00002', { deleted: true });
      await store.transaction((tx) => tx.savePapers([write(a), write(b), write(gone), write(samplePaper('2405.00003'))], []));
      expect(await store.relatedCards('2405.00003', 5)).toBeNull();
      await store.saveRelated([
        { id: '2405.00003', related: ['hep-th/9901001', '2405.00002', '2405.09999', '2405.00001'] },
        { id: 'hep-th/9901001', related: ['2405.00002'] },
        { id: '2405.00001', related: [] },
      ]);
      expect(await store.relatedCards('2405.00003', 5)).toEqual([
        { id: 'hep-th/9901001', title: null, authors: null },
        { id: '2405.00001', title: 'Ünïcode & <b>', authors: ['Ada Lovelace', 'Alan Turing'] },
      ]);
      expect((await store.relatedCards('2405.00003', 1))!.map((c) => c.id)).toEqual(['hep-th/9901001']);
      expect(await store.relatedCards('hep-th/9901001', 5)).toEqual([]); // its only related paper is deleted
      expect(await store.relatedCards('2405.00001', 5)).toEqual([]);

      // a paper page's read: the paper as getPaper gives it, with the same cards
      expect(await store.paperPage('2405.00003', 5)).toEqual({ paper: await store.getPaper('2405.00003'), related: await store.relatedCards('2405.00003', 5) });
      expect((await store.paperPage('2405.00003', 1))!.related!.map((c) => c.id)).toEqual(['hep-th/9901001']);
      expect(await store.paperPage('hep-th/9901001', 5)).toEqual({ paper: b, related: [] });
      expect(await store.paperPage('2405.00002', 5)).toEqual({ paper: gone, related: null }); // deleted, and no list: still answers
      expect(await store.paperPage('2405.09999', 5)).toBeNull();
    });

    it('moves its content version with every write, and not otherwise', async () => {
      const empty = await store.contentVersion();
      expect(await store.contentVersion()).toBe(empty);
      const a = samplePaper('2405.15738');
      await store.transaction((tx) => tx.savePapers([write(a)], []));
      const one = await store.contentVersion();
      expect(one).not.toBe(empty);
      await new Promise((r) => setTimeout(r, 5)); // timestamps have millisecond resolution
      await store.transaction((tx) => tx.savePapers([write({ ...a, title: 'Changed' })], []));
      const changed = await store.contentVersion();
      expect(changed).not.toBe(one);
      await store.saveRelated([{ id: a.id, related: [] }]);
      expect(await store.contentVersion()).toBe(changed);
      // another process sees the same token
      const again = await opened.reopen();
      await again.migrate();
      expect(await again.contentVersion()).toBe(changed);
    });

    it('stores related lists, replaces them, drops those of papers no longer live, and remembers the run', async () => {
      const papers = ['2405.00001', '2405.00002', '2405.00003'].map((id) => samplePaper(id));
      await store.transaction((tx) => tx.savePapers(papers.map(write), []));
      expect(await store.relatedIds('2405.00001')).toBeNull();
      expect(await store.relatedState()).toBeNull();
      const v0 = await store.dataVersion();
      await store.saveRelated([
        { id: '2405.00001', related: ['2405.00003', '2405.00002'] },
        { id: '2405.00002', related: ['2405.00001'] },
        { id: '2405.00003', related: [] },
      ]);
      expect(await store.relatedIds('2405.00001')).toEqual(['2405.00003', '2405.00002']);
      expect(await store.relatedIds('2405.00003')).toEqual([]);
      await store.saveRelated([{ id: '2405.00001', related: ['2405.00002'] }]);
      expect(await store.relatedIds('2405.00001')).toEqual(['2405.00002']);

      await store.transaction((tx) => tx.savePapers([write({ ...papers[1]!, deleted: true })], []));
      const state = { contentVersion: await store.contentVersion(), computedAt: '2026-11-22T10:00:00.000Z', papers: 2 };
      const v1 = await store.dataVersion();
      await store.finishRelated(state);
      // paper pages show these lists: a finished computation shows at once
      expect(await store.dataVersion()).not.toBe(v1);
      expect(await store.dataVersion()).not.toBe(v0);
      expect(await store.relatedIds('2405.00002')).toBeNull();
      expect(await store.relatedIds('2405.00001')).toEqual(['2405.00002']);
      expect(await store.relatedState()).toEqual(state);
      const later = { ...state, computedAt: '2026-11-23T10:00:00.000Z', papers: 3 };
      await store.finishRelated(later);
      expect(await store.relatedState()).toEqual(later);
    });
  });
}
