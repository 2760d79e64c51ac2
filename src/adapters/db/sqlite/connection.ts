/**
 * The one connection of a SQLite store (better-sqlite3, WAL), shared by the parts that implement
 * its ports (papers.ts, listings.ts, related.ts, pages.ts, leases.ts): the pragmas, migrations,
 * the write queue, the prepared statements and the data version.
 *
 * better-sqlite3 is synchronous and the process holds one connection, so transactions are
 * serialised by a promise queue: a transaction that awaits (streamed ingest) never lets another
 * write slip into it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PaperboyError } from '../../../core/errors.js';
import type { Paper, PaperVersion, SourceName } from '../../../core/paper.js';
import type { StoreStats } from '../../../ports/store-status.js';
import type { MigrationStep } from '../../../ports/store-lifecycle.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, MIGRATIONS_TABLE, tooNewMessage } from '../migrations.js';
import { rowToPaper } from '../paper-row.js';
import { prepare, type Statements } from './statements.js';
import { CHECKPOINT_FALLBACK_PAGES, WalCheckpointer } from './wal-checkpointer.js';

export type Row = Record<string, unknown>;

export interface SqliteStoreOptions {
  /** bytes of the file to memory-map (PRAGMA mmap_size); 0, the default, reads through read() */
  mmapBytes?: number;
  /**
   * A read-only connection to a database another connection migrated (serve's read workers): it
   * can never hold the write lock, so a worker stopped mid-statement leaves no writer waiting.
   */
  readOnly?: boolean;
  /**
   * KiB of page cache (8 MB unless said). Each page SQLite caches is memory the process touches
   * for the first time, which costs more than reading the page again from the OS's cache: a
   * command that reads once and exits (stats, search) keeps it small (decision 014).
   */
  cacheKiB?: number;
  /**
   * The process may load a new file in bulk (ingest, harvest, migrate): when the file does not
   * exist yet, its first write transaction runs with a rollback journal instead of the WAL (see
   * the constructor).
   */
  bulkLoad?: boolean;
  /**
   * The WAL is checkpointed by a thread of its own, not by this connection's commits (serve's
   * writing connection: sqlite/wal-checkpointer.ts, decision 043).
   */
  checkpointInBackground?: boolean;
}

export class SqliteConnection {
  readonly db: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();
  private stmts: Statements | null = null;
  /** commits made through this handle: PRAGMA data_version only counts other connections' */
  commits = 0;
  /** tells this handle's data versions from another's (or a restarted process's) */
  private readonly instance = randomBytes(6).toString('base64url');
  private readonly readOnly: boolean;
  /** a new file, in rollback-journal mode until its first transaction ends */
  private freshLoad = false;
  private checkpointer: WalCheckpointer | null = null;

  constructor(
    private readonly path: string,
    opts: SqliteStoreOptions = {},
  ) {
    this.readOnly = opts.readOnly ?? false;
    if (path !== ':memory:' && !this.readOnly) mkdirSync(dirname(path), { recursive: true });
    const fresh = !this.readOnly && opts.bulkLoad === true && path !== ':memory:' && !existsSync(path);
    this.db = new Database(path, { readonly: this.readOnly, fileMustExist: this.readOnly });
    if (fresh) {
      // A new file's first load (the corpus, a snapshot: hundreds of MB in one transaction)
      // written once: in WAL mode every page goes to the WAL and again to the file at the
      // checkpoint. A rollback journal keeps only the pages the file had when the transaction
      // began (the empty schema's few), so a killed load still leaves the file as it was,
      // the next opening rolling it back; synchronous = FULL syncs that journal before the file
      // is written, as crash safety on power loss needs without the WAL. Readers of this new
      // file wait for the load. Then the WAL, as for every other file (toWal).
      this.db.pragma('journal_mode = DELETE');
      this.db.pragma('synchronous = FULL');
      this.freshLoad = true;
    } else if (!this.readOnly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      if (opts.checkpointInBackground && path !== ':memory:') {
        this.db.pragma(`wal_autocheckpoint = ${CHECKPOINT_FALLBACK_PAGES}`);
        this.checkpointer = new WalCheckpointer(path);
      }
    }
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 10000');
    // 8 MB of page cache: enough for batch upserts, keeps ingest RSS low
    this.db.pragma(`cache_size = -${Math.floor(opts.cacheKiB ?? 8000)}`);
    // reads straight from the OS's page cache: a paper page's lookups (the paper, its similar
    // papers) take about a third less time than through read() and SQLite's own cache
    if (opts.mmapBytes) this.db.pragma(`mmap_size = ${Math.floor(opts.mmapBytes)}`);
  }

