/**
 * The site's reads on worker threads (docs/decisions/010): listings, search and related papers
 * run on a small pool of workers, each with its own connection and services, never on the thread
 * that answers everyone (better-sqlite3 is synchronous: one slow statement there would stall
 * every request). It also lets `serve` use every core on SQLite.
 *
 * Every call has a time budget, counted from when a worker takes it (a burst of legitimate
 * searches queues rather than fails; a call that waits longer than QUEUE_WAIT_BUDGETS budgets for
 * a worker is answered QUERY_TIMEOUT). A call still running at its deadline is answered
 * QUERY_TIMEOUT at once and its worker is replaced:
 * the old one is terminated (it stops at its next return to JavaScript; on SQLite its full-text
 * statements also check the deadline at each row, sqlite-budget.ts), a fresh one takes its place,
 * so the pool answers the next request at full strength.
 *
 * Slow calls (search, similar papers: the ones whose cost a client chooses) never go to the first
 * worker, so listings and paper pages always find one free of them. On SQLite, where their work
 * is CPU in this process, the other workers run at a lower CPU priority (nice 10, Linux): when
 * the machine is saturated, the event loop that answers everyone and the listings' worker get
 * the cores first, and client-chosen work what is left. (On PostgreSQL the work is the server's,
 * and a lowered worker only waited longer for its share on a busy machine: 240 searches at once
 * then ran past their budget.)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PaperboyError } from '../../core/errors.js';
import { packageRoot } from '../../package-root.js';
import { timeoutMessage, type Call, type Reply, type WorkerSetup } from './read-protocol.js';

export interface ReadPoolOptions extends WorkerSetup {
  /** worker threads (at least 1) */
  size: number;
  /** calls one worker runs at once: 1 on SQLite (synchronous), a few on PostgreSQL (waiting on the server) */
  callsPerWorker: number;
  /** keys "service.method" of the slow calls */
  slow: ReadonlySet<string>;
  /** the nice value of the workers that take slow calls (0 normal, 19 lowest) */
  slowNice: number;
  log: (message: string) => void;
}

interface Task {
  call: Omit<Call, 'budgetMs'>;
  slow: boolean;
  timer: NodeJS.Timeout;
  slot: Slot | null;
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** takes slow calls (and runs at a lower priority); the first worker does not */
  slow: boolean;
  ready: boolean;
  tasks: Map<number, Task>;
}

/** How many budgets a call may wait for a worker before it is answered QUERY_TIMEOUT. */
const QUEUE_WAIT_BUDGETS = 10;
/** How long close() waits for a worker to close its connection before terminating it. */
const CLOSE_WAIT_MS = 5000;
/** Pause before starting again a worker that could not open the database. */
const RESTART_DELAY_MS = 1000;

