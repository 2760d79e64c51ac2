/**
 * The papers' vectors as the database keeps them (issue 12, decision 020): one set per embedder
 * (Embedder.id), so that a new embedder's vectors are written beside the old ones, which search
 * keeps using until the new set is complete. Every change of a paper's vector (a new vector, or
 * the paper deleted: a NULL vector) takes the next `seq` of its embedder, so that an index
 * (ports/vector-index.ts) catches up by reading only what changed since the seq it reflects.
 * Each vector carries the hash of the text it was made from and the paper's modified_at then:
 * papers are offered for embedding again only when they changed, and re-embedded only when their
 * text did. Once an embedder has walked every paper (papersToEmbed, then markEmbedderWalked),
 * its queue says what changed: the store queues each paper added or changed (its text, deleted
 * flag or modified_at) for every registered embedder (decision 042), so that a harvest costs in
 * proportion to what it changed, not to the archive. Exposed as OpenedDatabase.vectors; contract:
 * test/contracts/paper-vectors.contract.ts.
 */

export interface EmbedderState {
  /** Embedder.id */
  id: string;
  dimensions: number;
  /** when it was registered (ISO-8601) */
  createdAt: string;
  /** when every paper had its vector (markEmbedderComplete), or null while embedding */
  completedAt: string | null;
  /** the seq of its newest change, 0 when none */
  lastSeq: number;
  /** it walked every paper once (markEmbedderWalked): its queue holds every change since */
  walked: boolean;
}

/** Papers from an embedder's queue, and how to take them off it. */
export interface QueuedPapers {
  /**
   * each once, deleted papers too (their vector is to be removed), in the order the adapter keeps
   * them (SQLite: the updated ones as they were queued, then the new ones as they were added)
   */
  papers: PaperToEmbed[];
  /**
   * Takes these papers off the queue, once their vectors are written. A paper changed again
   * since they were read stays on it.
   */
  done(): Promise<void>;
}

/** A paper whose vector for an embedder is missing or older than the paper. */
export interface PaperToEmbed {
  id: string;
  title: string | null;
  abstract: string | null;
  /** the paper's modified_at, to hand back with its vector (PaperVectorWrite.paperModified) */
  modifiedAt: string;
  /** the paper was deleted: its vector is to be removed (a null vector) */
  deleted: boolean;
  /** the hash of the text its stored vector was made from, null when it has none */
  contentHash: string | null;
}

export interface PaperVectorWrite {
  paperId: string;
  /** the hash of the text the vector was made from (the caller's to choose) */
  contentHash: string;
  /** PaperToEmbed.modifiedAt as read: the paper is not offered again until it changes */
  paperModified: string;
  /** unit length, of the embedder's dimensions; null removes the paper's vector */
  vector: Float32Array | null;
}

/** One change, in seq order: a paper's new vector, or null when it was removed. */
export interface VectorChange {
  seq: number;
  paperId: string;
  vector: Float32Array | null;
}

export interface VectorCounts {
  /** papers not deleted */
  papers: number;
  /** of those, the ones holding a vector for the embedder that is as new as the paper */
  current: number;
}

export interface PaperVectors {
  /**
   * Registers an embedder (idempotent); refused when the id is known with other dimensions.
   * Returns its state.
   */
  registerEmbedder(id: string, dimensions: number, now: string): Promise<EmbedderState>;
  embedder(id: string): Promise<EmbedderState | null>;
  /** every registered embedder, newest first */
  embedders(): Promise<EmbedderState[]>;
  /** Notes that every paper has its vector; a later write of a new paper leaves it complete. */
  markEmbedderComplete(id: string, now: string): Promise<void>;
  /** Forgets an embedder, all its vectors and its kept model (EmbedderModels), if any. */
  dropEmbedder(id: string): Promise<void>;

  /**
   * Up to `limit` papers after `afterId` (by id, keyset) whose vector for the embedder is
   * missing or made before the paper last changed, and deleted papers that still hold one.
   */
  papersToEmbed(embedderId: string, afterId: string, limit: number): Promise<PaperToEmbed[]>;
  /**
   * Writes a batch in one transaction. A write whose content hash and presence equal what is
   * stored only notes paperModified (no new seq: the index has nothing to change); any other
   * takes the embedder's next seq. Vectors of the wrong length are refused, naming the paper.
   * Returns how many took a new seq.
   */
  putVectors(embedderId: string, writes: readonly PaperVectorWrite[]): Promise<number>;
  /** Up to `limit` changes with seq > afterSeq, in seq order (keyset: pass the last seq read). */
  vectorChanges(embedderId: string, afterSeq: number, limit: number): Promise<VectorChange[]>;
  /** The stored vectors of these papers (those that have one). */
  vectorsOf(embedderId: string, paperIds: readonly string[]): Promise<Map<string, Float32Array>>;
  /** For progress: papers, and how many of them have a current vector. */
  vectorCounts(embedderId: string): Promise<VectorCounts>;

  /** Notes that the embedder has walked every paper: from now on its queue says what changed. */
  markEmbedderWalked(id: string): Promise<void>;
  /** Up to `limit` papers queued for the embedder (added or changed since it took them). */
  queuedPapers(embedderId: string, limit: number): Promise<QueuedPapers>;
  /** How many papers the embedder's queue holds (for progress). */
  queueLength(embedderId: string): Promise<number>;
}
