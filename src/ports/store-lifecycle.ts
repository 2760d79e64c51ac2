/**
 * Opening and closing a store: what the composition root (container.ts) and the commands that
 * own a store's life call. Contract: test/contracts/store-lifecycle.contract.ts.
 */
export interface StoreLifecycle {
  /** Applies pending migrations; refuses (DB_TOO_NEW) a database migrated by newer code. */
  migrate(): Promise<{ from: number; to: number }>;
  /** Waits for the writes queued, then closes the connections. */
  close(): Promise<void>;
}
