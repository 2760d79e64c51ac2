/**
 * The keyword index for a store: FTS5 on SQLite, the postings tables on PostgreSQL. Both live in
 * the store's own database (migration 2) and share its connection.
 */
import type { PgClient } from '../db/pg-client.js';
import type Database from 'better-sqlite3';
import type { PaperStore } from '../../ports/paper-store.js';
import type { SearchIndex } from '../../ports/search-index.js';
import { PostgresIndex } from './postgres.index.js';
import { SqliteFtsIndex } from './sqlite-fts.index.js';

export function createSearchIndex(store: PaperStore): SearchIndex {
  // the stores expose their connection (SqliteStore.connection, PostgresStore.client); checked
  // by shape so that SQLite users never load the PostgreSQL driver
  if (store.dialect === 'sqlite' && 'connection' in store)
    return new SqliteFtsIndex(store, (store as PaperStore & { connection: Database.Database }).connection);
  if (store.dialect === 'postgres' && 'client' in store)
    return new PostgresIndex(store, (store as PaperStore & { client: PgClient }).client);
  throw new Error(`no search index for a ${store.dialect} store of type ${store.constructor.name}`);
}
