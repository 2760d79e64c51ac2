import { describe, expect, it } from 'vitest';
import { openStore } from '../src/adapters/db/open-store.js';
import type { SqliteStore } from '../src/adapters/db/sqlite.store.js';
import { paperStoreContract } from './paper-store.contract.js';
import { sqliteHarness, sqliteHarnessWith, tempDbPath } from './support/sqlite-harness.js';

paperStoreContract(sqliteHarness);
// what `paperboy serve` opens: the same contract, reading through a memory map
paperStoreContract(sqliteHarnessWith('sqlite, memory-mapped', { mmapBytes: 64 * 1024 * 1024 }));

describe('openStore on SQLite', () => {
  it('maps the file into memory for a serving process only', async () => {
    const mmap = async (serving: boolean) => {
      const store = (await openStore(tempDbPath(), { serving })) as SqliteStore;
      try {
        return store.connection.pragma('mmap_size', { simple: true }) as number;
      } finally {
        await store.close();
      }
    };
    expect(await mmap(false)).toBe(0);
    expect(await mmap(true)).toBeGreaterThanOrEqual(1024 ** 3);
  });
});
