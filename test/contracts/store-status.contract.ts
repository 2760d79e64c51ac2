/**
 * The StoreStatus contract (stats and health): what every store adapter must do, run on each of them
 * (test/sqlite.store.test.ts, test/postgres.store.test.ts). The other ports serve to set up and
 * look: a store implements them all.
 */
import { describe, expect, it } from 'vitest';
import type { PaperStore } from '../../src/ports/paper-store.js';
import { samplePaper, write } from '../support/papers.js';
import type { StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

export function storeStatusContract(harness: StoreHarness): void {
  describe(`StoreStatus contract: ${harness.name}`, () => {
    let store: PaperStore;
    storePerTest(harness, (o) => {
      store = o.store;
    });

    it('counts papers, versions, deletions and sources in stats', async () => {
      const empty = await store.stats();
      expect(empty).toMatchObject({ papers: 0, versions: 0, deleted: 0, firstDay: null, lastDay: null });
      await store.transaction((tx) =>
        tx.savePapers(
          [write(samplePaper('2405.15738')), write(samplePaper('2405.15739', { deleted: true, hf: { ...samplePaper('x').hf, upvotes: null, featuredOn: '2024-06-03' } }))],
          [
            { id: '2405.15738', source: 'kaggle', hash: 'a' },
            { id: '2405.15738', source: 'hf-daily', hash: 'b' },
            { id: '2405.15739', source: 'kaggle', hash: 'c' },
          ],
        ),
      );
      const s = await store.stats();
      expect(s).toMatchObject({ papers: 2, versions: 4, deleted: 1, withHfSignals: 1, firstDay: '2024-05-28', lastDay: '2024-06-03' });
      expect(s.bySource).toEqual({ kaggle: 2, 'hf-daily': 1 });
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
