/**
 * Fresh PostgreSQL stores for tests. On the server at PAPERBOY_TEST_POSTGRES_URL each store gets
 * a database of its own, created from that URL's database and dropped afterwards; where no
 * server answers, each gets an in-memory PGlite instead, so the adapter is tested on any machine.
 *
 * A database per store rather than a schema: the store then runs exactly as in production
 * (default search_path, plain URL), and its URL is one `--db` accepts as is.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite } from '../../src/adapters/db/pglite-client.js';
import { openPostgres, openPostgresStore, postgresDatabase, PostgresStore } from '../../src/adapters/db/postgres.store.js';
import type { PgClient } from '../../src/adapters/db/pg-client.js';
import type { OpenedStore, StoreHarness } from './store-harness.js';

export const POSTGRES_TEST_URL = process.env.PAPERBOY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** How long the probe waits for a server before settling for PGlite. */
const PROBE_TIMEOUT_MS = 2000;

const probes = new Map<string, Promise<boolean>>();

/** Whether a PostgreSQL server answers at url (asked once per process). */
export function postgresServerAnswers(url = POSTGRES_TEST_URL): Promise<boolean> {
  let probe = probes.get(url);
  if (!probe) {
    probe = runOn(url, 'SELECT 1').then(
      () => true,
      () => false,
    );
    probes.set(url, probe);
  }
  return probe;
}

/** The server harness when a server answers, else PGlite: what every PostgreSQL suite should use. */
export async function postgresHarness(url = POSTGRES_TEST_URL): Promise<StoreHarness> {
  return (await postgresServerAnswers(url)) ? postgresServerHarness(url) : pgliteHarness;
}

/** Runs one statement (or script) on its own short-lived connection, outside any store. */
async function runOn(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let serial = 0;

export function postgresServerHarness(url = POSTGRES_TEST_URL): StoreHarness {
  return {
    name: 'postgres (server)',
    async open(): Promise<OpenedStore> {
      // pid and random bytes: other runs may share the server; lower case needs no quoting
      const name = `paperboy_test_${process.pid}_${++serial}_${randomBytes(4).toString('hex')}`;
      await runOn(url, `CREATE DATABASE ${name}`);
      const drop = () => runOn(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      const dbUrl = withDatabase(url, name);
      const { store, index, inbox, vectors, comments, votes, accounts, submissions, library, passkeys, operations } = openPostgres(dbUrl);
      try {
        await store.migrate();
      } catch (e) {
        await store.close();
        await drop();
        throw e;
      }
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
        url: dbUrl,
        reopen: async () => openPostgresStore(dbUrl),
        reopenDatabase: async () => openPostgres(dbUrl),
        exec: (sql) => runOn(dbUrl, sql),
        drop,
      };
    },
  };
}

let pgliteTemplate: Promise<Blob> | undefined;

/**
 * A freshly initialised data directory with every migration applied, dumped once: loading it
 * beats a new initdb and the migrations (seconds in WASM) per test. Each store's migrate() then
 * finds them all applied, as it would on a database migrated by another node.
 */
function freshDataDir(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const client = await openPglite();
    try {
      await new PostgresStore({ query: client.query, transaction: client.transaction, close: async () => {} }, 'PGlite (template)').migrate();
      return await client.pglite.dumpDataDir('none');
    } finally {
      await client.close();
    }
  })();
  return pgliteTemplate;
}

/**
 * PGlite lives in this process, so there is no URL another process could use: `url` is ''.
 * All stores of one test share the instance; closing a store leaves it open, drop() closes it.
 */
export const pgliteHarness: StoreHarness = {
  name: 'postgres (PGlite)',
  async open(): Promise<OpenedStore> {
    const client = await openPglite(undefined, { loadDataDir: await freshDataDir() });
    const shared: PgClient = { query: client.query, transaction: client.transaction, close: async () => {} };
    const where = 'PGlite (in memory)';
    const { store, index, inbox, vectors, comments, votes, accounts, submissions, library, passkeys, operations } = postgresDatabase(new PostgresStore(shared, where));
    await store.migrate().catch(async (e: unknown) => {
      await client.close();
      throw e;
    });
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
      url: '',
      reopen: async () => new PostgresStore(shared, where),
      reopenDatabase: async () => postgresDatabase(new PostgresStore(shared, where)),
      exec: async (sql) => {
        await client.query(sql);
      },
      drop: () => client.close(),
    };
  },
};
