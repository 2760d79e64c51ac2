/**
 * Opening and closing a store: what the composition root (container.ts) and the commands that
 * own a store's life call. Contract: test/contracts/store-lifecycle.contract.ts.
 */
/** A migration about to be applied, as migrate() reports it: a long one should not look like a hang. */
export interface MigrationStep {
  version: number;
  name: string;
  /** the schema version the database had when migrate() began (0: a new database) */
  from: number;
}

export interface StoreLifecycle {
  /**
   * Applies pending migrations, each announced to `onStep` just before it runs; refuses
   * (DB_TOO_NEW) a database migrated by newer code.
   */
  migrate(onStep?: (step: MigrationStep) => void): Promise<{ from: number; to: number }>;
  /** Waits for the writes queued, then closes the connections. */
  close(): Promise<void>;
}
