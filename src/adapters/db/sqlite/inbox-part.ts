/**
 * What the SQLite inbox's parts (subscriptions.ts, outbox.ts, signing-keys.ts) are built on: the
 * store's connection and write queue, and statements prepared on first use (after migrating,
 * when their tables exist) and kept.
 */
import type Database from 'better-sqlite3';
import { SqlitePart } from './connection.js';

export abstract class SqliteInboxPart extends SqlitePart {
  private readonly statements = new Map<string, Database.Statement>();

  /** The statement for this SQL text, prepared once per connection. */
  protected st(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /**
   * fn in one IMMEDIATE transaction (the write lock taken first, so that another handle on the
   * file waits rather than reading what this one is about to change), in the connection's queue
   * so that it never runs inside another caller's open transaction.
   */
  protected write<T>(fn: () => T): Promise<T> {
    return this.serialized(() => this.db.transaction(fn).immediate());
  }
}
