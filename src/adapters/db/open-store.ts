/**
 * Opens the database a --db value names, as its dialect's factory builds it: the store and the
 * keyword index that shares its connection. A postgres:// or postgresql:// URL selects
 * PostgreSQL, anything else is a SQLite file path.
 */
import type { OpenedDatabase } from '../../ports/paper-store.js';
import { openSqlite } from './sqlite.store.js';

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export interface OpenStoreOptions {
  /**
   * The process mostly reads (serve): SQLite maps the file into memory instead of copying pages
   * through read() calls. Off for ingest and harvest, whose memory figures would count the map.
   */
  serving?: boolean;
}

export async function openDatabase(db: string, opts: OpenStoreOptions = {}): Promise<OpenedDatabase> {
  if (isPostgresUrl(db)) {
    // loaded only here, so that SQLite users never load the PostgreSQL driver
    const { openPostgres } = await import('./postgres.store.js');
    return openPostgres(db);
  }
  return openSqlite(db, { mmapBytes: opts.serving ? SERVING_MMAP_BYTES : 0 });
}

/** How much of a SQLite file a serving process maps (the whole file, up to this). */
const SERVING_MMAP_BYTES = 4 * 1024 ** 3;
