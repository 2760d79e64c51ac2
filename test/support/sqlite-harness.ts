/**
 * Fresh SQLite stores for tests: a real database file in a temporary directory per store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqlite, SqliteStore, type SqliteStoreOptions } from '../../src/adapters/db/sqlite.store.js';
import type { StoreHarness } from './store-harness.js';

export function tempDbPath(name = 'paperboy.db'): string {
  return join(mkdtempSync(join(tmpdir(), 'paperboy-test-')), name);
}

/** Stores opened with `opts` (the serving process maps the file: `mmapBytes`). */
export function sqliteHarnessWith(name: string, opts: SqliteStoreOptions): StoreHarness {
  return {
    name,
    async open() {
      const path = tempDbPath();
      const { store, index, inbox, vectors, comments, votes, accounts, submissions, library, passkeys, operations } = openSqlite(path, opts);
      await store.migrate();
      return {
        store,
        index,
        inbox,
        vectors,
        comments,
        votes,
        accounts,
        submissions,
        library,
        passkeys,
        operations,
        url: path,
        reopen: async () => new SqliteStore(path, opts),
        reopenDatabase: async () => openSqlite(path, opts),
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
}

export const sqliteHarness = sqliteHarnessWith('sqlite', {});
