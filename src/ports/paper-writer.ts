/**
 * The ingest writer: what merges papers into the store (services/ingest.service.ts, and
 * services/eval.service.ts loading a benchmark corpus) needs. Every write goes through one
 * transaction at a time. Contract: test/contracts/paper-writer.contract.ts.
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

/** Writes, only inside a transaction. */
export interface PaperTx {
  /** The hash of the last record applied from `source`, by paper id, for those of `ids` that have one. */
  loadHashes(ids: readonly string[], source: SourceName): Promise<Map<string, string>>;
  /** The stored papers among `ids`. */
  loadPapers(ids: readonly string[]): Promise<Map<string, Paper>>;
  /** Inserts or replaces the given papers and records the hashes of the records seen. */
  savePapers(writes: readonly PaperWrite[], seen: readonly RecordSeen[]): Promise<void>;
  /** Remembers where a harvest source stopped (any JSON value): in the same transaction as the papers it yielded. */
  setCursor(source: string, cursor: unknown): Promise<void>;
}

export interface PaperWriter {
  /** Runs fn in one transaction: everything it wrote is kept only if it resolves. Transactions run one at a time. */
  transaction<T>(fn: (tx: PaperTx) => Promise<T>): Promise<T>;
}
