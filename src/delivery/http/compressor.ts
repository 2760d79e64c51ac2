/**
 * Compression off the event loop, on worker threads of our own: one fewer than the machine has
 * cores (at least one), so the event loop that renders pages keeps a core to itself.
 *
 * Why not zlib's async functions: they run on libuv's pool, four threads whatever the machine,
 * and drive a stream per body. On two cores, four compressions at once took the CPU from the
 * event loop, and the stream machinery cost the event loop tens of microseconds a body. Measured
 * on paper pages shown for the first time (the web bench, 2 cores): 1,830 pages/s with zlib's
 * async functions, 2,560 with these workers.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export type Encoding = 'br' | 'gzip';

/**
 * Brotli at quality 3 by default: a paper page (11 kB) in 0.12 ms to 3.2 kB, where quality 5
 * takes about twice as long for 12% less; gzip -6 for clients without Brotli. Most pages are
 * compressed once per data version, often for a single reader: the first answer's speed matters
 * more than the last bytes. Pages rendered ahead (pages-ahead.ts) wait for nobody and ask for 5.
 */
const WORKER = `
const { parentPort } = require('node:worker_threads');
const zlib = require('node:zlib');
parentPort.on('message', ({ id, body, encoding, quality }) => {
  try {
    const out = encoding === 'br'
      ? zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality ?? 3, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
      : zlib.gzipSync(body, { level: 6 });
    const bytes = out.buffer.byteLength === out.length ? out.buffer : out.buffer.slice(out.byteOffset, out.byteOffset + out.length);
    parentPort.postMessage({ id, bytes }, [bytes]);
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
});
`;

interface Job {
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
}

export class Compressor {
  private readonly workers: { worker: Worker; jobs: Map<number, Job> }[] = [];
  private nextId = 0;

  /** @param size worker threads, started as compressions need them */
  constructor(private readonly size: number) {}

  /** @param quality Brotli's (0–11; default 3), for encoding 'br' */
  compress(body: Buffer, encoding: Encoding, quality?: number): Promise<Buffer> {
    const slot = this.slot();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      if (slot.jobs.size === 0) slot.worker.ref(); // the process waits for an answer…
      slot.jobs.set(id, { resolve, reject });
      slot.worker.postMessage({ id, body, encoding, quality });
    });
  }

  /** Stops the workers; compressions still running fail. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  /** The worker with the fewest jobs, started on first use; a worker that died is replaced. */
  private slot() {
    if (this.workers.length < this.size) return this.start();
    return this.workers.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  }

  private start() {
    const worker = new Worker(WORKER, { eval: true, execArgv: [] }); // CommonJS, whatever flags the process has
    const slot = { worker, jobs: new Map<number, Job>() };
    worker.on('message', (m: { id: number; bytes?: ArrayBuffer; error?: string }) => {
      const job = slot.jobs.get(m.id);
      slot.jobs.delete(m.id);
      if (slot.jobs.size === 0) worker.unref(); // …but an idle worker never keeps it alive
      if (!job) return;
      if (m.bytes) job.resolve(Buffer.from(m.bytes));
      else job.reject(new Error(`compression failed: ${m.error ?? 'unknown error'}`));
    });
    const fail = (e: Error) => {
      const i = this.workers.indexOf(slot);
      if (i >= 0) this.workers.splice(i, 1); // the next compression starts a new worker
      for (const job of slot.jobs.values()) job.reject(e);
      slot.jobs.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`compression worker exited (${code})`)));
    worker.unref(); // after adding the listeners, which ref it
    this.workers.push(slot);
    return slot;
  }
}

const shared = new Compressor(Math.max(1, availableParallelism() - 1));

/** A body compressed with Brotli (at `quality`, default 3) or gzip on a compression thread. */
export function compress(body: Buffer, encoding: Encoding, quality?: number): Promise<Buffer> {
  return shared.compress(body, encoding, quality);
}
