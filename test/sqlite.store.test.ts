import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/adapters/db/open-store.js';
import type { SqliteStore } from '../src/adapters/db/sqlite.store.js';
import { parseQuery } from '../src/core/query.js';
import { storeContracts } from './contracts/store-contracts.js';
import { samplePaper, write } from './support/papers.js';
import { sqliteHarness, sqliteHarnessWith, tempDbPath } from './support/sqlite-harness.js';

storeContracts(sqliteHarness);
// what `paperboy serve` opens: the same contracts, reading through a memory map
storeContracts(sqliteHarnessWith('sqlite, memory-mapped', { mmapBytes: 64 * 1024 * 1024 }));

describe('openDatabase on SQLite', () => {
  it('maps the file into memory for a serving process only', async () => {
    const mmap = async (serving: boolean) => {
      const store = (await openDatabase(tempDbPath(), { serving, create: true })).store as SqliteStore;
      try {
        return store.connection.pragma('mmap_size', { simple: true }) as number;
      } finally {
        await store.close();
      }
    };
    expect(await mmap(false)).toBe(0);
    expect(await mmap(true)).toBeGreaterThanOrEqual(1024 ** 3);
  });

  it('builds the store and its search index together, on the same file', async () => {
    const { store, index } = await openDatabase(tempDbPath(), { create: true });
    try {
      await store.migrate();
      await store.transaction((tx) => tx.savePapers([write(samplePaper('2405.15738', { title: 'Wombat burrows' }))], []));
      const found = await index.search({ query: parseQuery('wombat'), sort: 'relevance', limit: 10, offset: 0 });
      expect(found.hits.map((h) => h.paper.id)).toEqual(['2405.15738']);
    } finally {
      await store.close();
    }
  });
});
