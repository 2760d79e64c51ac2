/**
 * The ListingReads contract (days, ranking signals, the data version): what every store adapter must do, run on each of them
 * (test/sqlite.store.test.ts, test/postgres.store.test.ts). The other ports serve to set up and
 * look: a store implements them all.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PaperStore } from '../../src/ports/paper-store.js';
import { onDay, samplePaper, saveFeaturedPapers, write } from '../support/papers.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

export function listingReadsContract(harness: StoreHarness): void {
  describe(`ListingReads contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let store: PaperStore;
    storePerTest(harness, (o) => {
      opened = o;
      store = o.store;
    });

    it('lists a day’s papers most upvoted first, without deleted ones, and knows the latest day', async () => {
      const day = '2025-03-04';
      const mk = (id: string, upvotes: number | null, deleted = false) =>
        samplePaper(id, { deleted, hf: { ...samplePaper(id).hf, upvotes, featuredOn: day } });
      await store.transaction((tx) =>
        tx.savePapers(
          [mk('2503.00001', 3), mk('2503.00002', 50), mk('2503.00003', null), mk('2503.00004', 99, true), write(samplePaper('2401.00001', { hf: { ...samplePaper('x').hf, featuredOn: '2024-01-02' } })).paper].map(write),
          [],
        ),
      );
      expect(await store.latestDay()).toBe(day);
      const listed = await store.papersOnDay(day, 10);
      expect(listed.map((p) => p.id)).toEqual(['2503.00002', '2503.00001', '2503.00003']);
      expect(listed[0]?.versions).toHaveLength(2);
      expect((await store.papersOnDay(day, 1)).map((p) => p.id)).toEqual(['2503.00002']);
      expect(await store.papersOnDay('1999-01-01', 10)).toEqual([]);
    });

    describe('listing reads', () => {
      beforeEach(() => saveFeaturedPapers(store));

      it('reads the ranking signals of a range of days, without deleted papers', async () => {
        const signals = await store.rankingSignals('2026-06-27', '2026-06-30');
        expect(signals.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
          { id: '2606.00002', day: '2026-06-29', upvotes: null, submittedAt: '2026-06-29T08:00:00.000Z' },
          { id: '2606.00003', day: '2026-06-29', upvotes: 7, submittedAt: '2026-06-29T08:00:00.000Z' },
        ]);
        expect(await store.rankingSignals('2026-06-26', '2026-06-26')).toHaveLength(1);
        expect(await store.rankingSignals('2026-02-30', '2026-02-31')).toEqual([]);
      });

      it('finds the nearest non-empty day before and after, skipping empty and deleted-only days', async () => {
        expect(await store.nearestDay('2026-06-29', 'before')).toBe('2026-06-26');
        expect(await store.nearestDay('2026-06-29', 'after')).toBe('2026-07-01');
        expect(await store.nearestDay('2026-06-26', 'before')).toBeNull();
        expect(await store.nearestDay('2026-07-01', 'after')).toBeNull();
      });

      it('counts papers per day of a range, leaving empty days out', async () => {
        expect(await store.dayCounts('2026-06-01', '2026-06-30')).toEqual([
          { day: '2026-06-26', papers: 1 },
          { day: '2026-06-29', papers: 2 },
        ]);
      });


      it('changes its data version when a paper is written, and only then', async () => {
        const v1 = await store.dataVersion();
        expect(await store.dataVersion()).toBe(v1);
        await new Promise((r) => setTimeout(r, 5)); // a later modification time
        await store.transaction((tx) => tx.savePapers([write(onDay('2606.00006', '2026-07-01', 0))], []));
        const v2 = await store.dataVersion();
        expect(v2).not.toBe(v1);
        expect(await store.dataVersion()).toBe(v2);
      });

      it('sees another handle’s writes in its data version within a second', async () => {
        const v1 = await store.dataVersion();
        const other = await opened.reopen();
        await other.migrate();
        await new Promise((r) => setTimeout(r, 5));
        await other.transaction((tx) => tx.savePapers([write(onDay('2606.00007', '2026-07-01', 0))], []));
        const deadline = Date.now() + 1500;
        while ((await store.dataVersion()) === v1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(await store.dataVersion()).not.toBe(v1);
      });
    });
  });
}
