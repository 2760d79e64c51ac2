/**
 * Fresh PostgreSQL stores for tests. On the server at PAPERBOY_TEST_POSTGRES_URL each store gets
 * a database of its own, copied from a migrated template and dropped afterwards; where no server
 * answers, each gets an emptied in-memory PGlite instead, so the adapter is tested on any machine.
 *
 * A database per store rather than a schema: the store then runs exactly as in production
 * (default search_path, plain URL), and its URL is one `--db` accepts as is.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { MIGRATIONS } from '../../src/adapters/db/migrations.js';
import { openPglite, type PgliteClient } from '../../src/adapters/db/pglite-client.js';
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
  await rowsOn(url, sql);
}

async function rowsOn<R>(url: string, sql: string, params?: unknown[]): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
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

/** A name no other test, process or run sharing the server uses; lower case needs no quoting. */
function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${++serial}_${randomBytes(4).toString('hex')}`;
}

const templates = new Map<string, Promise<string>>();

/**
 * A database with every migration applied, named after them, that each test's database is
 * copied from (CREATE DATABASE … TEMPLATE, ~50 ms where migrating costs ~200 ms). Made once per
 * schema and server, by whichever process gets there first: each builds its own under a private
 * name and renames it, and a rename that finds the name taken means another process won.
 */
function migratedTemplate(url: string): Promise<string> {
  let made = templates.get(url);
  if (!made) {
    made = (async () => {
      const schema = createHash('sha256').update(JSON.stringify(MIGRATIONS.map((m) => m.postgres))).digest('hex');
      const name = `paperboy_template_${schema.slice(0, 16)}`;
      const [found] = await rowsOn<{ n: number }>(url, 'SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [name]);
      if (found!.n > 0) return name;
      const building = uniqueName('paperboy_template_build');
      await runOn(url, `CREATE DATABASE ${building}`);
      try {
        const store = openPostgresStore(withDatabase(url, building));
        await store.migrate().finally(() => store.close());
        await runOn(url, `ALTER DATABASE ${building} RENAME TO ${name}`);
      } catch (e) {
        await runOn(url, `DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        if ((e as { code?: string }).code !== '42P04') throw e; // duplicate_database: another process won
      }
      return name;
    })();
    made.catch(() => templates.delete(url));
    templates.set(url, made);
  }
  return made;
}

export function postgresServerHarness(url = POSTGRES_TEST_URL): StoreHarness {
  return {
    name: 'postgres (server)',
    async open(): Promise<OpenedStore> {
      const name = uniqueName('paperboy_test');
      await runOn(url, `CREATE DATABASE ${name} TEMPLATE ${await migratedTemplate(url)}`);
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

/**
 * Instances dropped by earlier tests, emptied and ready for the next: a new PGlite costs seconds
 * of CPU (initdb in WebAssembly; ~1.2 s even from a dumped data directory), dropping the schema
 * and migrating it afresh ~0.2 s. Tests in a file run one after another; a test that opens two
 * stores at once gets two instances.
 */
const idlePglite: PgliteClient[] = [];

async function emptyPglite(): Promise<PgliteClient> {
  return idlePglite.pop() ?? (await openPglite());
}

/** Empties an instance for the next test (session state too), or closes it when it cannot be. */
async function recycle(client: PgliteClient): Promise<void> {
  try {
    await client.pglite.exec('DISCARD ALL'); // settings, advisory locks, prepared statements
    await client.pglite.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    idlePglite.push(client);
  } catch {
    await client.close();
  }
}

/**
 * PGlite lives in this process, so there is no URL another process could use: `url` is ''.
 * All stores of one test share the instance; closing a store leaves it open, drop() empties it
 * for a later test.
 */
export const pgliteHarness: StoreHarness = {
  name: 'postgres (PGlite)',
  async open(): Promise<OpenedStore> {
    const client = await emptyPglite();
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
      drop: () => recycle(client),
    };
  },
};
