/** The messages between the read pool (read-pool.ts) and its workers (read-worker.ts). */
import type { ErrorCode } from '../../core/errors.js';

export interface WorkerSetup {
  /** the --db value: a SQLite file or a postgres:// URL */
  db: string;
  budgetMs: number;
  /** PostgreSQL connections of each worker */
  connections: number;
  /** the worker thread's nice value (0: unchanged) */
  nice?: number;
}

export interface Call {
  id: number;
  service: string;
  method: string;
  args: unknown[];
  /** the call's time budget, from when the worker takes it */
  budgetMs: number;
}

export interface Reply {
  ready?: true;
  /** the worker could not open the database */
  fatal?: string;
  id?: number;
  value?: unknown;
  error?: { code?: ErrorCode; message: string; stack?: string };
}

/** What a reader is told when a request runs out of its budget: why, and what to change. */
export function timeoutMessage(budgetMs: number): string {
  return (
    `this request needed more than ${budgetMs / 1000} s of database work and was stopped; ` +
    'narrow it: fewer or longer prefix* words, a "phrase", a filter such as year:2025 or cat:cs.CL, or an earlier page'
  );
}
