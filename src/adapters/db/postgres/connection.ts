/**
 * The connection pool of a PostgreSQL store, shared by the parts that implement its ports
 * (papers.ts, listings.ts, related.ts, pages.ts, leases.ts): migrations, the write queue and
 * lock, the data version, stats.
 *
 * Writes are serialised like SQLite's: a queue in this process and a transaction-scoped
 * advisory lock across processes, so a merge never reads a paper another writer is about to
 * replace. Reads go through the pool, outside any transaction.
 */
import { PaperboyError } from '../../../core/errors.js';
import type { SourceName } from '../../../core/paper.js';
import type { StoreStats } from '../../../ports/store-status.js';
import type { MigrationStep } from '../../../ports/store-lifecycle.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, MIGRATIONS_TABLE, tooNewMessage } from '../migrations.js';
import type { PgClient, PgQuery } from '../pg-client.js';
import { ShortMemo } from '../../../core/short-memo.js';

/** Advisory lock keys (two int4s): Paperboy's namespace, then what is locked. */
const LOCK_SPACE = 0x5042; // "PB"
const MIGRATE_LOCK = 1;
const WRITE_LOCK = 2;

/** How long a data version is trusted before the database is asked again (other nodes' writes). */
const DATA_VERSION_TTL_MS = 1000;

export class PostgresConnection {
  private queue: Promise<unknown> = Promise.resolve();
  /** commits through this store, so that its own writes show in dataVersion at once */
  commits = 0;
  private version: { token: string; commits: number; at: number; pending: Promise<string> | null } | null = null;
  /**
   * The days' vote versions (PostgresVotes.votesVersion, decision 028), asked by every listing
   * request: kept a second, as dataVersion is (other nodes' writes show within it), and forgotten
   * by every write through this store that moves one (votes, submissions), so that its own show at once.
   */
  readonly voteDays = new ShortMemo<string>({ maxEntries: 1_000 });

  /** `where` names the database in messages (describePgUrl: never the password). */
  constructor(
    readonly db: PgClient,
    private readonly where: string,
  ) {}

