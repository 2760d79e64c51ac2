/**
 * Copies of a SQLite store for `paperboy backup` and `restore` (issue 14, decision 036), through
 * SQLite's online backup API (better-sqlite3's db.backup()), page by page, while `serve` goes on
 * reading and writing the file.
 *
 * A backup holds one read transaction from its first page to its last: every page comes from
 * the same snapshot, the state of the last commit before it began, and writers (WAL) carry on
 * meanwhile. Without it, SQLite restarts a backup whenever another connection commits, and under
 * a steady stream of writes it might never end.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PaperboyError } from '../../../core/errors.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../migrations.js';

/** Pages copied between two turns of the event loop: ~400 kB, a few ms of work. */
const PAGES_PER_STEP = 100;

export interface CopyProgress {
  totalPages: number;
  remainingPages: number;
}

export interface DatabaseFacts {
  /** the highest migration applied */
  schemaVersion: number;
  papers: number;
  bytes: number;
}

/**
 * What a file holds, checked: a SQLite database (whose pages are sound: quick_check, unless
 * `sound` is false, for the live database, which quick_check would read whole before a backup),
 * with the tables Paperboy makes and a schema version this Paperboy knows. Throws INPUT_UNUSABLE
 * naming the file and what is wrong.
 */
export function inspectDatabaseFile(file: string, opts: { sound?: boolean } = {}): DatabaseFacts {
  if (!existsSync(file)) throw new PaperboyError('INPUT_UNUSABLE', `${file}: no such file`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new PaperboyError('INPUT_UNUSABLE', `${file}: cannot be opened as a SQLite database: ${(e as Error).message}`, { cause: e });
  }
  try {
    let check: string;
    try {
      check = opts.sound === false ? 'ok' : (db.pragma('quick_check', { simple: true }) as string);
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
    } catch (e) {
      throw new PaperboyError('INPUT_UNUSABLE', `${file}: not a SQLite database (${(e as Error).message})`, { cause: e });
    }
    if (check !== 'ok') throw new PaperboyError('INPUT_UNUSABLE', `${file}: the SQLite file is damaged (quick_check: ${check})`);
    const tables = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]));
    const missing = ['schema_migrations', 'papers'].filter((t) => !tables.has(t));
    if (missing.length > 0) throw new PaperboyError('INPUT_UNUSABLE', `${file}: not a Paperboy database (no ${missing.join(' or ')} table)`);
    const schemaVersion = (db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
    if (schemaVersion > LATEST_SCHEMA_VERSION)
      throw new PaperboyError('DB_TOO_NEW', `${file}: schema version ${schemaVersion}, newer than this Paperboy knows (${LATEST_SCHEMA_VERSION}): restore it with the release that made it, or upgrade`);
    const known = new Set(MIGRATIONS.map((m) => m.version));
    const unknown = (db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]).filter((v) => !known.has(v));
    if (schemaVersion < 1 || unknown.length > 0)
      throw new PaperboyError('INPUT_UNUSABLE', `${file}: not a Paperboy database (schema versions ${unknown.join(', ') || 'none'} are none of Paperboy's)`);
    const papers = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
    return { schemaVersion, papers, bytes: statSync(file).size };
  } finally {
    db.close();
  }
}

/**
 * Copies the database at `source` to `target`, consistent as of the moment it starts, while other
 * processes write to it. Written to `<target>.partial` and renamed when whole, so that `target`
 * is never half a database. Refuses an existing target unless `overwrite`.
 */
export async function backupDatabase(source: string, target: string, opts: { overwrite: boolean; onProgress?: (p: CopyProgress) => void }): Promise<DatabaseFacts> {
  if (existsSync(target) && !opts.overwrite) throw new PaperboyError('INPUT_UNUSABLE', `backup: ${target} exists; name another file, or give --force to replace it`);
  inspectDatabaseFile(source, { sound: false });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  mkdirSync(dirname(target), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // the snapshot: a read transaction, begun by its first read, kept until the last page is copied
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM schema_migrations').get();
    await db.backup(partial, {
      progress: (p) => {
        opts.onProgress?.(p);
        return PAGES_PER_STEP;
      },
    });
    db.exec('COMMIT');
  } catch (e) {
    rmSync(partial, { force: true });
    throw new PaperboyError('INPUT_UNUSABLE', `backup: copying ${source} to ${partial} failed: ${(e as Error).message}`, { cause: e });
  } finally {
    db.close();
  }
  // a backup that cannot be restored is no backup: the copy is checked before it takes the name
  const facts = inspectDatabaseFile(partial);
  renameSync(partial, target);
  return facts;
}

/**
 * Whether another connection has the database open: a WAL database can only leave the WAL while
 * no other connection holds it, and an exclusive lock can only be had while nobody reads. Both
 * are tried with no wait. A file in rollback mode that another process holds open without
 * reading passes: SQLite leaves no trace of it.
 */
export function databaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    try {
      const mode = db.pragma('journal_mode', { simple: true }) as string;
      if (db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') return true;
      db.exec('BEGIN EXCLUSIVE');
      db.exec('ROLLBACK');
      // asking changes nothing: a WAL database goes back to WAL
      if (mode === 'wal') db.pragma('journal_mode = WAL');
      return false;
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY') || (e as { code?: string }).code?.startsWith('SQLITE_LOCKED')) return true;
      throw e;
    }
  } finally {
    db.close();
  }
}

/**
 * Writes the database in the backup `source` over `target`, through the backup API: in one
 * transaction on the target, so that a restore cut short leaves the target as it was, and safe for
 * connections that have the target open (they read the restored pages from then on). The vector
 * index files beside the target (`<target>.vectors/`) are removed: they describe the database that
 * was there and are rebuilt from the restored vectors.
 */
export async function restoreDatabase(source: string, target: string, onProgress?: (p: CopyProgress) => void): Promise<DatabaseFacts> {
  const facts = inspectDatabaseFile(source);
  mkdirSync(dirname(target), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target, {
      progress: (p) => {
        onProgress?.(p);
        return PAGES_PER_STEP;
      },
    });
  } catch (e) {
    throw new PaperboyError('INPUT_UNUSABLE', `restore: writing ${source} over ${target} failed: ${(e as Error).message}`, { cause: e });
  } finally {
    db.close();
  }
  rmSync(`${target}.vectors`, { recursive: true, force: true });
  return facts;
}
