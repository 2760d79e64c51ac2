/**
 * An exact vector index kept in step with a store's vectors, for the embeddings tests until the
 * vectors helper's index and sync service are merged: brute force over a Map, synced by reading
 * the store's vector changes after the last seq it applied (and counting what it read).
 */
import type { PaperVectors } from '../../src/ports/paper-vectors.js';
import type { VectorHit, VectorIndex, VectorSearchOptions } from '../../src/ports/vector-index.js';
import type { SyncedIndex } from '../../src/services/embeddings.service.js';

export class MapVectorIndex implements VectorIndex {
  readonly vectors = new Map<string, Float32Array>();
  searches = 0;
  constructor(readonly dimensions: number) {}
  get size(): number {
    return this.vectors.size;
  }
  upsert(items: ReadonlyArray<{ id: string; vector: Float32Array }>): Promise<void> {
    for (const i of items) this.vectors.set(i.id, i.vector);
    return Promise.resolve();
  }
  remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.vectors.delete(id);
    return Promise.resolve();
  }
  search(query: Float32Array, k: number, options: VectorSearchOptions = {}): Promise<VectorHit[]> {
    this.searches++;
    const hits: VectorHit[] = [];
    for (const [id, v] of this.vectors) {
      if (options.among && !options.among.has(id)) continue;
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i]! * query[i]!;
      hits.push({ id, score: s });
    }
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return Promise.resolve(hits.slice(0, k));
  }
  save(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export function syncedExact(vectors: Pick<PaperVectors, 'vectorChanges'>, embedderId: string, dimensions: number): SyncedIndex & { index: MapVectorIndex; read: number } {
  const index = new MapVectorIndex(dimensions);
  let seq = 0;
  const synced = {
    index,
    read: 0,
    async sync() {
      let applied = 0;
      for (;;) {
        const changes = await vectors.vectorChanges(embedderId, seq, 500);
        if (changes.length === 0) return applied;
        synced.read += changes.length;
        for (const c of changes) {
          if (c.vector) await index.upsert([{ id: c.paperId, vector: c.vector }]);
          else await index.remove([c.paperId]);
        }
        applied += changes.length;
        seq = changes[changes.length - 1]!.seq;
      }
    },
    close: () => Promise.resolve(),
  };
  return synced;
}
