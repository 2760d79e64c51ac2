/**
 * The paper store, as the services need it. Adapters: SQLite (adapters/db/sqlite.store.ts) and
 * PostgreSQL (adapters/db/postgres.store.ts); one contract suite (test/paper-store.contract.ts)
 * runs against both.
 */
import type { Paper, SourceName } from '../core/paper.js';

export interface PaperWrite {
  paper: Paper;
  /** the day the paper is listed under on daily pages (core/paper.ts paperDay) */
  day: string | null;
}

/** A record applied (or found to change nothing): remembered so that re-ingesting it is cheap. */
export interface RecordSeen {
  id: string;
  source: SourceName;
  hash: string;
}

export interface StoreStats {
  papers: number;
  versions: number;
  deleted: number;
  /** papers each source has contributed to */
  bySource: Partial<Record<SourceName, number>>;
  withHfSignals: number;
  firstDay: string | null;
  lastDay: string | null;
  schemaVersion: number;
}

/** Writes, only inside a transaction. */
export interface PaperTx {
  /** The hash of the last record applied from `source`, by paper id, for those of `ids` that have one. */
  loadHashes(ids: readonly string[], source: SourceName): Promise<Map<string, string>>;
  /** The stored papers among `ids`. */
  loadPapers(ids: readonly string[]): Promise<Map<string, Paper>>;
  /** Inserts or replaces the given papers and records the hashes of the records seen. */
  savePapers(writes: readonly PaperWrite[], seen: readonly RecordSeen[]): Promise<void>;
  /** Remembers where a harvest source stopped (any JSON value). */
  setCursor(source: string, cursor: unknown): Promise<void>;
}

export interface PaperStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies pending migrations; refuses (DB_TOO_NEW) a database migrated by newer code. */
  migrate(): Promise<{ from: number; to: number }>;
  /** Runs fn in one transaction: everything it wrote is kept only if it resolves. Transactions run one at a time. */
  transaction<T>(fn: (tx: PaperTx) => Promise<T>): Promise<T>;
  getPaper(id: string): Promise<Paper | null>;
  getCursor(source: string): Promise<unknown>;
  /** The newest day that has papers, or null when the store is empty. */
  latestDay(): Promise<string | null>;
  /** Papers listed under a day, most upvoted first. */
  papersOnDay(day: string, limit: number): Promise<Paper[]>;
  stats(): Promise<StoreStats>;
  /** Answers when the database does (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
