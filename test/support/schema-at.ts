/**
 * Databases at an older schema version, for the tests of a migration: the migrations `applied`
 * picks are run and recorded as a release of that time would have, then the rows the test gives.
 * The test then opens the database with today's code, which migrates it the rest of the way.
 */
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS, MIGRATIONS_TABLE, type Migration } from '../../src/adapters/db/migrations.js';
import { POSTGRES_TEST_URL } from './postgres-harness.js';
import { tempDbPath } from './sqlite-harness.js';

const APPLIED_AT = '2026-07-01T10:00:00.000Z';

/** A SQLite file with the migrations `applied` picks, then `rows`; its path. */
export function sqliteAt(applied: (m: Migration) => boolean, rows = ''): string {
  const path = tempDbPath();
  const raw = new Database(path);
  try {
    raw.pragma('foreign_keys = ON');
    raw.exec(MIGRATIONS_TABLE);
    for (const m of MIGRATIONS.filter(applied)) {
      raw.exec(m.sqlite);
      raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, APPLIED_AT);
    }
    if (rows) raw.exec(rows);
  } finally {
    raw.close();
  }
  return path;
}

/** A database on the PostgreSQL server, made afresh for a test: its URL, a way to run SQL on it, and its removal. */
export interface PostgresAt {
  url: string;
  query<R extends pg.QueryResultRow>(sql: string): Promise<R[]>;
  drop(): Promise<void>;
}

/** A new database on the PostgreSQL server with the migrations `applied` picks, then `rows`, in one transaction. */
export async function postgresAt(applied: (m: Migration) => boolean, rows = ''): Promise<PostgresAt> {
  const name = `paperboy_test_at_${process.pid}_${randomBytes(4).toString('hex')}`;
  const server = new URL(POSTGRES_TEST_URL);
  const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  const on = async <R extends pg.QueryResultRow>(connectionString: string, sql: string): Promise<R[]> => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      const result = (await client.query<R>(sql)) as pg.QueryResult<R> | pg.QueryResult<R>[];
      return Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows;
    } finally {
      await client.end();
    }
  };
  await on(server.toString(), `CREATE DATABASE ${name}`);
  let script = MIGRATIONS_TABLE + ';';
  for (const m of MIGRATIONS.filter(applied))
    script += `${m.postgres};\nINSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, '${m.name.replace(/'/g, "''")}', '${APPLIED_AT}');\n`;
  await on(url, `BEGIN; ${script} ${rows} COMMIT;`);
  return {
    url,
    query: (sql) => on(url, sql),
    drop: async () => {
      await on(server.toString(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
