/**
 * Nearest neighbours among the papers' vectors (issue 12), in process on every node: fed from
 * the vectors stored in the database (ports/paper-vectors.ts), persisted beside it, updated as
 * papers arrive and rebuilt from the store when missing or corrupt. Adapters
 * (adapters/vector-index): exact search (the reference, and the peer the benchmark measures) and
 * an approximate index chosen by measurement (docs/decisions). Contract:
 * test/contracts/vector-index.contract.ts.
 */

export interface VectorHit {
  /** the paper's id */
  id: string;
  /** cosine similarity to the query, higher is better */
  score: number;
}

export interface VectorSearchOptions {
  /**
   * only these ids are returned (filters: the papers of a digest's period, say). A set, not a
   * predicate: an index held by another thread (threaded.vector-index.ts) takes it along.
   */
  among?: ReadonlySet<string>;
}

export interface VectorIndex {
  readonly dimensions: number;
  /** how many vectors it holds */
  readonly size: number;
  /** Adds vectors, replacing any held for the same ids. Vectors are unit length. */
  upsert(items: ReadonlyArray<{ id: string; vector: Float32Array }>): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
  /** The k nearest, best first. */
  search(query: Float32Array, k: number, options?: VectorSearchOptions): Promise<VectorHit[]>;
  /** Writes what it holds to its file (a no-op for an index that keeps no file). */
  save(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An index fed from the store's vectors (ports/paper-vectors.ts): it knows the seq of the newest
 * change it reflects, and saves that with what it holds, so that after a restart only the changes
 * since are applied (services/vector-sync.service.ts).
 */
export interface SyncedVectorIndex extends VectorIndex {
  /** the store seq it reflects (0: nothing yet) */
  readonly syncedSeq: number;
  /** Notes that it now reflects every change up to seq; saved by the next save(). */
  markSynced(seq: number): void;
}