  async migrate(onStep?: (step: MigrationStep) => void): Promise<{ from: number; to: number }> {
    // the bookkeeping table is created under the lock too: two concurrent CREATE TABLE IF NOT
    // EXISTS can still collide in the catalog
    const from = await this.db.transaction(async (q) => {
      await lock(q, MIGRATE_LOCK);
      await q.query(MIGRATIONS_TABLE);
      return this.refuseTooNew(await schemaVersion(q));
    });
    for (const m of MIGRATIONS) {
      await this.db.transaction(async (q) => {
        await lock(q, MIGRATE_LOCK);
        // another node may have applied it while we waited for the lock; every known version not
        // applied yet is applied, not only those above the highest (a gap left by a development build)
        this.refuseTooNew(await schemaVersion(q));
        if ((await q.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version])).length > 0) return;
        onStep?.({ version: m.version, name: m.name, from });
        await q.query(m.postgres);
        await q.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
      });
    }
    return { from, to: await schemaVersion(this.db) };
  }

  private refuseTooNew(version: number): number {
    if (version > LATEST_SCHEMA_VERSION) throw new PaperboyError('DB_TOO_NEW', tooNewMessage(version, this.where));
    return version;
  }

  /** Runs fn in one write transaction, queued here and locked on the server; counted as a commit. */
  transaction<T>(fn: (q: PgQuery) => Promise<T>): Promise<T> {
    const run = () =>
      this.db.transaction(async (q) => {
        await lock(q, WRITE_LOCK);
        return fn(q);
      });
    // queued here as well as locked on the server, so that waiting writers don't each hold a
    // pooled connection that reads need
    const next = this.queue.then(run, run).then((result) => {
      this.commits++;
      return result;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * The newest modification time (every save stamps it; papers are flagged deleted, never
   * removed): the same token on every node for the same data. Asked at most once a second (other
   * nodes' writes show within that), and at once after a write through this store.
   */
  async dataVersion(): Promise<string> {
    const v = this.version;
    if (v && v.commits === this.commits && Date.now() - v.at < DATA_VERSION_TTL_MS) return v.token;
    if (v?.pending) return v.pending;
    const commits = this.commits;
    const pending = this.db
      // related lists show on paper pages: their computation time is part of the version (votes
      // are not: they have their own version per day, VoteTallies.votesVersion, decision 028)
      .query<{ m: string | null; r: string | null }>(
        'SELECT (SELECT MAX(modified_at) FROM papers)::text AS m, (SELECT computed_at FROM related_state)::text AS r',
      )
      .then((rows) => {
        const token = `${rows[0]?.m ?? 'empty'}|${rows[0]?.r ?? ''}`;
        this.version = { token, commits, at: Date.now(), pending: null };
        return token;
      })
      .catch((e: unknown) => {
        if (this.version) this.version.pending = null;
        throw e;
      });
    this.version = { token: v?.token ?? '', commits: v?.commits ?? -1, at: v?.at ?? 0, pending };
    return pending;
  }

  async stats(): Promise<StoreStats> {
    const [counts, versions, sources, schema] = await Promise.all([
      this.db.query<{ papers: number; deleted: number; hf: number; first: string | null; last: string | null }>(
        `SELECT COUNT(*) AS papers, COUNT(*) FILTER (WHERE deleted) AS deleted,
                COUNT(hf_upvotes) AS hf, MIN(day) AS first, MAX(day) AS last FROM papers`,
      ),
      this.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM paper_versions'),
      this.db.query<{ source: SourceName; n: number }>('SELECT source, COUNT(*) AS n FROM paper_sources GROUP BY source'),
      schemaVersion(this.db),
    ]);
    const c = counts[0]!;
    return {
      papers: c.papers,
      versions: versions[0]!.n,
      deleted: c.deleted,
      bySource: Object.fromEntries(sources.map((r) => [r.source, r.n])),
      withHfSignals: c.hf,
      firstDay: c.first,
      lastDay: c.last,
      schemaVersion: schema,
    };
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.queue;
    await this.db.close();
  }
}

/** What each part of the store is built on: the pool, and the commit count of dataVersion. */
export abstract class PostgresPart {
  constructor(protected readonly conn: PostgresConnection) {}

  protected get db(): PgClient {
    return this.conn.db;
  }

  protected get commits(): number {
    return this.conn.commits;
  }

  protected set commits(n: number) {
    this.conn.commits = n;
  }

  protected get voteDays(): ShortMemo<string> {
    return this.conn.voteDays;
  }

  /** fn in one transaction that moves days' vote versions (bumpVoteDay): once done, they are read again. */
  protected movingVoteDays<T>(fn: (q: PgQuery) => Promise<T>): Promise<T> {
    return this.afterVoteDaysMove(() => this.db.transaction(fn));
  }

  /** A call that moves days' vote versions (a transaction, or a function that runs one): once done, they are read again. */
  protected async afterVoteDaysMove<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } finally {
      this.voteDays.clear();
    }
  }
}

/** Moves a day's vote version (decision 028): the listings that show the day are rendered again. */
export function bumpVoteDay(q: PgQuery, day: string): Promise<unknown> {
  return q.query('INSERT INTO vote_days (day, version) VALUES ($1, 1) ON CONFLICT (day) DO UPDATE SET version = vote_days.version + 1', [day]);
}

function lock(q: PgQuery, what: number): Promise<unknown> {
  return q.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, what]);
}

async function schemaVersion(q: PgQuery): Promise<number> {
  const rows = await q.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
  return rows[0]?.v ?? 0;
}

/** A real YYYY-MM-DD day: PostgreSQL rejects a cast of '2025-02-30' that SQLite's text compare would just miss. */
export function isCalendarDay(day: string): boolean {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day);
}
