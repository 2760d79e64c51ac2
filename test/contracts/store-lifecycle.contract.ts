/**
 * The StoreLifecycle contract (migrate and close: what the composition root calls): what every store adapter must do, run on each of them
 * (test/sqlite.store.test.ts, test/postgres.store.test.ts). The other ports serve to set up and
 * look: a store implements them all.
 */
import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/core/errors.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

export function storeLifecycleContract(harness: StoreHarness): void {
  describe(`StoreLifecycle contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    storePerTest(harness, (o) => {
      opened = o;
    });

    it('migrates once: a second migrate applies nothing', async () => {
      const again = await opened.reopen();
      const r = await again.migrate();
      expect(r.from).toBe(r.to);
      expect(r.to).toBeGreaterThanOrEqual(1);
      expect((await again.stats()).schemaVersion).toBe(r.to);
    });

    it('refuses a database migrated by newer code, with a clear message', async () => {
      await opened.exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', '2030-01-01')`);
      const again = await opened.reopen();
      const err = await again.migrate().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PaperboyError);
      expect((err as PaperboyError).code).toBe('DB_TOO_NEW');
      expect((err as Error).message).toMatch(/schema version 999.*newer release/);
    });
  });
}
