/**
 * Exact nearest neighbours: the dot product of the query with every vector held, in one packed
 * Float32Array (grown when full; a removal moves the last vector into the freed slot), the k
 * best kept in a small heap (top-k.ts). The reference the approximate index is measured against,
 * and the peer `npm run bench:vectors` measures it beside (decision 020). Cost: n × d per query.
 */
import { PaperboyError } from '../../core/errors.js';
import type { SyncedVectorIndex, VectorHit, VectorSearchOptions } from '../../ports/vector-index.js';
import { readIndexFile, writeIndexFile } from './index-file.js';
import { dotAt, grow, TopK } from './top-k.js';

export interface VectorIndexOptions {
  dimensions: number;
  /** where save() writes and open() reads; without it the index keeps no file */
  file?: string;
  /** start empty whatever the file holds (it is overwritten by the next save) */
  fresh?: boolean;
}

/** What opening an index found: the file it loaded, or why it started empty. */
export interface OpenedFrom {
  /** loaded from its file */
  loaded: boolean;
  /** why the file was not used (missing, corrupt, other settings), when it was not */
  reason: string | null;
}

const INITIAL_CAPACITY = 1024;

export class ExactVectorIndex implements SyncedVectorIndex {
  readonly dimensions: number;
  private data: Float32Array;
  private ids: string[] = [];
  private readonly slotOf = new Map<string, number>();
  private seq = 0;
  openedFrom: OpenedFrom = { loaded: false, reason: 'new' };

  private constructor(private readonly opts: VectorIndexOptions) {
    checkDimensions(opts.dimensions);
    this.dimensions = opts.dimensions;
    this.data = new Float32Array(INITIAL_CAPACITY * opts.dimensions);
  }

  /** An empty index, or the one saved in opts.file when that file is whole and was written for these dimensions. */
  static async open(opts: VectorIndexOptions): Promise<ExactVectorIndex> {
    const index = new ExactVectorIndex(opts);
    if (!opts.file) return index;
    if (opts.fresh) {
      index.openedFrom = { loaded: false, reason: 'its file set aside' };
      return index;
    }
    const read = await readIndexFile(opts.file, { kind: 'exact', dimensions: opts.dimensions, params: {} });
    if ('unusable' in read) {
      index.openedFrom = { loaded: false, reason: read.unusable };
      return index;
    }
    if (read.ids.some((id) => id === null)) {
      index.openedFrom = { loaded: false, reason: 'a free slot in an exact index file' };
      return index;
    }
    if (read.vectors.length > 0) index.data = read.vectors; // full: the next upsert grows it
    index.ids = read.ids as string[];
    index.ids.forEach((id, slot) => index.slotOf.set(id, slot));
    index.seq = read.header.syncedSeq;
    index.openedFrom = { loaded: true, reason: null };
    return index;
  }

  get size(): number {
    return this.ids.length;
  }

  get syncedSeq(): number {
    return this.seq;
  }

  markSynced(seq: number): void {
    this.seq = seq;
  }

  async upsert(items: ReadonlyArray<{ id: string; vector: Float32Array }>): Promise<void> {
    for (const { id, vector } of items) checkVector(id, vector, this.dimensions);
    for (const { id, vector } of items) {
      let slot = this.slotOf.get(id);
      if (slot === undefined) {
        slot = this.ids.length;
        this.ensureCapacity(slot + 1);
        this.ids.push(id);
        this.slotOf.set(id, slot);
      }
      this.data.set(vector, slot * this.dimensions);
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    const d = this.dimensions;
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      const last = this.ids.length - 1;
      if (slot !== last) {
        const moved = this.ids[last]!;
        this.data.copyWithin(slot * d, last * d, (last + 1) * d);
        this.ids[slot] = moved;
        this.slotOf.set(moved, slot);
      }
      this.ids.pop();
      this.slotOf.delete(id);
    }
  }

  async search(query: Float32Array, k: number, options: VectorSearchOptions = {}): Promise<VectorHit[]> {
    checkVector('the query', query, this.dimensions);
    const top = new TopK(Math.max(0, Math.min(k, this.ids.length)));
    const among = options.among;
    const d = this.dimensions;
    for (let slot = 0, n = this.ids.length; slot < n; slot++) {
      const score = dotAt(query, this.data, slot * d);
      if (top.admits(score) && (!among || among.has(this.ids[slot]!))) top.push(score, slot);
    }
    return top.sorted().map(({ score, item }) => ({ id: this.ids[item]!, score }));
  }

  /** The vector held for id (a copy), or null. */
  vectorOf(id: string): Float32Array | null {
    const slot = this.slotOf.get(id);
    return slot === undefined ? null : this.data.slice(slot * this.dimensions, (slot + 1) * this.dimensions);
  }

  async save(): Promise<void> {
    if (!this.opts.file) return;
    const header = { kind: 'exact', dimensions: this.dimensions, count: this.ids.length, syncedSeq: this.seq, params: {} };
    await writeIndexFile(this.opts.file, header, this.ids, this.data.subarray(0, this.ids.length * this.dimensions));
  }

  async close(): Promise<void> {
    this.data = new Float32Array(0);
    this.ids = [];
    this.slotOf.clear();
  }

  private ensureCapacity(n: number): void {
    const have = this.data.length / this.dimensions;
    if (n <= have) return;
    let cap = Math.max(have, INITIAL_CAPACITY);
    while (cap < n) cap = grow(cap);
    const grown = new Float32Array(cap * this.dimensions);
    grown.set(this.data.subarray(0, this.ids.length * this.dimensions));
    this.data = grown;
  }
}

export function checkDimensions(dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions <= 0) throw new PaperboyError('CONFIG_INVALID', `a vector index of ${dimensions} dimensions`);
}

/** A vector of the index's length, every value finite; else an error naming whose it is. */
export function checkVector(whose: string, vector: Float32Array, dimensions: number): void {
  if (!(vector instanceof Float32Array) || vector.length !== dimensions)
    throw new PaperboyError('RECORD_INVALID', `${whose}: a vector of ${vector?.length} values for an index of ${dimensions} dimensions`);
  for (let i = 0; i < vector.length; i++)
    if (!Number.isFinite(vector[i]!)) throw new PaperboyError('RECORD_INVALID', `${whose}: value ${i} of its vector is ${vector[i]}`);
}
