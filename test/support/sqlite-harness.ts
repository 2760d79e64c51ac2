/**
 * Fresh SQLite stores for tests: a real database file in a temporary directory per store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/adapters/db/sqlite.store.js';
import type { StoreHarness } from './store-harness.js';

export function tempDbPath(name = 'paperboy.db'): string {
  return join(mkdtempSync(join(tmpdir(), 'paperboy-test-')), name);
}

export const sqliteHarness: StoreHarness = {
  name: 'sqlite',
  async open() {
    const path = tempDbPath();
    const store = new SqliteStore(path);
    await store.migrate();
    return {
      store,
      url: path,
      reopen: async () => new SqliteStore(path),
      exec: async (sql: string) => {
        const db = new Database(path);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      drop: async () => {},
    };
  },
};
