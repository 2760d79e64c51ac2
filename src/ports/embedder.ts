/**
 * Turning text into vectors (issue 12): what semantic and hybrid search, similar papers and
 * semantic alerts use. Adapters (adapters/embedding): the built-in model Paperboy learns from its
 * own papers (the default, nothing downloaded), a sentence-transformer in ONNX form run locally
 * from a model folder, and any OpenAI-compatible `/v1/embeddings` endpoint. Contract:
 * test/contracts/embedder.contract.ts.
 */

/** Queries and documents may be embedded differently (instruction prefixes, for example). */
export type EmbedKind = 'query' | 'document';

export interface Embedder {
  /**
   * Names the model and everything that changes its vectors (for the built-in model, a hash of
   * its trained state): vectors made under different ids are never compared, and a new id means
   * the papers are embedded again (in the background; search answers from the old vectors until
   * the new ones are complete).
   */
  readonly id: string;
  readonly dimensions: number;
  /**
   * One vector per text, in order, each of unit length (cosine similarity is the dot product).
   * A text with nothing the model knows gets the zero vector. Batches as the model prefers; a
   * remote model's failure is an error naming the endpoint, after its retries.
   */
  embed(texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]>;
  /** Releases what the model holds (sessions, sockets). */
  close(): Promise<void>;
}
