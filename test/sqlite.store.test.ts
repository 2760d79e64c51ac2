import { paperStoreContract } from './paper-store.contract.js';
import { sqliteHarness } from './support/sqlite-harness.js';

paperStoreContract(sqliteHarness);
