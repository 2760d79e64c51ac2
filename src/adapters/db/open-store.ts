/**
 * Picks the store for a --db value: a postgres:// or postgresql:// URL selects PostgreSQL,
 * anything else is a SQLite file path.
 */
import type { PaperStore } from '../../ports/paper-store.js';
import { SqliteStore } from './sqlite.store.js';

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export async function openStore(db: string): Promise<PaperStore> {
  if (isPostgresUrl(db)) {
    const { openPostgresStore } = await import('./postgres.store.js');
    return openPostgresStore(db);
  }
  return new SqliteStore(db);
}
