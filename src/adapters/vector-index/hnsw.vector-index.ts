/**
 * Approximate nearest neighbours: an HNSW graph (usearch, native, in process) over int8-quantised
 * vectors, whose candidates are rescored with the exact float vectors kept beside it, so that the
 * scores returned are true cosines and the order among the candidates exact (decision 020).
 * A filter (`among`) is applied by oversampling: more candidates are drawn until k pass or the
 * candidates reach a good part of the index, and then the float vectors are scanned exactly (a
 * rare filter is cheaper exact than through the graph).
 *
 * Each paper holds a slot: its key in the graph and its place among the float vectors. A removed
 * paper's slot is freed and reused; a replaced vector is removed from the graph and added again.
 *
 * Saved as two files: the graph in usearch's own format at `file`, and `file`.meta (index-file.ts:
 * the ids by slot, the float vectors, the seq it reflects, the graph's size and SHA-256). Both are
 * checked when opened; anything missing, corrupt or written under other settings starts empty,
 * and the sync (services/vector-sync.service.ts) rebuilds it from the store.
 */
import { rename, rm } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Index as UsearchIndex, MetricKind, ScalarKind } from 'usearch';
import type { SyncedVectorIndex, VectorHit, VectorSearchOptions } from '../../ports/vector-index.js';
import { checkDimensions, checkVector, type OpenedFrom } from './exact.vector-index.js';
import { hashFile, readIndexFile, writeIndexFile } from './index-file.js';
import { dotAt, grow, TopK } from './top-k.js';

export interface HnswSettings {
  /** graph links per node (usearch's connectivity, HNSW's M) */
  connectivity: number;
  /** candidates kept while a vector is added (efConstruction) */
  expansionAdd: number;
  /** candidates kept while searching (ef) */
  expansionSearch: number;
  /** graph candidates rescored with the float vectors: this many times k, at least */
  rescore: number;
}

/** Chosen by `npm run bench:vectors` (decision 020): recall@10 ≥ 0.95 at 1M vectors of 256 dims. */
export const HNSW_DEFAULTS: HnswSettings = { connectivity: 24, expansionAdd: 64, expansionSearch: 256, rescore: 4 };

export interface HnswIndexOptions {
  dimensions: number;
  /** the graph file (`<dir>/<name>.usearch`); its `.meta` is written beside it. Without it, no file. */
  file?: string;
  settings?: Partial<HnswSettings>;
  /** start empty whatever the files hold (they are overwritten by the next save) */
  fresh?: boolean;
  /** threads for adding a batch (0: usearch's choice, every core) */
  addThreads?: number;
}

const INITIAL_SLOTS = 1024;
/** vectors added to the graph per call: the event loop gets a turn between batches */
const ADD_BATCH = 2048;
/** candidates up to this share of the index come from the graph; more, and every vector is scored */
const EXACT_SHARE = 0.1;
/** with a filter, candidates are drawn until this many times k pass */
const FILTER_MARGIN = 2;

export class HnswVectorIndex implements SyncedVectorIndex {
  readonly dimensions: number;
  readonly settings: HnswSettings;
  openedFrom: OpenedFrom = { loaded: false, reason: 'new' };
  private graph: UsearchIndex;
  private floats: Float32Array;
  /** paper id by slot; null: free */
  private ids: (string | null)[] = [];
  private readonly slotOf = new Map<string, number>();
  private free: number[] = [];
  private seq = 0;

  private constructor(private readonly opts: HnswIndexOptions) {
    checkDimensions(opts.dimensions);
    this.dimensions = opts.dimensions;
    this.settings = { ...HNSW_DEFAULTS, ...opts.settings };
    this.graph = this.newGraph();
    this.floats = new Float32Array(INITIAL_SLOTS * opts.dimensions);
  }

  /** An empty index, or the one saved at opts.file when both its files are whole and match these settings. */
  static async open(opts: HnswIndexOptions): Promise<HnswVectorIndex> {
    const index = new HnswVectorIndex(opts);
    if (opts.file) index.openedFrom = opts.fresh ? { loaded: false, reason: 'its file set aside' } : await index.load(opts.file);
    return index;
  }

  get size(): number {
    return this.slotOf.size;
  }

  get syncedSeq(): number {
    return this.seq;
  }

  markSynced(seq: number): void {
    this.seq = seq;
  }

  async upsert(items: ReadonlyArray<{ id: string; vector: Float32Array }>): Promise<void> {
    for (const { id, vector } of items) checkVector(id, vector, this.dimensions);
    const last = new Map<string, Float32Array>();
    for (const { id, vector } of items) {
      last.delete(id);
      last.set(id, vector);
    }
    const d = this.dimensions;
    const slots: number[] = [];
    for (const [id, vector] of last) {
      let slot = this.slotOf.get(id);
      if (slot === undefined) {
        slot = this.free.pop() ?? this.ids.length;
        if (slot === this.ids.length) this.ids.push(null);
        this.ensureSlots(slot + 1);
        this.ids[slot] = id;
        this.slotOf.set(id, slot);
      } else this.graph.remove(BigInt(slot));
      this.floats.set(vector, slot * d);
      slots.push(slot);
    }
    for (let i = 0; i < slots.length; i += ADD_BATCH) {
      const batch = slots.slice(i, i + ADD_BATCH);
      const flat = new Float32Array(batch.length * d);
      batch.forEach((slot, j) => flat.set(this.floats.subarray(slot * d, (slot + 1) * d), j * d));
      this.graph.add(BigUint64Array.from(batch, (s) => BigInt(s)), flat, this.opts.addThreads ?? 0);
      if (i + ADD_BATCH < slots.length) await yieldToLoop();
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      this.graph.remove(BigInt(slot));
      this.slotOf.delete(id);
      this.ids[slot] = null;
      this.free.push(slot);
    }
  }

