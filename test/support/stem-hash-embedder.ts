/**
 * A small, real Embedder for the embeddings-runtime tests (named, so that several differ by id; signed hashing): the stems of a text hashed into a few dimensions (signed
 * feature hashing), normalised. Texts sharing words get close vectors; nothing is learned or
 * downloaded. It counts what it embeds, so tests can assert the cost of a job.
 */
import { createHash } from 'node:crypto';
import type { EmbedKind, Embedder } from '../../src/ports/embedder.js';
import { stem, tokenTexts } from '../../src/core/tokenize.js';

export class StemHashEmbedder implements Embedder {
  readonly id: string;
  /** texts embedded so far, per kind */
  readonly embedded = { query: 0, document: 0 };
  closed = false;

  /**
   * `synonyms` stands for what a model knows of meaning: a word mapped to another is embedded as
   * that one, so a text can be near papers that share none of its words.
   */
  constructor(
    readonly dimensions = 64,
    name = 'hashed',
    private readonly synonyms: Readonly<Record<string, string>> = {},
  ) {
    this.id = `test-${name}-${dimensions}`;
  }

  embed(texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]> {
    this.embedded[kind] += texts.length;
    return Promise.resolve(texts.map((t) => this.vector(t)));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private vector(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const token of tokenTexts(text)) {
      if (token.length < 3) continue;
      const h = createHash('md5').update(stem(this.synonyms[token] ?? token)).digest();
      v[h.readUInt32LE(0) % this.dimensions]! += h[4]! & 1 ? 1 : -1;
    }
    let n = 0;
    for (const x of v) n += x * x;
    n = Math.sqrt(n);
    if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
    return v;
  }
}
