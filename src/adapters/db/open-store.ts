/**
 * Picks the store for a --db value: a postgres:// or postgresql:// URL selects PostgreSQL,
 * anything else is a SQLite file path.
 */
import type { PaperStore } from '../../ports/paper-store.js';
import { SqliteStore } from './sqlite.store.js';

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

export async function openStore(db: string, opts: OpenStoreOptions = {}): Promise<PaperStore> {
  if (isPostgresUrl(db)) {
    const { openPostgresStore } = await import('./postgres.store.js');
    return openPostgresStore(db);
  }
  return new SqliteStore(db, { mmapBytes: opts.serving ? SERVING_MMAP_BYTES : 0 });
}

/** How much of a SQLite file a serving process maps (the whole file, up to this). */
const SERVING_MMAP_BYTES = 4 * 1024 ** 3;
