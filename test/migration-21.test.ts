/**
 * Migration 21 (decision 041): on PostgreSQL a day's vote version is spread over rows per
 * (day, shard). A database at version 20 keeps its days' versions through the migration, and
 * votes cast at once on one day's papers afterwards each move the day's version exactly once,
 * spread over several rows, with every tally exact.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, MIGRATIONS_TABLE } from '../src/adapters/db/migrations.js';
import { openPostgres } from '../src/adapters/db/postgres.store.js';
import { POSTGRES_TEST_URL } from './support/postgres-harness.js';

const AT = '2026-07-01T10:00:00.000Z';
const PAPERS = 40;
const id = (i: number) => `2606.${String(i).padStart(5, '0')}`;

describe('migration 21: vote days in shards (PostgreSQL)', () => {
  const name = `paperboy_test_m21_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(POSTGRES_TEST_URL);
  const at = (database: string) => Object.assign(new URL(url), { pathname: `/${database}` }).toString();
  const run = async (database: string, sql: string) => {
    const client = new pg.Client({ connectionString: at(database) });
    await client.connect();
    try {
      return (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
    } finally {
      await client.end();
    }
  };
  afterAll(() => run(url.pathname.slice(1), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('keeps the days\' versions, then spreads concurrent votes of one day over shards, each counted once', async () => {
    await run(url.pathname.slice(1), `CREATE DATABASE ${name}`);
    let script = MIGRATIONS_TABLE + ';';
    for (const m of MIGRATIONS.filter((m) => m.version <= 20))
      script += `${m.postgres};\nINSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, '${m.name.replace(/'/g, "''")}', '${AT}');\n`;
    const papers = Array.from({ length: PAPERS }, (_, i) => `('${id(i)}', '2026-07-01', '{}', '${AT}', '${AT}')`).join(', ');
    const rows = `INSERT INTO papers (id, day, provenance, created_at, modified_at) VALUES ${papers};
      INSERT INTO vote_days (day, version) VALUES ('2026-06-30', 4), ('2026-07-01', 7);`;
    await run(name, `BEGIN; ${script} ${rows} COMMIT;`);

    const db = openPostgres(at(name));
    try {
      await db.store.migrate();
      expect(await db.votes.votesVersion('2026-06-30', '2026-07-01')).toBe('2.11');
      const outcomes = await Promise.all(
        Array.from({ length: PAPERS }, (_, i) =>
          db.votes.castVote(
            { paperId: id(i), accountId: `reader-${i}`, network: `198.51.${i}.0/24`, networkSince: AT, accountCreatedAt: AT, at: AT },
            () => 1000,
          ),
        ),
      );
      expect(outcomes.every((o) => o.changed && o.votes === 1)).toBe(true);
      const [, sum] = (await db.votes.votesVersion('2026-07-01', '2026-07-01')).split('.');
      expect(Number(sum)).toBe(7 + PAPERS);
      const shards = (await run(name, "SELECT count(*)::int AS n FROM vote_days WHERE day = '2026-07-01'")) as pg.QueryResult<{ n: number }>;
      expect(shards.rows[0]!.n).toBeGreaterThan(1);
      expect([...(await db.votes.talliesOf(Array.from({ length: PAPERS }, (_, i) => id(i)))).values()].every((t) => t.votes === 1)).toBe(true);
    } finally {
      await db.store.close();
    }
  });
});
