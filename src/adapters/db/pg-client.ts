/**
 * The little the PostgreSQL store needs from a connection: run a query, run a transaction,
 * close. Two implementations share it: a node-postgres pool on a real server (here) and PGlite,
 * PostgreSQL in WebAssembly, for tests on machines without a server (pglite-client.ts).
 *
 * Both decode values the same way, so that rows look like SQLite's: timestamps as ISO-8601
 * strings with milliseconds and 'Z', dates as 'YYYY-MM-DD', counts as numbers.
 */
import pg from 'pg';

export interface PgQuery {
  /**
   * Runs one statement (or, without params, a script of several) and returns its rows. A
   * `prepared` name makes it a prepared statement on each connection, parsed and planned once:
   * for the few statements every page view runs (one name per SQL text, never a built one).
   */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], prepared?: string): Promise<R[]>;
}

/** A transaction's kind: `snapshot`, read only on one consistent view (REPEATABLE READ), for reads of several statements. */
export interface TransactionOptions {
  snapshot?: boolean;
}

/** A snapshot's transaction mode: in its BEGIN on the pool, in SET TRANSACTION where BEGIN is not ours to write (PGlite). */
export const SNAPSHOT = 'ISOLATION LEVEL REPEATABLE READ, READ ONLY';

export interface PgClient extends PgQuery {
  /** Runs fn on one connection inside BEGIN … COMMIT; rolls back if it throws. */
  transaction<T>(fn: (q: PgQuery) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

/** Type OIDs (pg_type.oid) whose decoding differs from the drivers' defaults. */
export const PG_OID = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMPTZ: 1184 } as const;

const driverTimestamptz = pg.types.getTypeParser(PG_OID.TIMESTAMPTZ, 'text') as (v: string) => Date | number;

/**
 * timestamptz text → ISO string. node-postgres's own parser (postgres-date) reads every form the
 * server prints (any zone offset, microseconds, years below 100) where Date.parse guesses;
 * 'infinity' has no ISO form and is passed through as the server spelled it.
 */
export function timestamptzToIso(v: string): string {
  const d = driverTimestamptz(v);
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : v;
}

/** Parsers by type OID, shared by both clients. */
export const PG_PARSERS: Record<number, (v: string) => unknown> = {
  [PG_OID.TIMESTAMPTZ]: timestamptzToIso,
  // a calendar day, not an instant: a Date would shift it by the process's time zone
  [PG_OID.DATE]: (v) => v,
  // COUNT and SUM come back as int8/numeric; our counts are far below 2^53
  [PG_OID.INT8]: Number,
  [PG_OID.NUMERIC]: Number,
};

const poolTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (format ?? 'text') === 'text' && PG_PARSERS[oid] ? PG_PARSERS[oid] : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The URL without its password or query string: safe for messages and logs. */
export function describePgUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return 'the PostgreSQL database';
  }
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is PostgreSQL running there, on that port?)',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be resolved now',
  ETIMEDOUT: 'no answer (timed out)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'the connection was reset',
};

/**
 * One line for a first connection that failed: where (host and port, database and user, never
 * the password) and why, in place of the driver's stack.
 */
export function connectFailureMessage(url: string, e: unknown): string {
  let where = 'the PostgreSQL server';
  let password = '';
  try {
    const u = new URL(url);
    password = decodeURIComponent(u.password);
    const db = decodeURIComponent(u.pathname.slice(1));
    const user = decodeURIComponent(u.username);
    const details = [db && `database ${db}`, user && `user ${user}`].filter(Boolean).join(', ');
    where = `PostgreSQL at ${u.hostname || 'localhost'}:${u.port || '5432'}${details ? ` (${details})` : ''}`;
  } catch {
    // not a URL the driver could use either: its own message says why
  }
  const err = e as { code?: string; message?: string };
  const network = err.code ? NETWORK_ERRORS[err.code] : undefined;
  let why = network ?? (/timeout/i.test(err.message ?? '') ? 'no answer (timed out)' : `${err.message ?? String(e)}${err.code ? ` (${err.code})` : ''}`);
  if (password) why = why.split(password).join('***');
  return `cannot connect to ${where}: ${why}`;
}

/** A pool on a PostgreSQL server. Connections open on first use, so this never throws. */
export function openPgPool(url: string, options: { max?: number; connectTimeoutMs?: number; statementTimeoutMs?: number } = {}): PgClient {
  const max = options.max ?? 10;
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // set by the server on each connection: a runaway statement ends there, not only in our process
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    application_name: 'paperboy',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types: poolTypes,
  });
  // an idle connection dropped by the server emits 'error' on the pool, which would otherwise
  // crash the process; the pool discards it and the next query opens a fresh one
  pool.on('error', () => undefined);
  return {
    query: async <R>(sql: string, params?: unknown[], prepared?: string) => {
      if (!prepared) return (await pool.query(sql, params)).rows as R[];
      // a connection's plan of a `SELECT *` goes stale when another node's migration changes the
      // table; the pool drops a connection whose query failed, so the next try prepares afresh
      for (let attempt = 0; ; attempt++) {
        try {
          return (await pool.query({ name: prepared, text: sql, values: params ?? [] })).rows as R[];
        } catch (e) {
          if (!isStalePlan(e) || attempt >= max) throw e;
        }
      }
    },
    transaction: (fn, options) => poolTransaction(pool, fn, options),
    close: () => pool.end(),
  };
}

/** PostgreSQL's refusal to run a prepared statement whose result columns changed since it was planned. */
function isStalePlan(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err.code === '0A000' && /cached plan must not change result type/.test(err.message ?? '');
}

async function poolTransaction<T>(pool: pg.Pool, fn: (q: PgQuery) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // a snapshot's kind in its BEGIN: one round trip fewer than BEGIN and SET TRANSACTION
    await client.query(options.snapshot ? `BEGIN ${SNAPSHOT}` : 'BEGIN');
    const result = await fn({ query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[] });
    await client.query('COMMIT');
    return result;
  } catch (e) {
    // a connection that can't even roll back is in an unknown state: destroy it, don't reuse it
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw e;
  } finally {
    client.release(broken);
  }
}
