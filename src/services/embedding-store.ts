/**
 * What the embeddings runtime and the embedding job use of the vectors store
 * (ports/paper-vectors.ts, `OpenedDatabase.vectors`): the few calls each needs, named for them,
 * so that the services read as what they do (decision 015: services declare what they use).
 */

/** A paper the embedder lacks a current vector for, with the hash its vector will be stored under. */
export interface PaperToEmbed {
  id: string;
  title: string | null;
  abstract: string | null;
  contentHash: string;
}

/** An embedder the store knows: complete once every live paper had a vector from it. */
export interface EmbedderRecord {
  id: string;
  dimensions: number;
  /** ISO time it was last found complete; null while papers still lack its vectors */
  completedAt: string | null;
}

/** What the embedding job writes through. */
export interface EmbeddingTarget {
  registerEmbedder(id: string, dimensions: number): Promise<void>;
  /** Papers lacking a current vector from the embedder, ids after `afterId`, in id order. */
  papersToEmbed(embedderId: string, afterId: string, limit: number): Promise<PaperToEmbed[]>;
  /** How many papers lack a current vector from the embedder. */
  papersToEmbedCount(embedderId: string): Promise<number>;
  putVectors(embedderId: string, rows: ReadonlyArray<{ paperId: string; vector: Float32Array; contentHash: string }>): Promise<void>;
  markEmbedderComplete(embedderId: string): Promise<void>;
}

/** A change to an embedder's vectors, in store order: a vector written, or (null) a paper gone. */
export interface VectorChange {
  paperId: string;
  vector: Float32Array | null;
  seq: number;
}

/** What the runtime reads: the embedders, and their vectors as they change. */
export interface EmbeddingSource {
  embedders(): Promise<EmbedderRecord[]>;
  /** Changes after `seq`, in seq order, at most `limit`. */
  vectorChanges(embedderId: string, afterSeq: number, limit: number): Promise<VectorChange[]>;
  /** The current vectors of these papers (missing ones left out). */
  vectorsOf(embedderId: string, paperIds: readonly string[]): Promise<Map<string, Float32Array>>;
}
