/**
 * The paper store on PostgreSQL: the setup for several web nodes or a big archive. Behaves as
 * the SQLite store does (the contract suites run on both); only the means differ. One pool
 * (postgres/connection.ts) shared by a part per concern (postgres/papers.ts, listings.ts,
 * related.ts, pages.ts, leases.ts); parts-store.ts puts them together behind every store port.
 * The inbox (postgres/subscriptions.ts, outbox.ts, signing-keys.ts) shares the pool too.
 */
import type { OpenedDatabase } from '../../ports/paper-store.js';
import { PostgresIndex } from '../search/postgres.index.js';
import { joinAccounts } from './account-rows.js';
import { joinInbox } from './inbox-rows.js';
import { PartsStore } from './parts-store.js';
import { describePgUrl, openPgPool, type PgClient } from './pg-client.js';
import { PostgresComments } from './postgres/comments.js';
import { PostgresConnection } from './postgres/connection.js';
import { PostgresAccessTokens, PostgresAccounts, PostgresSessions, PostgresSignInTokens } from './postgres/accounts.js';
import { PostgresLeases } from './postgres/leases.js';
import { PostgresListings } from './postgres/listings.js';
import { PostgresOutbox } from './postgres/outbox.js';
import { PostgresPages } from './postgres/pages.js';
import { PostgresPapers } from './postgres/papers.js';
import { PostgresRelated } from './postgres/related.js';
import { PostgresSigningKeys } from './postgres/signing-keys.js';
import { PostgresSubscriptions } from './postgres/subscriptions.js';
import { PostgresVectors } from './postgres/vectors.js';
import { PostgresVotes } from './postgres/votes.js';
import { PostgresSubmissions } from './postgres/submissions.js';
import { PostgresLibrary } from './postgres/library.js';
import { PostgresPasskeys } from './postgres/passkeys.js';
import { PostgresOperations } from './postgres/operations.js';

/** A store on the server at url (postgres://user:pass@host:port/db). Connects on first use. */
export function openPostgresStore(url: string, pool?: { max: number; statementTimeoutMs: number }): PostgresStore {
  return new PostgresStore(openPgPool(url, pool), describePgUrl(url));
}

/** The store and its keyword index (the postings tables, on the same pool) at url. */
export function openPostgres(url: string, pool?: { max: number; statementTimeoutMs: number }): OpenedDatabase {
  return postgresDatabase(openPostgresStore(url, pool));
}

/** A store's keyword index, inbox, vectors, comments and votes live in its database and share its pool. */
export function postgresDatabase(store: PostgresStore): OpenedDatabase {
  const conn = store.sharedConnection;
  const inbox = joinInbox(new PostgresSubscriptions(conn), new PostgresOutbox(conn), new PostgresSigningKeys(conn));
  const accounts = joinAccounts(new PostgresAccounts(conn), new PostgresSignInTokens(conn), new PostgresSessions(conn), new PostgresAccessTokens(conn));
  return {
    store,
    index: new PostgresIndex(store, store.client),
    inbox,
    vectors: new PostgresVectors(conn),
    comments: new PostgresComments(conn),
    votes: new PostgresVotes(conn),
    accounts,
    submissions: new PostgresSubmissions(conn),
    library: new PostgresLibrary(conn),
    passkeys: new PostgresPasskeys(conn),
    operations: new PostgresOperations(conn),
  };
}

export class PostgresStore extends PartsStore {
  readonly dialect = 'postgres' as const;
  private readonly conn: PostgresConnection;

  /** `where` names the database in messages (describePgUrl: never the password). */
  constructor(db: PgClient, where: string) {
    const conn = new PostgresConnection(db, where);
    super({
      conn,
      papers: new PostgresPapers(conn),
      listings: new PostgresListings(conn),
      related: new PostgresRelated(conn),
      pages: new PostgresPages(conn),
      leases: new PostgresLeases(conn),
    });
    this.conn = conn;
  }

  /** The pool and its bookkeeping, for the inbox (postgres/subscriptions.ts, outbox.ts), which shares it. */
  get sharedConnection(): PostgresConnection {
    return this.conn;
  }

  /** The connection, for the search index (adapters/search/postgres.index.ts), which shares it. */
  get client(): PgClient {
    return this.conn.db;
  }
}
