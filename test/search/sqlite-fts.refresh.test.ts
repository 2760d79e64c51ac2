/**
 * The SQLite index catches up in transactions of bounded size (sqlite-fts.index.ts refresh): a
 * large backlog (a bulk ingest of the whole archive) is indexed a chunk at a time, the event loop
 * and the write lock free between chunks, progress told after each, and the result is the index a
 * single transaction would have made.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/db/sqlite.store.js';
import { SqliteFtsIndex } from '../../src/adapters/search/sqlite-fts.index.js';
import { parseQuery } from '../../src/core/query.js';
import type { RefreshResult } from '../../src/ports/search-index.js';
import { kaggleRecord } from '../support/papers.js';
import { tempDbPath } from '../support/sqlite-harness.js';
import { ingestRecords } from './fixtures.js';

const papers = (from: number, n: number, word: string) =>
  Array.from({ length: n }, (_, i) => kaggleRecord(`2503.${String(from + i).padStart(5, '0')}`, { title: `${word} survey ${from + i}` }));

describe('SQLite keyword index: refresh in chunks', () => {
  const open: SqliteStore[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  async function opened(chunk: number) {
    const store = new SqliteStore(tempDbPath());
    open.push(store);
    await store.migrate();
    return { store, index: new SqliteFtsIndex(store, store.connection, { refreshChunk: chunk, topLists: false }) };
  }

  const total = async (index: SqliteFtsIndex, q: string) => (await index.search({ query: parseQuery(q), sort: 'relevance', limit: 1, offset: 0 })).total;

  it('indexes new and changed papers a chunk at a time, with a turn of the event loop between chunks', async () => {
    const { store, index } = await opened(20);
    await ingestRecords(store, papers(1, 60, 'Numbat'));
    await index.refresh();
    // 95 new papers, and 7 of the first 60 reworded (changes noted for the index)
    await ingestRecords(store, [...papers(100, 95, 'Numbat'), ...papers(1, 7, 'Wombat')]);
    // counts the event loop's turns while the refresh runs
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: Array<RefreshResult & { turns: number }> = [];
    const r = await index.refresh(undefined, (p) => seen.push({ ...p, turns })).finally(() => (running = false));
    expect(r).toEqual({ indexed: 102, pending: 0 });
    // five chunks of 20 and one of 2, each told; the loop turned between them
    expect(seen.map((p) => p.indexed)).toEqual([20, 40, 60, 80, 100, 102]);
    expect(seen.map((p) => p.pending)).toEqual([82, 62, 42, 22, 2, 0]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.turns).toBeGreaterThan(seen[i - 1]!.turns);
    expect(await total(index, 'numbat')).toBe(60 - 7 + 95);
    expect(await total(index, 'wombat')).toBe(7);
  });

  it('stops at maxPapers, in chunks, and leaves the rest waiting', async () => {
    const { store, index } = await opened(20);
    await ingestRecords(store, papers(1, 50, 'Quokka'));
    const seen: number[] = [];
    expect(await index.refresh(30, (p) => seen.push(p.indexed))).toEqual({ indexed: 30, pending: 20 });
    expect(seen).toEqual([20, 30]);
    expect(await index.refresh()).toEqual({ indexed: 20, pending: 0 });
    expect(await total(index, 'quokka')).toBe(50);
  });
});
