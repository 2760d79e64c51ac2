/**
 * A small, real Embedder for tests: a bag of stems hashed into a fixed number of dimensions,
 * each stem weighted by its count, the vector normalised to unit length. Papers sharing stems are
 * close; a text with no token is the zero vector (as the port asks). Synonyms are not close: a
 * test that needs "similar in meaning" without shared words passes `synonyms`, stems that are
 * folded to one before hashing.
 */
import { terms } from '../../src/core/tokenize.js';
import type { EmbedKind, Embedder } from '../../src/ports/embedder.js';

export class HashedEmbedder implements Embedder {
  readonly id: string;
  /** how many texts it was asked to embed, per kind (tests check the cost stays bounded) */
  readonly embedded: Record<EmbedKind, number> = { query: 0, document: 0 };

  constructor(
    readonly dimensions = 64,
    private readonly synonyms: Record<string, string> = {},
  ) {
    this.id = `hashed-${dimensions}`;
  }

  embed(texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]> {
    this.embedded[kind] += texts.length;
    return Promise.resolve(texts.map((t) => this.vector(t)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private vector(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const t of terms(text)) {
      const s = this.synonyms[t] ?? t;
      v[fnv1a(s) % this.dimensions]! += 1;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let i = 0; i < v.length; i++) v[i]! *= inv;
    }
    return v;
  }
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
