/**
 * A read worker (read-pool.ts): a thread with its own connection (read-only on SQLite; a small
 * pool with a statement_timeout on PostgreSQL) and its own listing, search and related services,
 * answering one call at a time. On SQLite each call reads one snapshot (BEGIN … COMMIT), and its
 * full-text statements stop at the call's deadline (sqlite-budget.ts).
 */
import { readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openDatabase } from '../db/open-store.js';
import { SqliteStore } from '../db/sqlite.store.js';
import { readServices } from '../../container.js';
import { PaperboyError } from '../../core/errors.js';
import { guardStatements } from './sqlite-budget.js';
import { timeoutMessage, type Call, type Reply, type WorkerSetup } from './read-protocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;
if (setup.nice) lowerPriority(setup.nice);

let deadline = Infinity;
const opened = await openDatabase(setup.db, { serving: true, reader: { statementTimeoutMs: setup.budgetMs, connections: setup.connections } });
const { store } = opened;
let connection: Database.Database | null = null;
try {
  if (store instanceof SqliteStore) {
    connection = store.connection;
    guardStatements(connection, () => deadline, () => timeoutMessage(setup.budgetMs));
    await store.migrate(); // read-only: checks the schema, prepares the statements
  }
} catch (e) {
  port.postMessage({ fatal: (e as Error).message } satisfies Reply);
  await store.close();
  process.exit(1);
}
const services = readServices(opened) as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;

port.on('message', (m: Call | 'close') => {
  if (m === 'close') {
    void store.close().finally(() => process.exit(0));
    return;
  }
  void answer(m).then((r) => port.postMessage(r));
});
port.postMessage({ ready: true } satisfies Reply);

async function answer(m: Call): Promise<Reply> {
  deadline = Date.now() + m.budgetMs;
  const snapshot = connection !== null && !connection.inTransaction;
  if (snapshot) connection!.exec('BEGIN');
  try {
    const fn = services[m.service]?.[m.method];
    if (!fn) throw new Error(`no read ${m.service}.${m.method}`);
    return { id: m.id, value: await fn.apply(services[m.service], m.args) };
  } catch (e) {
    return { id: m.id, error: describe(e) };
  } finally {
    deadline = Infinity;
    if (snapshot && connection!.inTransaction) connection!.exec('COMMIT');
  }
}

/** An error as it can cross to the main thread: PaperboyErrors keep their code. */
function describe(e: unknown): NonNullable<Reply['error']> {
  if (e instanceof PaperboyError) return { code: e.code, message: e.message };
  // PostgreSQL's statement_timeout: query_canceled
  if ((e as { code?: unknown }).code === '57014') return { code: 'QUERY_TIMEOUT', message: timeoutMessage(setup.budgetMs) };
  const err = e instanceof Error ? e : new Error(String(e));
  return { message: err.message, stack: err.stack ?? err.message };
}

/**
 * Lowers this thread's CPU priority. On Linux a nice value belongs to a thread, which setpriority
 * names by its thread id (/proc/thread-self/stat's first field); elsewhere this does nothing.
 */
function lowerPriority(nice: number): void {
  try {
    const tid = Number(readFileSync('/proc/thread-self/stat', 'utf8').split(' ', 1)[0]);
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // no /proc (not Linux) or not allowed: the worker runs at the process's priority
  }
}
