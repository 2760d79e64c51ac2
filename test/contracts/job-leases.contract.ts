/**
 * The JobLeases contract (one holder per job): what every store adapter must do, run on each of them
 * (test/sqlite.store.test.ts, test/postgres.store.test.ts). The other ports serve to set up and
 * look: a store implements them all.
 */
import { describe, expect, it } from 'vitest';
import type { PaperStore } from '../../src/ports/paper-store.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

export function jobLeasesContract(harness: StoreHarness): void {
  describe(`JobLeases contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let store: PaperStore;
    storePerTest(harness, (o) => {
      opened = o;
      store = o.store;
    });

    it('gives a lease to one holder at a time, until it is released or runs out', async () => {
      const version = await store.dataVersion();
      expect(await store.takeLease('harvest', 'node-a', 60)).toBe(true);
      expect(await store.takeLease('harvest', 'node-b', 60)).toBe(false);
      expect(await store.takeLease('related', 'node-b', 60)).toBe(true); // another job, its own lease
      expect(await store.takeLease('harvest', 'node-a', 60)).toBe(true); // the holder extends it
      await store.releaseLease('harvest', 'node-b'); // not b's to give up
      expect(await store.takeLease('harvest', 'node-b', 60)).toBe(false);
      await store.releaseLease('harvest', 'node-a');
      expect(await store.takeLease('harvest', 'node-b', 0)).toBe(true);
      await new Promise((r) => setTimeout(r, 20)); // b's lease of 0 s has run out
      expect(await store.takeLease('harvest', 'node-a', 60)).toBe(true);
      expect(await store.dataVersion()).toBe(version); // pages show nothing of it
    });

    it('says how long a held lease has left, by the database clock', async () => {
      expect(await store.leaseLeft('harvest')).toBeNull();
      expect(await store.takeLease('harvest', 'node-a', 60)).toBe(true);
      const left = await store.leaseLeft('harvest');
      expect(left).toBeGreaterThan(55);
      expect(left).toBeLessThanOrEqual(60);
      expect(await store.leaseLeft('related')).toBeNull();
      expect(await store.takeLease('harvest', 'node-a', 0)).toBe(true);
      await new Promise((r) => setTimeout(r, 20));
      expect(await store.leaseLeft('harvest')).toBe(0); // run out: another may take it now
      await store.releaseLease('harvest', 'node-a');
      expect(await store.leaseLeft('harvest')).toBeNull();
    });

    it('lets only one of two handles taking a lease at once have it', async () => {
      const other = await opened.reopen();
      await other.migrate();
      const won = await Promise.all([store.takeLease('harvest', 'node-a', 60), other.takeLease('harvest', 'node-b', 60)]);
      expect(won.filter(Boolean)).toHaveLength(1);
    });
  });
}
