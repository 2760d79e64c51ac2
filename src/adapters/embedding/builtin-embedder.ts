/**
 * The built-in embedder (issue 12, decision 021): Paperboy's own SIF model
 * (core/embedding/sif-model.ts), learned from the papers in the store, nothing downloaded.
 * Queries and documents are embedded alike. Its id names the trained state's hash, so a
 * retrained model's vectors are never compared with the old ones.
 */
import { readFile } from 'node:fs/promises';
import { SifModel } from '../../core/embedding/sif-model.js';
import type { EmbedKind, Embedder } from '../../ports/embedder.js';

export class BuiltinEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;

  constructor(readonly model: SifModel) {
    this.id = `builtin-sif-${model.dimensions}:${model.hash}`;
    this.dimensions = model.dimensions;
  }

  static fromBuffer(buf: Buffer, source?: string): BuiltinEmbedder {
    return new BuiltinEmbedder(SifModel.fromBuffer(buf, source));
  }

  static async fromFile(path: string): Promise<BuiltinEmbedder> {
    return BuiltinEmbedder.fromBuffer(await readFile(path), path);
  }

  toBuffer(): Buffer {
    return this.model.toBuffer();
  }

  embed(texts: readonly string[], _kind: EmbedKind): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((t) => this.model.embed(t)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