export class ReadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;
  /** workers terminated over budget that have not exited yet (finishing a statement) */
  private readonly stopping = new Set<Worker>();
  private readonly script = workerScript();

  private constructor(private readonly opts: ReadPoolOptions) {
  }

  /** Starts the workers; resolves once every one has opened the database (rejects if one cannot). */
  static async open(opts: ReadPoolOptions): Promise<ReadPool> {
    const pool = new ReadPool(opts);
    try {
      // a single worker takes every call; otherwise the first keeps to listings and paper pages
      const size = Math.max(1, opts.size);
      await Promise.all(Array.from({ length: size }, (_, i) => pool.start(size === 1 || i > 0)));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Workers ready to take calls (a replacement is not, until it has opened the database). */
  get readyWorkers(): number {
    return this.slots.filter((s) => s.ready).length;
  }

  /** Workers stopped over budget and still finishing a native statement. */
  get stoppingWorkers(): number {
    return this.stopping.size;
  }

  /** Thread ids of the live workers (tests watch a replaced worker go). */
  get threadIds(): number[] {
    return this.slots.map((s) => s.worker.threadId);
  }

  /** Calls `service.method(...args)` on a worker within the budget. */
  call(service: string, method: string, args: unknown[]): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the read pool is closed'));
    return new Promise((resolve, reject) => {
      const task: Task = {
        call: { id: this.nextId++, service, method, args },
        slow: this.opts.slow.has(`${service}.${method}`),
        timer: setTimeout(() => this.overBudget(task), this.opts.budgetMs * QUEUE_WAIT_BUDGETS),
        slot: null,
        resolve,
        reject,
      };
      this.queue.push(task);
      this.pump();
    });
  }

  /** Refuses new calls, ends the queued ones, lets each worker close its connection. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) this.finish(t, new Error('the read pool is closed'));
    await Promise.all(
      this.slots.splice(0).map(async (s) => {
        for (const t of s.tasks.values()) this.finish(t, new Error('the read pool is closed'));
        const exited = new Promise((r) => s.worker.once('exit', r));
        s.worker.postMessage('close');
        const late = setTimeout(() => void s.worker.terminate(), CLOSE_WAIT_MS);
        await exited;
        clearTimeout(late);
      }),
    );
  }

  private pump(): void {
    for (let i = 0; i < this.queue.length; ) {
      const task = this.queue[i]!;
      const slot = this.freeSlot(task.slow);
      if (!slot) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      task.slot = slot;
      slot.tasks.set(task.call.id, task);
      if (slot.tasks.size === 1) slot.worker.ref(); // the process waits for an answer
      clearTimeout(task.timer);
      task.timer = setTimeout(() => this.overBudget(task), this.opts.budgetMs);
      slot.worker.postMessage({ ...task.call, budgetMs: this.opts.budgetMs } satisfies Call);
    }
  }

  /** The least busy worker that may take the call; for a listing, the first worker when it is free. */
  private freeSlot(slow: boolean): Slot | null {
    let best: Slot | null = null;
    for (const s of this.slots) {
      if (!s.ready || s.tasks.size >= this.opts.callsPerWorker || (slow && !s.slow)) continue;
      if (!best || s.tasks.size < best.tasks.size || (s.tasks.size === best.tasks.size && best.slow && !s.slow)) best = s;
    }
    return best;
  }

  private overBudget(task: Task): void {
    const slot = task.slot;
    if (!slot) {
      this.queue.splice(this.queue.indexOf(task), 1);
      const waited = (this.opts.budgetMs * QUEUE_WAIT_BUDGETS) / 1000;
      this.finish(task, new PaperboyError('QUERY_TIMEOUT', `the server had no reader free for ${waited} s: it is busy; please try again in a moment`));
      return;
    }
    this.finish(task, new PaperboyError('QUERY_TIMEOUT', timeoutMessage(this.opts.budgetMs)));
    if (this.slots.includes(slot)) this.replace(slot, `over its ${this.opts.budgetMs} ms budget in ${task.call.service}.${task.call.method}`);
  }

  private finish(task: Task, result: Error | { value: unknown }): void {
    clearTimeout(task.timer);
    if (task.slot) {
      task.slot.tasks.delete(task.call.id);
      if (task.slot.tasks.size === 0) task.slot.worker.unref();
    }
    if (result instanceof Error) task.reject(result);
    else task.resolve(result.value);
  }

  /**
   * Takes a worker out: its other calls fail (on SQLite it has none), it is terminated, and a new
   * one starts in its place at once.
   */
  private replace(slot: Slot, why: string): void {
    this.slots.splice(this.slots.indexOf(slot), 1);
    for (const t of slot.tasks.values()) this.finish(t, new PaperboyError('QUERY_TIMEOUT', timeoutMessage(this.opts.budgetMs)));
    const old = slot.worker;
    this.stopping.add(old);
    old.once('exit', () => this.stopping.delete(old));
    void old.terminate();
    this.opts.log(`read worker ${old.threadId} stopped: ${why}; starting another`);
    if (!this.closed) void this.start(slot.slow).catch(() => undefined);
  }

  /** Starts one worker and adds it to the pool once it has opened the database. */
  private start(slow: boolean): Promise<void> {
    const { db, budgetMs, connections } = this.opts;
    // one worker alone takes every call: it keeps the normal priority
    const nice = slow && this.opts.size > 1 ? this.opts.slowNice : 0;
    const worker = new Worker(this.script, { workerData: { db, budgetMs, connections, nice } satisfies WorkerSetup });
    worker.unref();
    const slot: Slot = { worker, slow, ready: false, tasks: new Map() };
    this.slots.push(slot);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (r: Reply) => {
        if (r.ready) {
          slot.ready = true;
          resolve();
          this.pump();
        } else if (r.fatal !== undefined) reject(new Error(`a read worker could not open the database: ${r.fatal}`));
        else if (r.id !== undefined) this.answered(slot, r);
      });
      worker.on('error', (e) => {
        if (!slot.ready) reject(e);
        else this.opts.log(`read worker ${worker.threadId} failed: ${e.stack ?? e.message}`);
      });
      worker.on('exit', () => {
        if (!this.slots.includes(slot)) return; // replaced or closed: expected
        this.slots.splice(this.slots.indexOf(slot), 1);
        for (const t of slot.tasks.values()) this.finish(t, new Error('a read worker exited while answering'));
        reject(new Error('a read worker exited while starting'));
        if (this.closed) return;
        // a worker that dies at once would otherwise be restarted in a tight loop
        const restart = setTimeout(() => {
          if (!this.closed) this.start(slot.slow).catch((e: Error) => this.opts.log(e.message));
        }, slot.ready ? 0 : RESTART_DELAY_MS);
        restart.unref();
      });
    });
  }

  private answered(slot: Slot, r: Reply): void {
    const task = slot.tasks.get(r.id!);
    if (!task) return; // over budget and answered already
    if (!r.error) this.finish(task, { value: r.value });
    else if (r.error.code) this.finish(task, new PaperboyError(r.error.code, r.error.message));
    else {
      const e = new Error(r.error.message);
      e.stack = r.error.stack ?? r.error.message;
      this.finish(task, e);
    }
    this.pump();
  }
}

/**
 * The worker's compiled script. Tests run this module from src/ (TypeScript, through vitest),
 * where no .js sits beside it, and the command line bundled (a chunk in dist/cli-chunks/): the
 * worker then runs tsc's dist/, which `npm run build` makes. A thread of its own, it shares no
 * module with this one, only messages.
 */
function workerScript(): URL {
  const beside = new URL('./read-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return pathToFileURL(join(packageRoot(import.meta.url), 'dist', 'adapters', 'read-pool', 'read-worker.js'));
}
