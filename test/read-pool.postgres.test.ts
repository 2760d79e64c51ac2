/**
 * The read workers on PostgreSQL: each worker's connections carry the time budget as
 * statement_timeout, so a runaway statement ends in the server too (not only in our process),
 * and the workers read the same data as the main connection.
 * Needs a PostgreSQL server (PAPERBOY_TEST_POSTGRES_URL): workers connect by URL, which the
 * in-process PGlite has none of; skipped where none answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/adapters/db/open-store.js';
import type { PostgresStore } from '../src/adapters/db/postgres.store.js';
import { ReadPool } from '../src/adapters/read-pool/read-pool.js';
import { emptyHfSignals } from '../src/core/paper.js';
import { SLOW_READS } from '../src/services/site-reads.js';
import { postgresServerAnswers, postgresServerHarness } from './support/postgres-harness.js';
import { samplePaper, write } from './support/papers.js';
import type { OpenedStore } from './support/store-harness.js';

const server = await postgresServerAnswers();

describe.skipIf(!server)('read workers on PostgreSQL', () => {
  let opened: OpenedStore;

  beforeAll(async () => {
    opened = await postgresServerHarness().open();
    await opened.store.transaction((tx) => tx.savePapers([write(samplePaper('2503.00001', { listedOn: '2025-03-03', title: 'Budgets for readers', hf: emptyHfSignals() }))], []));
  }, 60_000);

  afterAll(async () => {
    await opened?.store.close();
    await opened?.drop();
  });

  it('sets statement_timeout on a reader connection: a statement past it is cancelled by the server', async () => {
    const store = (await openDatabase(opened.url, { reader: { statementTimeoutMs: 200, connections: 1 } })).store as PostgresStore;
    try {
      expect(await store.client.query<{ statement_timeout: string }>('SHOW statement_timeout')).toEqual([{ statement_timeout: '200ms' }]);
      await expect(store.client.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
      // the connection goes on
      expect(await store.client.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await store.close();
    }
  });

  it('answers listings, papers and searches on worker threads', async () => {
    const logged: string[] = [];
    const pool = await ReadPool.open({ db: opened.url, size: 2, budgetMs: 5000, callsPerWorker: 4, connections: 2, slow: SLOW_READS, slowNice: 0, log: (m) => logged.push(m) });
    try {
      expect(await pool.call('listing', 'latestDay', [])).toBe('2025-03-03');
      const found = (await pool.call('search', 'search', [{ q: 'budgets' }])) as { total: number; hits: { paper: { id: string } }[] };
      expect(found.total).toBe(1);
      expect(found.hits[0]!.paper.id).toBe('2503.00001');
      const r = await pool.call('listing', 'paper', ['2503.00001']);
      expect(r).toMatchObject({ id: '2503.00001', title: 'Budgets for readers' });
    } finally {
      await pool.close();
    }
  }, 60_000);
});
