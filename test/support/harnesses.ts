/** Every store adapter the service and end-to-end suites run against. */
import { postgresHarness } from './postgres-harness.js';
import { sqliteHarness } from './sqlite-harness.js';
import type { StoreHarness } from './store-harness.js';

export const STORE_HARNESSES: StoreHarness[] = [sqliteHarness, await postgresHarness()];
