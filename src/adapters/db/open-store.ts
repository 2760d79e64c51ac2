/**
 * Opens the database a --db value names, as its dialect's factory builds it: the store and the
 * keyword index that shares its connection. A postgres:// or postgresql:// URL selects
 * PostgreSQL, a path a SQLite file; any other URL is refused (core/database-url.ts). Only the
 * commands that create databases (serve, ingest, harvest, migrate) may create a SQLite file and
 * its directory; the others refuse a database that does not exist, rather than leave an empty
 * one behind a typo. A PostgreSQL server that can't be reached is one line naming host and port.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { databaseKind } from '../../core/database-url.js';
import { PaperboyError } from '../../core/errors.js';
import type { OpenedDatabase } from '../../ports/paper-store.js';
import { openSqlite } from './sqlite.store.js';

export function isPostgresUrl(db: string): boolean {
  return databaseKind(db) === 'postgres';
}

export interface OpenStoreOptions {
  /**
   * The process mostly reads (serve): SQLite maps the file into memory instead of copying pages
   * through read() calls. Off for ingest and harvest, whose memory figures would count the map.
   */
  serving?: boolean;
  /** the command may create the database (a SQLite file and its directory) when there is none */
  create?: boolean;
  /**
   * The process reads a little and exits (stats, search): SQLite keeps a small page cache, since
   * filling a large one with pages read once costs more than it saves (scanning paper_sources into
   * 8 MB took 50 ms of `paperboy stats` on a loaded machine, into 512 kB 8 ms; decision 014).
   */
  brief?: boolean;
  /**
   * A connection for reading only (serve's read workers, src/adapters/read-pool): on SQLite a
   * read-only handle; on PostgreSQL a small pool whose statements stop after this many ms.
   */
  reader?: { statementTimeoutMs: number; connections: number };
}

/** The commands that create a database where there is none (said in --help and the README). */
export const CREATING_COMMANDS = ['serve', 'ingest', 'harvest', 'migrate'] as const;

export async function openDatabase(db: string, opts: OpenStoreOptions = {}): Promise<OpenedDatabase> {
  if (isPostgresUrl(db)) {
    // loaded only here, so that SQLite users never load the PostgreSQL driver
    const [{ openPostgres }, { connectFailureMessage }] = await Promise.all([import('./postgres.store.js'), import('./pg-client.js')]);
    const opened = openPostgres(db, opts.reader && { max: opts.reader.connections, statementTimeoutMs: opts.reader.statementTimeoutMs });
    try {
      await opened.store.ping();
    } catch (e) {
      await opened.store.close().catch(() => undefined);
      throw new PaperboyError('CONFIG_INVALID', connectFailureMessage(db, e), { cause: e });
    }
    return opened;
  }
  if (db !== ':memory:') prepareSqlitePath(db, opts.create ?? false);
  return openSqlite(db, {
    mmapBytes: opts.serving ? SERVING_MMAP_BYTES : 0,
    readOnly: opts.reader !== undefined,
    ...(opts.brief ? { cacheKiB: BRIEF_CACHE_KIB } : {}),
    // ingest, harvest and migrate creating a file: its first load is written once (sqlite/connection.ts)
    bulkLoad: (opts.create ?? false) && !opts.serving && opts.reader === undefined,
    // serve's writing connection: its commits never stop to checkpoint the WAL (decision 043)
    checkpointInBackground: (opts.serving ?? false) && opts.reader === undefined,
  });
}

function prepareSqlitePath(db: string, create: boolean): void {
  const dir = dirname(resolve(db));
  if (create) {
    mkdirSync(dir, { recursive: true });
    return;
  }
  const creators = `${CREATING_COMMANDS.slice(0, -1).join(', ')} and ${CREATING_COMMANDS.at(-1)!} create one`;
  if (!existsSync(dir)) throw new PaperboyError('CONFIG_INVALID', `no database at ${db}: directory ${dir} does not exist (${creators})`);
  if (!existsSync(db)) throw new PaperboyError('CONFIG_INVALID', `no database at ${db} (${creators})`);
}

/** The page cache of a brief command: room for a search's doclists, little to fill. */
const BRIEF_CACHE_KIB = 512;

/** How much of a SQLite file a serving process maps (the whole file, up to this). */
const SERVING_MMAP_BYTES = 4 * 1024 ** 3;
