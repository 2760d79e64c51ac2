/**
 * The SQLite index keeps the counts of common units between searches (sqlite-fts.index.ts df):
 * they must follow every change to the index, made on this connection or by another process.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/db/sqlite.store.js';
import { SqliteFtsIndex } from '../../src/adapters/search/sqlite-fts.index.js';
import { SearchService } from '../../src/services/search.service.js';
import { kaggleRecord } from '../support/papers.js';
import { tempDbPath } from '../support/sqlite-harness.js';
import { ingestRecords } from './fixtures.js';

const papers = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => kaggleRecord(`2503.${String(from + i).padStart(5, '0')}`, { title: `Numbat survey ${from + i}` }));

describe('SQLite keyword search: counts kept between searches', () => {
  const open: SqliteStore[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  async function opened(path: string) {
    const store = new SqliteStore(path);
    open.push(store);
    await store.migrate();
    // every count is kept (keptDfMin 1), so that a stale one would show
    return { store, search: new SearchService(new SqliteFtsIndex(store, store.connection, { keptDfMin: 1 }), store) };
  }

  it('follows papers indexed here and papers indexed by another connection', async () => {
    const path = tempDbPath();
    const here = await opened(path);
    await ingestRecords(here.store, papers(1, 3));
    expect((await here.search.search({ q: 'numbat' })).total).toBe(3);
    expect((await here.search.search({ q: 'numbat survey' })).total).toBe(3);

    await ingestRecords(here.store, papers(10, 2));
    expect((await here.search.search({ q: 'numbat' })).total).toBe(5);

    // another process writes and indexes: this connection's data_version moves
    const there = await opened(path);
    await ingestRecords(there.store, papers(20, 4));
    await there.search.refresh();
    const r = await here.search.search({ q: 'numbat survey' });
    expect(r.total).toBe(9);
    expect(r.hits).toHaveLength(9);

    const db = new Database(path);
    try {
      db.prepare("UPDATE papers SET title = 'A wombat census' WHERE id = ?").run('2503.00001');
    } finally {
      db.close();
    }
    expect((await here.search.search({ q: 'numbat' })).total).toBe(8);
  });
});
