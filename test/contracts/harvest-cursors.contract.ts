/**
 * The HarvestCursors contract (where each harvest source stopped): what every store adapter must do, run on each of them
 * (test/sqlite.store.test.ts, test/postgres.store.test.ts). The other ports serve to set up and
 * look: a store implements them all.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaperStore } from '../../src/ports/paper-store.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';

export function harvestCursorsContract(harness: StoreHarness): void {
  describe(`HarvestCursors contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let store: PaperStore;
    const extra: PaperStore[] = [];

    beforeEach(async () => {
      opened = await harness.open();
      store = opened.store;
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await store.close();
      await opened.drop();
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
