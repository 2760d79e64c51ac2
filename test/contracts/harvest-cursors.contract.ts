/**
 * The HarvestCursors contract (where each harvest source stopped): what every store adapter must do, run on each of them
 * (test/sqlite.store.test.ts, test/postgres.store.test.ts). The other ports serve to set up and
 * look: a store implements them all.
 */
import { describe, expect, it } from 'vitest';
import type { PaperStore } from '../../src/ports/paper-store.js';
import type { StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

export function harvestCursorsContract(harness: StoreHarness): void {
  describe(`HarvestCursors contract: ${harness.name}`, () => {
    let store: PaperStore;
    storePerTest(harness, (o) => {
      store = o.store;
    });

    it('remembers a cursor per source as JSON, replacing the previous one', async () => {
      expect(await store.getCursor('hf-daily')).toBeNull();
      await store.transaction((tx) => tx.setCursor('hf-daily', { lastCompleteDay: '2026-06-28' }));
      await store.transaction((tx) => tx.setCursor('hf-daily', { lastCompleteDay: '2026-06-29', n: [1, 2] }));
      await store.transaction((tx) => tx.setCursor('arxiv-oai', { sets: { cs: { from: null, resumptionToken: 'a|1' } } }));
      expect(await store.getCursor('hf-daily')).toEqual({ lastCompleteDay: '2026-06-29', n: [1, 2] });
      expect(await store.getCursor('arxiv-oai')).toEqual({ sets: { cs: { from: null, resumptionToken: 'a|1' } } });
    });
  });
}
