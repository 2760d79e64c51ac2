/**
 * The PaperReads contract (papers by id): what every store adapter must do, run on each of them
 * (test/sqlite.store.test.ts, test/postgres.store.test.ts). The other ports serve to set up and
 * look: a store implements them all.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PaperStore } from '../../src/ports/paper-store.js';
import { samplePaper, saveFeaturedPapers, write } from '../support/papers.js';
import type { StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

export function paperReadsContract(harness: StoreHarness): void {
  describe(`PaperReads contract: ${harness.name}`, () => {
    let store: PaperStore;
    storePerTest(harness, (o) => {
      store = o.store;
    });

    it('round-trips every field of a paper, old-style ids and unicode included', async () => {
      const a = samplePaper('2405.15738');
      const b = samplePaper('hep-th/9901001', { hf: { ...a.hf, upvotes: null, aiKeywords: null }, codeUrl: null });
      await store.transaction((tx) => tx.savePapers([write(a), write(b)], []));
      expect(await store.getPaper('2405.15738')).toEqual(a);
      expect(await store.getPaper('hep-th/9901001')).toEqual(b);
      expect(await store.getPaper('2405.00000')).toBeNull();
    });

    describe('papers by id', () => {
      beforeEach(() => saveFeaturedPapers(store));

      it('loads a batch of papers by id, unknown ids left out', async () => {
        const got = await store.getPapers(['2606.00003', '2606.99999', '2606.00004']);
        expect([...got.keys()].sort()).toEqual(['2606.00003', '2606.00004']);
        expect(got.get('2606.00003')?.versions).toHaveLength(2);
        expect((await store.getPapers([])).size).toBe(0);
      });
    });
  });
}
