/**
 * A time budget SQLite itself enforces, on a read worker's connection. better-sqlite3 has no
 * sqlite3_interrupt or progress handler, and a worker thread cannot be stopped while it is inside
 * sqlite3_step; but SQLite calls back into JavaScript for a user-defined function, and a function
 * that throws ends the statement. So every full-text match gets `AND paperboy_within_budget()`,
 * evaluated for each row the match yields: past the deadline it throws and the statement stops
 * there, its worker free for the next request.
 *
 * Measured on the 74,728-paper corpus (`"a"* OR "the"* OR "con"*`, every paper matching): about
 * 1 µs a row, 60–100 ms on a 0.5–1.1 s statement. What it cannot cut is the work FTS5 does before
 * the first row (merging the postings of every term a short prefix expands to: 0.48 s of those
 * statements); the pool stops that by replacing the worker (read-pool.ts).
 *
 * The check is added by rewriting SQL as it is prepared, so the search adapters need not know of
 * it: `MATCH <parameter>` → `MATCH <parameter> AND paperboy_within_budget()`. AND binds looser
 * than MATCH, and the function is always true within budget, so the statement means the same; a
 * statement the rewrite would break is prepared as written.
 */
import type Database from 'better-sqlite3';
import { PaperboyError } from '../../core/errors.js';

const CHECK = 'paperboy_within_budget';
const MATCH_PARAMETER = /\bMATCH\s+(\?\d*|[:@$][A-Za-z_]\w*)(?![\w$])/gi;
/** a quoted string or name: what is inside is never SQL to rewrite */
const QUOTED = /('(?:[^']|'')*'|"(?:[^"]|"")*")/;

/** The statement with a budget check after each MATCH on a parameter (outside quotes). */
export function withBudgetCheck(sql: string): string {
  return sql
    .split(QUOTED)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(MATCH_PARAMETER, `$& AND ${CHECK}()`)))
    .join('');
}

/**
 * Registers the check on a connection and makes its prepare() add it. `deadline` is read at each
 * row: the epoch ms past which statements stop (Infinity outside a request).
 */
export function guardStatements(db: Database.Database, deadline: () => number, message: () => string): void {
  db.function(CHECK, { deterministic: false }, () => {
    if (Date.now() > deadline()) throw new PaperboyError('QUERY_TIMEOUT', message());
    return 1;
  });
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const guarded = withBudgetCheck(sql);
    if (guarded === sql) return prepare(sql);
    try {
      return prepare(guarded);
    } catch {
      return prepare(sql);
    }
  }) as typeof db.prepare;
}
