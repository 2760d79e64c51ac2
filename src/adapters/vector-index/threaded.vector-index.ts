/**
 * A vector index held by a thread of its own (vector-index.worker.ts), for `serve`: a query's
 * graph walk (1–5 ms at 75k papers, more at millions) and the insertion of a harvest's vectors
 * (hundreds of milliseconds a batch) would otherwise run on the thread that answers every
 * request. The same SyncedVectorIndex as the index it holds (HNSW or exact, opened from the same
 * file): calls become messages, vectors travel in one transferred buffer, and size and syncedSeq
 * are mirrored here from each answer, so that they read synchronously as the port says.
 *
 * Vectors are checked here, before they travel, so that a bad one is refused with the same error
 * as in process, and nothing is sent. The thread keeps the process alive only while a call waits.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SyncedVectorIndex, VectorHit, VectorSearchOptions } from '../../ports/vector-index.js';
import { packageRoot } from '../../package-root.js';
import { checkVector, type OpenedFrom } from './exact.vector-index.js';
import type { OpenVectorIndexOptions } from './open-vector-index.js';
import type { IndexCall, IndexReply, IndexState } from './threaded-protocol.js';

type Pending = { resolve: (hits: VectorHit[] | undefined) => void; reject: (e: Error) => void };
type Call = IndexCall extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export class ThreadedVectorIndex implements SyncedVectorIndex {
  readonly dimensions: number;
  private state: IndexState;
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  private failed: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly openedFrom: OpenedFrom,
    dimensions: number,
    state: IndexState,
  ) {
    this.dimensions = dimensions;
    this.state = state;
    worker.on('message', (m: IndexReply) => {
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in m) return p.reject(new Error(m.error));
      this.state = { size: m.size, syncedSeq: m.syncedSeq };
      p.resolve(m.hits);
    });
    const fail = (e: Error) => {
      this.failed ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the vector index's thread ended (exit code ${code})`)));
    worker.unref();
  }

  /** Opens the index in a new thread: loaded from its file when whole and its own, else empty (openVectorIndex). */
  static async open(opts: OpenVectorIndexOptions): Promise<ThreadedVectorIndex> {
    const worker = new Worker(workerScript(), { workerData: opts });
    let onMessage!: (m: IndexReply) => void, onError!: (e: Error) => void, onExit!: (code: number) => void;
    const first = await new Promise<IndexReply>((resolve, reject) => {
      onMessage = resolve;
      onError = reject;
      onExit = (code) => reject(new Error(`the vector index's thread ended while opening (exit code ${code})`));
      worker.once('message', onMessage).once('error', onError).once('exit', onExit);
    }).finally(() => worker.off('message', onMessage).off('error', onError).off('exit', onExit));
    if ('fatal' in first) {
      await worker.terminate();
      throw new Error(first.fatal);
    }
    if (!('ready' in first)) throw new Error('the vector index thread answered out of turn');
    return new ThreadedVectorIndex(worker, first.openedFrom, opts.dimensions, { size: first.size, syncedSeq: first.syncedSeq });
  }

  get size(): number {
    return this.state.size;
  }

  get syncedSeq(): number {
    return this.state.syncedSeq;
  }

  markSynced(seq: number): void {
    this.state = { ...this.state, syncedSeq: seq };
    this.worker.postMessage({ op: 'markSynced', seq } satisfies IndexCall);
  }

  async upsert(items: ReadonlyArray<{ id: string; vector: Float32Array }>): Promise<void> {
    if (items.length === 0) return;
    const d = this.dimensions;
    for (const { id, vector } of items) checkVector(id, vector, d);
    const flat = new Float32Array(items.length * d);
    items.forEach(({ vector }, i) => flat.set(vector, i * d));
    await this.call({ op: 'upsert', ids: items.map((x) => x.id), flat }, [flat.buffer as ArrayBuffer]);
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.call({ op: 'remove', ids: [...ids] });
  }

  async search(query: Float32Array, k: number, options: VectorSearchOptions = {}): Promise<VectorHit[]> {
    checkVector('the query', query, this.dimensions);
    const hits = await this.call({ op: 'search', query, k, ...(options.among ? { among: options.among } : {}) });
    return hits ?? [];
  }

  async save(): Promise<void> {
    await this.call({ op: 'save' });
  }

  async close(): Promise<void> {
    if (this.failed) return;
    await this.call({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }

  private call(c: Call, transfer: ArrayBuffer[] = []): Promise<VectorHit[] | undefined> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...c, id } as IndexCall, transfer);
    });
  }
}

/** The worker's compiled script: beside this module once built, else tsc's dist/ (as read-pool.ts finds its worker). */
function workerScript(): URL {
  const beside = new URL('./vector-index.worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return pathToFileURL(join(packageRoot(import.meta.url), 'dist', 'adapters', 'vector-index', 'vector-index.worker.js'));
}
