/**
 * Copies the write-ahead log back into the database file from a thread of its own (decision 043).
 *
 * SQLite checkpoints on the connection that commits, once the WAL passes 1,000 pages: in serve,
 * that is the thread that answers every request, and a checkpoint (about 1,400 pages and an
 * fsync) held it for 18 ms here, so every reader waited behind one voter's commit. serve's
 * writing connection therefore checkpoints only far past that (CHECKPOINT_FALLBACK_PAGES: a
 * safety net, should this thread stop), and this thread runs a PASSIVE checkpoint every
 * INTERVAL_MS on its own connection. PASSIVE never waits for a lock and never makes the writer
 * or a reader wait: it copies what no reader still needs, and the next tick copies the rest.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** serve's writing connection checkpoints itself only when the WAL is this long (40 MB) */
export const CHECKPOINT_FALLBACK_PAGES = 10_000;
const INTERVAL_MS = 200;

// CommonJS, run as given (no file to find next to a bundle): better-sqlite3 is resolved here
const SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or failing now: the next tick tries again, and the writer's own checkpoint is the net
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.postMessage('stopped');
});
`;

export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;
  private exited = false;

  constructor(path: string, intervalMs = INTERVAL_MS) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(SCRIPT, { eval: true, workerData: { path, driver, intervalMs } });
    // never what keeps the process running
    this.worker.unref();
    this.worker.on('error', () => undefined);
    this.worker.once('exit', () => (this.exited = true));
  }

  /** Stops the thread after its current checkpoint and closes its connection. */
  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.stopped ??= new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.once('message', () => void this.worker.terminate());
      this.worker.postMessage('stop');
    });
    return this.stopped;
  }
}
