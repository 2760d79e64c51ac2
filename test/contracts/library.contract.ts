/**
 * The Library contract (saved papers and collections, issue 13, decision 033): saving and read
 * marks per account, collections changed only by their owner, entries newest first, and
 * everything gone with the account. Run on every store adapter.
 */
import { describe, expect, it } from 'vitest';
import type { Library } from '../../src/ports/library.js';
import { saveFeaturedPapers } from '../support/papers.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { anAccount } from './account-fixtures.js';
import { storePerTest } from './store-per-test.js';

const AT = (minute: number) => `2026-07-02T10:${String(minute).padStart(2, '0')}:00.000Z`;

export function libraryContract(harness: StoreHarness): void {
  describe(`Library contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let lib: Library;
    storePerTest(harness, (o) => {
      opened = o;
      lib = o.library;
    });

    it('saves a paper once per account, lists newest first, filters read and unread, and unsaves', async () => {
      await saveFeaturedPapers(opened.store);
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      const bob = await anAccount(opened.accounts, 'bob@example.org');
      expect(await lib.savePaper(ann.id, '2606.00001', AT(1))).toBe(true);
      expect(await lib.savePaper(ann.id, '2606.00001', AT(2))).toBe(false);
      expect(await lib.savePaper(ann.id, '2606.00002', AT(3))).toBe(true);
      expect(await lib.savePaper(bob.id, '2606.00003', AT(3))).toBe(true);
      await expect(lib.savePaper(ann.id, '2607.00404', AT(4))).rejects.toThrow(/no paper 2607\.00404/);
      expect(await lib.markRead(ann.id, '2606.00001', AT(5))).toBe(true);
      expect(await lib.markRead(ann.id, '2606.00003', AT(5))).toBe(false);
      expect(await lib.savedPapers(ann.id, 'all', 10, 0)).toEqual([
        { paperId: '2606.00002', savedAt: AT(3), readAt: null },
        { paperId: '2606.00001', savedAt: AT(1), readAt: AT(5) },
      ]);
      expect((await lib.savedPapers(ann.id, 'unread', 10, 0)).map((s) => s.paperId)).toEqual(['2606.00002']);
      expect((await lib.savedPapers(ann.id, 'read', 10, 0)).map((s) => s.paperId)).toEqual(['2606.00001']);
      expect((await lib.savedPapers(ann.id, 'all', 1, 1)).map((s) => s.paperId)).toEqual(['2606.00001']);
      expect(await lib.savedCounts(ann.id)).toEqual({ saved: 2, unread: 1 });
      expect(await lib.markRead(ann.id, '2606.00001', null)).toBe(true);
      expect(await lib.savedPaper(ann.id, '2606.00001')).toEqual({ paperId: '2606.00001', savedAt: AT(1), readAt: null });
      expect(await lib.unsavePaper(ann.id, '2606.00001')).toBe(true);
      expect(await lib.unsavePaper(ann.id, '2606.00001')).toBe(false);
      expect(await lib.savedPaper(ann.id, '2606.00001')).toBeNull();
      expect(await lib.savedCounts(bob.id)).toEqual({ saved: 1, unread: 1 });
    });

    it('lets only the owner change a collection, and keeps its entries newest first', async () => {
      await saveFeaturedPapers(opened.store);
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      const bob = await anAccount(opened.accounts, 'bob@example.org');
      const made = await lib.createCollection({ id: 'col-1', accountId: ann.id, name: 'Reading <group>', public: false, at: AT(1) });
      expect(made).toEqual({ id: 'col-1', accountId: ann.id, name: 'Reading <group>', public: false, createdAt: AT(1), updatedAt: AT(1), papers: 0 });
      expect(await lib.addToCollection(ann.id, 'col-1', '2606.00001', AT(2))).toBe(true);
      expect(await lib.addToCollection(ann.id, 'col-1', '2606.00001', AT(3))).toBe(false);
      expect(await lib.addToCollection(ann.id, 'col-1', '2606.00004', AT(4))).toBe(true);
      expect(await lib.addToCollection(bob.id, 'col-1', '2606.00002', AT(4))).toBeNull();
      await expect(lib.addToCollection(ann.id, 'col-1', '2607.00404', AT(4))).rejects.toThrow(/no paper 2607\.00404/);
      expect(await lib.collectionEntries('col-1', 10, 0)).toEqual([
        { paperId: '2606.00004', addedAt: AT(4) },
        { paperId: '2606.00001', addedAt: AT(2) },
      ]);
      // a page of them: `limit` after `offset`
      expect(await lib.collectionEntries('col-1', 1, 1)).toEqual([{ paperId: '2606.00001', addedAt: AT(2) }]);
      expect(await lib.collectionEntries('col-1', 1, 2)).toEqual([]);
      expect(await lib.collectionsWith(ann.id, '2606.00001')).toEqual(['col-1']);
      expect(await lib.collectionsWith(bob.id, '2606.00001')).toEqual([]);
      expect(await lib.renameCollection(bob.id, 'col-1', 'Mine now', AT(5))).toBeNull();
      expect(await lib.setCollectionPublic(bob.id, 'col-1', true, AT(5))).toBeNull();
      expect(await lib.removeFromCollection(bob.id, 'col-1', '2606.00001')).toBeNull();
      expect(await lib.deleteCollection(bob.id, 'col-1')).toBe(false);
      expect((await lib.renameCollection(ann.id, 'col-1', 'Robots', AT(6)))?.name).toBe('Robots');
      expect(await lib.setCollectionPublic(ann.id, 'col-1', true, AT(7))).toMatchObject({ public: true, updatedAt: AT(7), papers: 2 });
      expect(await lib.removeFromCollection(ann.id, 'col-1', '2606.00001')).toBe(true);
      expect(await lib.removeFromCollection(ann.id, 'col-1', '2606.00001')).toBe(false);
      await lib.createCollection({ id: 'col-2', accountId: ann.id, name: 'Later', public: false, at: AT(8) });
      expect((await lib.collectionsOf(ann.id)).map((c) => [c.id, c.papers])).toEqual([
        ['col-1', 1],
        ['col-2', 0],
      ]);
      expect(await lib.collectionsOf(bob.id)).toEqual([]);
      expect(await lib.deleteCollection(ann.id, 'col-1')).toBe(true);
      expect(await lib.collection('col-1')).toBeNull();
      expect(await lib.collectionEntries('col-1', 10, 0)).toEqual([]);
    });

    it('makes a collection with its first paper or not at all, and keeps a cap counted with the write across handles', async () => {
      await saveFeaturedPapers(opened.store);
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      const bob = await anAccount(opened.accounts, 'bob@example.org');
      const made = await lib.createCollection({ id: 'col-p', accountId: ann.id, name: 'With one', public: true, at: AT(1), paperId: '2606.00002' });
      expect(made).toMatchObject({ id: 'col-p', papers: 1 });
      expect(await lib.collectionEntries('col-p', 10, 0)).toEqual([{ paperId: '2606.00002', addedAt: AT(1) }]);
      await expect(lib.createCollection({ id: 'col-x', accountId: ann.id, name: 'Nothing', public: true, at: AT(2), paperId: '2607.00404' })).rejects.toThrow(/no paper 2607\.00404/);
      expect(await lib.collection('col-x')).toBeNull();
      const db2 = await opened.reopenDatabase();
      await db2.store.migrate();
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map((i) => (i % 2 === 0 ? lib : db2.library).createCollection({ id: `col-${i}`, accountId: ann.id, name: `C${i}`, public: false, at: AT(3) }, 3)),
      );
      expect(outcomes.filter((c) => c !== null)).toHaveLength(2);
      expect(await lib.collectionsOf(ann.id)).toHaveLength(3);
      expect(await lib.createCollection({ id: 'col-5', accountId: ann.id, name: 'C5', public: false, at: AT(4) }, 3)).toBeNull();
      expect(await lib.createCollection({ id: 'col-6', accountId: bob.id, name: 'Bob\'s', public: false, at: AT(4) }, 3)).toMatchObject({ id: 'col-6' });
    });

    it('deletes an account\'s library and collections with it', async () => {
      await saveFeaturedPapers(opened.store);
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      await lib.savePaper(ann.id, '2606.00001', AT(1));
      await lib.createCollection({ id: 'col-9', accountId: ann.id, name: 'Gone', public: true, at: AT(1) });
      await lib.addToCollection(ann.id, 'col-9', '2606.00001', AT(2));
      await opened.accounts.deleteAccount(ann.id);
      expect(await lib.savedPapers(ann.id, 'all', 10, 0)).toEqual([]);
      expect(await lib.collection('col-9')).toBeNull();
      expect(await lib.collectionEntries('col-9', 10, 0)).toEqual([]);
    });
  });
}
