import { statSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../src/adapters/db/open-store.js';
import { CHECKPOINT_FALLBACK_PAGES } from '../src/adapters/db/sqlite/wal-checkpointer.js';
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

  it('checkpoints a serving process\'s WAL on a thread of its own, not on the commits of the thread that answers', async () => {
    const path = tempDbPath();
    const { store } = await openDatabase(path, { serving: true, create: true });
    try {
      await store.migrate();
      const conn = (store as SqliteStore).connection;
      expect(conn.pragma('wal_autocheckpoint', { simple: true })).toBe(CHECKPOINT_FALLBACK_PAGES);
      const before = statSync(path).size;
      // about 2,000 pages: past the 1,000 at which the commit itself would checkpoint, short of the fallback
      const abstract = 'Burrowing wombats dig deep. '.repeat(120);
      await store.transaction((tx) => tx.savePapers(Array.from({ length: 2000 }, (_, i) => write(samplePaper(`2405.${String(10000 + i)}`, { abstract }))), []));
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(4 * 1024 ** 2);
      // the file grows only by checkpoints, and nothing here asks for one
      await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before + 4 * 1024 ** 2), { timeout: 10_000, interval: 50 });
    } finally {
      await store.close();
    }
    // a command that writes and exits (ingest, harvest) checkpoints as SQLite does by itself
    const { store: ingest } = await openDatabase(path, {});
    try {
      expect((ingest as SqliteStore).connection.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      await ingest.close();
    }
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