  async migrate(onStep?: (step: MigrationStep) => void): Promise<{ from: number; to: number }> {
    if (!this.readOnly) this.db.exec(MIGRATIONS_TABLE);
    const from = this.schemaVersion();
    if (from > LATEST_SCHEMA_VERSION) throw new PaperboyError('DB_TOO_NEW', tooNewMessage(from, this.path));
    if (this.readOnly) {
      // nothing to write: only a schema this code knows, which the writing connection made current
      const applied = this.db.prepare('SELECT count(*) FROM schema_migrations WHERE version <= ?').pluck().get(LATEST_SCHEMA_VERSION) as number;
      if (from < LATEST_SCHEMA_VERSION || applied < MIGRATIONS.length)
        throw new Error(`${this.path}: schema version ${from}, read-only connections need ${LATEST_SCHEMA_VERSION}: migrate first`);
      this.stmts = prepare(this.db);
      return { from, to: from };
    }
    for (const m of MIGRATIONS) {
      // IMMEDIATE takes the write lock first, so two processes starting at once can't both apply it
      this.db.exec('BEGIN IMMEDIATE');
      try {
        // every known version not applied yet, not only those above the highest: a database a
        // development build migrated past a gap (19 before 16–18 existed) gets the gap too
        if (!this.db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version)) {
          onStep?.({ version: m.version, name: m.name, from });
          this.db.exec(m.sqlite);
          this.db
            .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
            .run(m.version, m.name, new Date().toISOString());
        }
        this.db.exec('COMMIT');
      } catch (e) {
        this.db.exec('ROLLBACK');
        throw e;
      }
    }
    this.stmts = prepare(this.db);
    return { from, to: this.schemaVersion() };
  }

  private schemaVersion(): number {
    const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    return row.v ?? 0;
  }

  get q(): Statements {
    if (!this.stmts) throw new Error('SqliteStore used before migrate()');
    return this.stmts;
  }

  /** Runs fn in one write transaction, in the queue: kept only if it resolves. */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.serialized(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const deferred = this.freshLoad ? this.deferIndexes() : [];
        const result = await fn();
        for (const sql of deferred) this.db.exec(sql);
        this.db.exec('COMMIT');
        this.commits++;
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      } finally {
        if (this.freshLoad) this.toWal();
      }
    });
  }

  /**
   * A new file's first load into an empty papers table builds that table's secondary indexes
   * once its rows are in (CREATE INDEX sorts them), rather than inserting into each of four
   * B-trees per row: dropped here, inside the transaction, and created again from their own
   * definitions before it commits, so a failed or killed load leaves them as they were.
   */
  private deferIndexes(): string[] {
    if (this.db.prepare('SELECT 1 FROM papers LIMIT 1').get() !== undefined) return [];
    const indexes = this.db
      .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'papers' AND sql IS NOT NULL")
      .all() as { name: string; sql: string }[];
    for (const i of indexes) this.db.exec(`DROP INDEX "${i.name}"`);
    return indexes.map((i) => i.sql);
  }

  /** From a new file's rollback journal to the WAL every store file uses (see the constructor). */
  private toWal(): void {
    this.freshLoad = false;
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    } catch {
      // another connection has the file open (a reader waiting for the load): it stays in
      // rollback mode until the next connection opens it, which sets the WAL
    }
  }

  /** Runs fn after everything queued before it (transactions included), one at a time. */
  serialized<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = async () => fn();
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Other connections' commits move data_version, this one's move the counter: exact, and microseconds. */
  async dataVersion(): Promise<string> {
    return `${this.instance}.${String(this.q.dataVersion.get())}.${this.commits}`;
  }

  async stats(): Promise<StoreStats> {
    const one = <T>(sql: string) => this.db.prepare(sql).get() as T;
    // each count from an index (one statement reading every row of papers, abstracts and all,
    // took most of `paperboy stats`'s second on the 75k-paper corpus): all papers and the upvoted
    // ones in one pass over papers_day (day, hf_upvotes), which also has the first and last day;
    // live ones from the partial index papers_live_day
    const counts = one<{ papers: number; live: number; hf: number; first: string | null; last: string | null }>(
      `SELECT all_.papers, all_.hf, (SELECT COUNT(*) FROM papers WHERE deleted = 0) AS live,
              (SELECT MIN(day) FROM papers) AS first, (SELECT MAX(day) FROM papers) AS last
       FROM (SELECT COUNT(*) AS papers, COUNT(hf_upvotes) AS hf FROM papers) AS all_`,
    );
    const bySource: StoreStats['bySource'] = {};
    for (const r of this.db.prepare('SELECT source, COUNT(*) AS n FROM paper_sources GROUP BY source').all() as {
      source: SourceName;
      n: number;
    }[])
      bySource[r.source] = r.n;
    return {
      papers: counts.papers,
      versions: one<{ n: number }>('SELECT COUNT(*) AS n FROM paper_versions').n,
      deleted: counts.papers - counts.live,
      bySource,
      withHfSignals: counts.hf,
      firstDay: counts.first,
      lastDay: counts.last,
      schemaVersion: this.schemaVersion(),
    };
  }

  async ping(): Promise<void> {
    this.q.ping.get();
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.freshLoad) this.toWal();
    await this.checkpointer?.stop();
    this.db.close();
  }
}

/**
 * What each part of the store is built on: the connection's handle, statements and queue under
 * the names the store's methods have always used.
 */
export abstract class SqlitePart {
  constructor(protected readonly conn: SqliteConnection) {}

  protected get db(): Database.Database {
    return this.conn.db;
  }

  protected get q(): Statements {
    return this.conn.q;
  }

  protected serialized<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.conn.serialized(fn);
  }

  /** Papers with their version histories, for rows read from `papers` (ids as a JSON list). */
  protected papersWithVersions(rows: Row[], idList: string): Map<string, Paper> {
    const papers = new Map<string, Paper>();
    if (rows.length === 0) return papers;
    const versions = new Map<string, PaperVersion[]>();
    for (const v of this.q.versionsByIds.all(idList) as Row[]) {
      const list = versions.get(String(v.paper_id)) ?? [];
      list.push({ version: Number(v.version), submittedAt: (v.submitted_at as string) ?? null, size: (v.size as string) ?? null });
      versions.set(String(v.paper_id), list);
    }
    for (const r of rows) papers.set(String(r.id), rowToPaper(r, versions.get(String(r.id)) ?? []));
    return papers;
  }
}
