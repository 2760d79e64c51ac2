/**
 * The set-up every contract suite shares: a fresh store from the harness for each test, and after
 * it every store the test opened on that database (through reopen()) closed, then the store,
 * then the database dropped.
 */
import { afterEach, beforeEach } from 'vitest';
import type { PaperStore } from '../../src/ports/paper-store.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';

/** Hands each test's store to `use` before it runs; its reopen() is closed after the test too. */
export function storePerTest(harness: StoreHarness, use: (opened: OpenedStore) => void): void {
  let current: { opened: OpenedStore; others: PaperStore[] } | null = null;
  beforeEach(async () => {
    const opened = await harness.open();
    const others: PaperStore[] = [];
    current = { opened, others };
    use({
      ...opened,
      reopen: async () => {
        const store = await opened.reopen();
        others.push(store);
        return store;
      },
      reopenDatabase: async () => {
        const db = await opened.reopenDatabase();
        others.push(db.store);
        return db;
      },
    });
  });
  afterEach(async () => {
    if (current === null) return;
    const { opened, others } = current;
    current = null;
    for (const s of others) await s.close();
    await opened.store.close();
    await opened.drop();
  });
}