  async search(query: Float32Array, k: number, options: VectorSearchOptions = {}): Promise<VectorHit[]> {
    checkVector('the query', query, this.dimensions);
    const size = this.slotOf.size;
    const want = Math.max(0, Math.min(Math.floor(k), size));
    if (want === 0) return [];
    const among = options.among;
    // rescoring makes up for the int8 codes' error among the best few: k × rescore candidates, but
    // no more than the walk keeps anyway (ef) unless k itself is more. Asking 4 × 125 for a hybrid
    // search's depth doubled its cost (ef 500) for recall@100 0.991 against 0.981 (74,728 papers).
    let candidates = Math.max(Math.min(want * this.settings.rescore, this.settings.expansionSearch), want + 16);
    for (;;) {
      // as many candidates as a good part of the index: scanning it exactly costs about the same
      // and misses nothing (a graph walk may not reach every node)
      if (candidates >= size * EXACT_SHARE) return this.exact(query, want, among);
      const top = new TopK(want);
      const found = this.graph.search(query, candidates, 1);
      const keys = found.keys;
      let passed = 0;
      for (let i = 0; i < keys.length; i++) {
        const slot = Number(keys[i]!);
        const id = this.ids[slot];
        if (id === null || id === undefined) continue;
        if (among && !among.has(id)) continue;
        passed++;
        top.push(dotAt(query, this.floats, slot * this.dimensions), slot);
      }
      // with a filter, the k best that pass lie deeper in the graph's order than the k best: stop
      // once twice k passed, so that the last of them are not the graph's least certain candidates
      if (!among || passed >= want * FILTER_MARGIN || keys.length < candidates) return this.hits(top);
      candidates *= 4;
    }
  }

  async save(): Promise<void> {
    const file = this.opts.file;
    if (!file) return;
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      this.graph.save(tmp);
      const graph = (await hashFile(tmp))!;
      await rename(tmp, file);
      const slots = this.ids.length;
      await writeIndexFile(
        `${file}.meta`,
        { kind: 'hnsw', dimensions: this.dimensions, count: slots, syncedSeq: this.seq, params: this.params(), graph },
        this.ids,
        this.floats.subarray(0, slots * this.dimensions),
      );
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async close(): Promise<void> {
    this.graph = this.newGraph();
    this.floats = new Float32Array(0);
    this.ids = [];
    this.slotOf.clear();
    this.free = [];
  }

  private hits(top: TopK): VectorHit[] {
    return top.sorted().map(({ score, item }) => ({ id: this.ids[item]!, score }));
  }

  /** Every live vector scored: for a filter that few pass, or a k near the index's size. */
  private exact(query: Float32Array, k: number, among: ReadonlySet<string> | undefined): VectorHit[] {
    const top = new TopK(k);
    for (let slot = 0; slot < this.ids.length; slot++) {
      const id = this.ids[slot];
      if (id === null || id === undefined) continue;
      const score = dotAt(query, this.floats, slot * this.dimensions);
      if (top.admits(score) && (!among || among.has(id))) top.push(score, slot);
    }
    return this.hits(top);
  }

  private async load(file: string): Promise<OpenedFrom> {
    const read = await readIndexFile(`${file}.meta`, { kind: 'hnsw', dimensions: this.dimensions, params: this.params() });
    if ('unusable' in read) return { loaded: false, reason: read.unusable };
    const graph = await hashFile(file);
    if (!graph) return { loaded: false, reason: 'its graph file is missing' };
    if (graph.bytes !== read.header.graph?.bytes || graph.sha256 !== read.header.graph.sha256)
      return { loaded: false, reason: 'its graph file does not match (corrupt, or from another save)' };
    const loaded = this.newGraph();
    try {
      loaded.load(file);
    } catch (e) {
      return { loaded: false, reason: `its graph file could not be loaded: ${(e as Error).message}` };
    }
    const live = read.ids.filter((id) => id !== null).length;
    if (loaded.size() !== live) return { loaded: false, reason: `its graph holds ${loaded.size()} vectors, its ids ${live}` };
    this.graph = loaded;
    this.floats = read.vectors.length > 0 ? read.vectors : this.floats;
    this.ids = read.ids;
    read.ids.forEach((id, slot) => (id === null ? this.free.push(slot) : this.slotOf.set(id, slot)));
    this.free.reverse(); // the lowest slot is reused first
    this.seq = read.header.syncedSeq;
    return { loaded: true, reason: null };
  }

  private params(): Record<string, string | number> {
    const s = this.settings;
    return { metric: 'cos', quantization: 'i8', connectivity: s.connectivity, expansionAdd: s.expansionAdd };
  }

  private newGraph(): UsearchIndex {
    const s = this.settings;
    return new UsearchIndex({
      dimensions: this.dimensions,
      metric: MetricKind.Cos,
      quantization: ScalarKind.I8,
      connectivity: s.connectivity,
      expansion_add: s.expansionAdd,
      expansion_search: s.expansionSearch,
      multi: false,
    });
  }

  private ensureSlots(n: number): void {
    const have = this.floats.length / this.dimensions;
    if (n <= have) return;
    let cap = Math.max(have, INITIAL_SLOTS);
    while (cap < n) cap = grow(cap);
    const grown = new Float32Array(cap * this.dimensions);
    grown.set(this.floats.subarray(0, this.ids.length * this.dimensions));
    this.floats = grown;
  }
}
