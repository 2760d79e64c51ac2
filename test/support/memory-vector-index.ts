/**
 * Exact nearest neighbours in memory, for tests until the vectors branch's ExactVectorIndex
 * lands: a scan of every vector, ties broken by id so that results are deterministic.
 */
import type { VectorHit, VectorIndex, VectorSearchOptions } from '../../src/ports/vector-index.js';

export class MemoryVectorIndex implements VectorIndex {
  private readonly vectors = new Map<string, Float32Array>();
  /** how many vectors the searches scanned, in all */
  scanned = 0;

  constructor(readonly dimensions: number) {}

  get size(): number {
    return this.vectors.size;
  }

  upsert(items: ReadonlyArray<{ id: string; vector: Float32Array }>): Promise<void> {
    for (const { id, vector } of items) {
      if (vector.length !== this.dimensions) throw new Error(`vector for ${id} has ${vector.length} dimensions, not ${this.dimensions}`);
      this.vectors.set(id, vector);
    }
    return Promise.resolve();
  }

  remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.vectors.delete(id);
    return Promise.resolve();
  }

  search(query: Float32Array, k: number, options: VectorSearchOptions = {}): Promise<VectorHit[]> {
    const hits: VectorHit[] = [];
    for (const [id, v] of this.vectors) {
      this.scanned++;
      if (options.among && !options.among.has(id)) continue;
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i]! * query[i]!;
      hits.push({ id, score: s });
    }
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return Promise.resolve(hits.slice(0, Math.max(0, k)));
  }

  save(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
