/**
 * A PgClient on PGlite: PostgreSQL compiled to WebAssembly, running in this process. Tests use
 * it where no PostgreSQL server answers, so the PostgreSQL store is exercised on any machine.
 *
 * @electric-sql/pglite is a devDependency: it is imported dynamically, only when this is
 * called, so production (which never calls it) never loads it.
 *
 * PGlite is one connection. It already queues every query and transaction behind one mutex, so
 * a query issued while a transaction is open waits for it instead of slipping into it. The flip
 * side: awaiting a query on this client from inside one of its own transactions never returns.
 */
import type { PGlite, PGliteOptions } from '@electric-sql/pglite';
import { PG_PARSERS, SNAPSHOT, type PgClient, type PgQuery } from './pg-client.js';

type Runner = Pick<PGlite, 'query' | 'exec'>;

export interface PgliteClient extends PgClient {
  /** the PGlite instance itself, for tests that need more (emptying it for reuse, say) */
  readonly pglite: PGlite;
}

/** Opens PGlite on dataDir (a directory, kept across runs) or in memory when none is given. */
export async function openPglite(dataDir?: string): Promise<PgliteClient> {
  const { PGlite } = await import('@electric-sql/pglite');
  const opts: PGliteOptions = { parsers: PG_PARSERS };
  if (dataDir) opts.dataDir = dataDir;
  const db = await PGlite.create(opts);
  return {
    pglite: db,
    query: (sql, params) => run(db, sql, params),
    transaction: (fn, options) =>
      db.transaction(async (tx) => {
        if (options?.snapshot) await tx.query(`SET TRANSACTION ${SNAPSHOT}`);
        return fn(queryOn(tx));
      }),
    close: () => db.close(),
  };
}

function queryOn(runner: Runner): PgQuery {
  return { query: (sql, params) => run(runner, sql, params) };
}

/**
 * PGlite's query() speaks the extended protocol: one statement per call. A call without
 * parameters may be a script (a migration), which only exec() runs; its last statement's rows
 * are what the caller wants, as node-postgres gives them.
 */
async function run<R>(runner: Runner, sql: string, params?: unknown[]): Promise<R[]> {
  if (params && params.length > 0) return (await runner.query<R>(sql, params)).rows;
  const results = await runner.exec(sql);
  return (results[results.length - 1]?.rows ?? []) as R[];
}
