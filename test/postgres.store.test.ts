/**
 * The store ports' contracts on PostgreSQL: on the test server when one answers, and on PGlite
 * always, so both of the adapter's clients are covered wherever the suite runs. Then what only
 * this adapter can get wrong: batch upserts, concurrent migrations, the session's time zone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../src/adapters/db/migrations.js';
import { openDatabase } from '../src/adapters/db/open-store.js';
import { openPgPool } from '../src/adapters/db/pg-client.js';
import { parseQuery } from '../src/core/query.js';
import type { PaperStore } from '../src/ports/paper-store.js';
import { storeContracts } from './contracts/store-contracts.js';
import { pgliteHarness, postgresHarness } from './support/postgres-harness.js';
import { samplePaper, write } from './support/papers.js';
import type { OpenedStore, StoreHarness } from './support/store-harness.js';

const harness = await postgresHarness();

storeContracts(harness);
// without a server the first run already was PGlite
if (harness !== pgliteHarness) storeContracts(pgliteHarness);

for (const h of harness === pgliteHarness ? [harness] : [harness, pgliteHarness]) postgresSpecifics(h);

function postgresSpecifics(h: StoreHarness): void {
  describe(`PostgresStore specifics: ${h.name}`, () => {
    let opened: OpenedStore;
    let store: PaperStore;
    const extra: PaperStore[] = [];

    beforeEach(async () => {
      opened = await h.open();
      store = opened.store;
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await store.close();
      await opened.drop();
    });

    it('keeps the last write when a batch names a paper or a record twice, as SQLite does', async () => {
      const a = samplePaper('2405.15738');
      const later = { ...a, title: 'Second', versions: [a.versions[0]!] };
      await store.transaction((tx) =>
        tx.savePapers(
          [write(a), write(samplePaper('2405.15739')), write(later)],
          [
            { id: a.id, source: 'kaggle', hash: 'first' },
            { id: a.id, source: 'kaggle', hash: 'second' },
          ],
        ),
      );
      expect(await store.getPaper(a.id)).toEqual(later);
      const hashes = await store.transaction((tx) => tx.loadHashes([a.id], 'kaggle'));
      expect(hashes.get(a.id)).toBe('second');
      expect((await store.stats()).papers).toBe(2);
    });

    it('lets two stores migrate the same empty database at once', async () => {
      await opened.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      const [s1, s2] = [await opened.reopen(), await opened.reopen()];
      extra.push(s1, s2);
      const results = await Promise.all([s1.migrate(), s2.migrate()]);
      expect(results.map((r) => r.to)).toEqual([LATEST_SCHEMA_VERSION, LATEST_SCHEMA_VERSION]);
      expect(await s1.stats()).toMatchObject({ papers: 0, schemaVersion: LATEST_SCHEMA_VERSION });
    });

    it('reads timestamps back in UTC and days unshifted, whatever the session time zone', async () => {
      const a = samplePaper('2405.15738');
      await store.transaction((tx) => tx.savePapers([write(a)], []));
      // ALTER DATABASE reaches the server's new sessions; SET reaches PGlite's one session
      await opened.exec(`
        DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET TimeZone = %L', current_database(), 'Pacific/Kiritimati'); END $$;
        SET TimeZone = 'Pacific/Kiritimati';`);
      const again = await opened.reopen();
      extra.push(again);
      expect(await again.getPaper(a.id)).toEqual(a);
      expect(await again.latestDay()).toBe('2024-05-28');
    });

    it('finds no papers on a day that does not exist, rather than failing', async () => {
      expect(await store.papersOnDay('2025-02-30', 10)).toEqual([]);
      expect(await store.papersOnDay('latest', 10)).toEqual([]);
    });

    it('saves a batch of thousands of papers in a few statements', async () => {
      const papers = Array.from({ length: 3000 }, (_, i) => samplePaper(`2501.${String(i).padStart(5, '0')}`));
      await store.transaction((tx) => tx.savePapers(papers.map(write), papers.map((p) => ({ id: p.id, source: 'kaggle', hash: 'h' }))));
      const s = await store.stats();
      expect(s).toMatchObject({ papers: 3000, versions: 6000, bySource: { kaggle: 3000 } });
      expect(await store.getPaper('2501.02999')).toEqual(papers[2999]);
    });
  });
}

// the pool's prepared statements (PGlite has no pool and ignores the name)
if (harness !== pgliteHarness)
  describe('openPgPool prepared statements', () => {
    it('prepares a named statement once per connection and runs it with each call’s values', async () => {
      const opened = await harness.open();
      const pool = openPgPool(opened.url, { max: 1 }); // one connection: the catalogue below is its own
      try {
        const sql = 'SELECT $1::int + 1 AS n';
        expect(await pool.query<{ n: number }>(sql, [1], 'plus_one')).toEqual([{ n: 2 }]);
        expect(await pool.query<{ n: number }>(sql, [41], 'plus_one')).toEqual([{ n: 42 }]);
        const prepared = await pool.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements');
        expect(prepared).toEqual([{ name: 'plus_one', statement: sql }]);
      } finally {
        await pool.close();
        await opened.store.close();
        await opened.drop();
      }
    });

    it('answers a named statement over a table that a migration changed meanwhile, on every connection that had prepared it', async () => {
      // another node's migration adds a column while this one's connections hold `SELECT *` plans
      const opened = await harness.open();
      const pool = openPgPool(opened.url, { max: 3 });
      try {
        await pool.query('CREATE TABLE wide (id int PRIMARY KEY, a text); INSERT INTO wide VALUES (1, $$x$$)');
        const read = () => pool.query<Record<string, unknown>>('SELECT * FROM wide WHERE id = $1', [1], 'wide_by_id');
        // three at once: each of the three connections prepares it
        await Promise.all([read(), read(), read()]);
        await opened.exec('ALTER TABLE wide ADD COLUMN b text');
        for (const rows of await Promise.all([read(), read(), read(), read()])) expect(rows).toEqual([{ id: 1, a: 'x', b: null }]);
      } finally {
        await pool.close();
        await opened.store.close();
        await opened.drop();
      }
    });
  });

// a snapshot is one BEGIN (PGlite's, whose BEGIN is its own, is covered by the index contracts run on it)
if (harness !== pgliteHarness)
  describe('openPgPool snapshots', () => {
    it('begins a snapshot read only on one consistent view, and a plain transaction as the server defaults', async () => {
      const opened = await harness.open();
      const pool = openPgPool(opened.url, { max: 2 });
      const kind = (q: { query: typeof pool.query }) =>
        q.query<{ iso: string; ro: string }>("SELECT current_setting('transaction_isolation') AS iso, current_setting('transaction_read_only') AS ro");
      try {
        expect(await pool.transaction(kind, { snapshot: true })).toEqual([{ iso: 'repeatable read', ro: 'on' }]);
        expect(await pool.transaction(kind)).toEqual([{ iso: 'read committed', ro: 'off' }]);
        await expect(pool.transaction((q) => q.query('CREATE TABLE t (x int)'), { snapshot: true })).rejects.toThrow(/read-only transaction/);
        // a write committed meanwhile stays out of a snapshot taken before it
        await pool.query('CREATE TABLE seen (x int)');
        const counts = await pool.transaction(async (q) => {
          const before = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM seen');
          await pool.query('INSERT INTO seen VALUES (1)');
          const after = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM seen');
          return [before[0]!.n, after[0]!.n];
        }, { snapshot: true });
        expect(counts).toEqual([0, 0]);
      } finally {
        await pool.close();
        await opened.store.close();
        await opened.drop();
      }
    });
  });

// what the container opens for a postgres:// --db value (PGlite has no URL)
if (harness !== pgliteHarness)
  describe('openDatabase on PostgreSQL', () => {
    it('builds the store and its search index together, on the same database', async () => {
      const opened = await harness.open();
      const { store, index } = await openDatabase(opened.url);
      try {
        expect(store.dialect).toBe('postgres');
        await store.transaction((tx) => tx.savePapers([write(samplePaper('2405.15738', { title: 'Wombat burrows' }))], []));
        const found = await index.search({ query: parseQuery('wombat'), sort: 'relevance', limit: 10, offset: 0 });
        expect(found.hits.map((h) => h.paper.id)).toEqual(['2405.15738']);
      } finally {
        await store.close();
        await opened.store.close();
        await opened.drop();
      }
    });
  });
