/**
 * The paper store on an embedded SQLite file (better-sqlite3, WAL): the one-machine setup. One
 * connection (sqlite/connection.ts) shared by a part per concern (sqlite/papers.ts, listings.ts,
 * related.ts, pages.ts, leases.ts); parts-store.ts puts them together behind every store port.
 * The inbox (sqlite/subscriptions.ts, outbox.ts, signing-keys.ts) shares the connection too.
 */
import type Database from 'better-sqlite3';
import type { OpenedDatabase } from '../../ports/paper-store.js';
import { SqliteFtsIndex } from '../search/sqlite-fts.index.js';
import { joinAccounts } from './account-rows.js';
import { joinInbox } from './inbox-rows.js';
import { PartsStore } from './parts-store.js';
import { SqliteComments } from './sqlite/comments.js';
import { SqliteConnection, type SqliteStoreOptions } from './sqlite/connection.js';
import { SqliteAccessTokens, SqliteAccounts, SqliteSessions, SqliteSignInTokens } from './sqlite/accounts.js';
import { SqliteLeases } from './sqlite/leases.js';
import { SqliteListings } from './sqlite/listings.js';
import { SqlitePages } from './sqlite/pages.js';
import { SqliteOutbox } from './sqlite/outbox.js';
import { SqlitePapers } from './sqlite/papers.js';
import { SqliteRelated } from './sqlite/related.js';
import { SqliteSigningKeys } from './sqlite/signing-keys.js';
import { SqliteSubscriptions } from './sqlite/subscriptions.js';
import { SqliteVectors } from './sqlite/vectors.js';
import { SqliteVotes } from './sqlite/votes.js';
import { SqliteSubmissions } from './sqlite/submissions.js';
import { SqliteLibrary } from './sqlite/library.js';
import { SqlitePasskeys } from './sqlite/passkeys.js';
import { SqliteOperations } from './sqlite/operations.js';

export type { SqliteStoreOptions };

/** The store on the file at path and its keyword index (FTS5, in the same file, on the same connection). */
export function openSqlite(path: string, opts: SqliteStoreOptions = {}): OpenedDatabase {
  return sqliteDatabase(new SqliteStore(path, opts));
}

/** A store's keyword index, inbox, vectors, comments and votes live in its file and share its connection. */
export function sqliteDatabase(store: SqliteStore): OpenedDatabase {
  const conn = store.sharedConnection;
  const inbox = joinInbox(new SqliteSubscriptions(conn), new SqliteOutbox(conn), new SqliteSigningKeys(conn));
  const accounts = joinAccounts(new SqliteAccounts(conn), new SqliteSignInTokens(conn), new SqliteSessions(conn), new SqliteAccessTokens(conn));
  return {
    store,
    index: new SqliteFtsIndex(store, store.connection),
    inbox,
    vectors: new SqliteVectors(conn),
    comments: new SqliteComments(conn),
    votes: new SqliteVotes(conn),
    accounts,
    submissions: new SqliteSubmissions(conn),
    library: new SqliteLibrary(conn),
    passkeys: new SqlitePasskeys(conn),
    operations: new SqliteOperations(conn),
  };
}

export class SqliteStore extends PartsStore {
  readonly dialect = 'sqlite' as const;
  private readonly conn: SqliteConnection;

  constructor(path: string, opts: SqliteStoreOptions = {}) {
    const conn = new SqliteConnection(path, opts);
    const papers = new SqlitePapers(conn);
    super({
      conn,
      papers,
      listings: new SqliteListings(conn),
      related: new SqliteRelated(conn, papers),
      pages: new SqlitePages(conn),
      leases: new SqliteLeases(conn),
    });
    this.conn = conn;
  }

  /** The connection with its write queue, for the inbox (sqlite/subscriptions.ts, outbox.ts), which shares it. */
  get sharedConnection(): SqliteConnection {
    return this.conn;
  }

  /** The connection, for the search index (adapters/search/sqlite-fts.index.ts), which shares it. */
  get connection(): Database.Database {
    return this.conn.db;
  }
}
