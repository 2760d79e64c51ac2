/**
 * `paperboy backup <file>` and `paperboy restore <file>` (issue 14, decision 036): a consistent
 * copy of the SQLite store while `serve` runs, and that copy written back. PostgreSQL has its own
 * tools, pg_dump and pg_restore: both commands say so and how, and change nothing.
 */
import { resolve } from 'node:path';
import { databaseKind } from '../../core/database-url.js';
import { PaperboyError } from '../../core/errors.js';
import { backupDatabase, databaseInUse, inspectDatabaseFile, restoreDatabase, type CopyProgress, type DatabaseFacts } from '../../adapters/db/sqlite/backup.js';
import type { Io } from './main.js';
import { createCounter, type Counter } from './progress.js';

export interface CopyOpts {
  force?: boolean;
  json?: boolean;
}

/** What to run instead on PostgreSQL (the README's recipe). */
export const PG_DUMP_RECIPE = 'pg_dump --format=custom --file=paperboy.dump "$PAPERBOY_DATABASE_URL"';
export const PG_RESTORE_RECIPE = 'pg_restore --clean --if-exists --no-owner --dbname="$PAPERBOY_DATABASE_URL" paperboy.dump';

export async function runBackup(db: string, file: string, opts: CopyOpts, io: Io): Promise<number> {
  if (databaseKind(db) === 'postgres')
    throw new PaperboyError(
      'UNSUPPORTED',
      `backup: the database is PostgreSQL; paperboy backup copies SQLite files only. Back it up with PostgreSQL's own tool, which is consistent while Paperboy runs:\n  ${PG_DUMP_RECIPE}\n(README, "Backups"); nothing was written`,
    );
  if (db === ':memory:') throw new PaperboyError('UNSUPPORTED', 'backup: an in-memory database has nothing to back up');
  if (resolve(db) === resolve(file)) throw new PaperboyError('INPUT_UNUSABLE', `backup: ${file} is the database itself; name another file`);
  const started = Date.now();
  const progress = pageProgress('backup', io);
  const facts = await backupDatabase(db, file, { overwrite: opts.force ?? false, onProgress: progress.update }).finally(progress.stop);
  report('backup', file, facts, started, opts, io);
  return 0;
}

export async function runRestore(db: string, file: string, opts: CopyOpts, io: Io): Promise<number> {
  if (databaseKind(db) === 'postgres')
    throw new PaperboyError(
      'UNSUPPORTED',
      `restore: the database is PostgreSQL; paperboy restore writes SQLite files only. Restore a pg_dump archive with PostgreSQL's own tool (stop the web nodes first):\n  ${PG_RESTORE_RECIPE}\n(README, "Backups"); nothing was changed`,
    );
  if (db === ':memory:') throw new PaperboyError('UNSUPPORTED', 'restore: an in-memory database cannot be restored into');
  if (resolve(db) === resolve(file)) throw new PaperboyError('INPUT_UNUSABLE', `restore: ${file} is the database itself`);
  // the backup first: a file that is no Paperboy database is refused before the target is touched
  inspectDatabaseFile(file);
  const existing = safeFacts(db);
  if (existing && !opts.force) {
    const inUse = databaseInUse(db);
    throw new PaperboyError(
      'INPUT_UNUSABLE',
      inUse
        ? `restore: ${db} is in use by another process (is paperboy serve running on it?). Stop it first, or give --force to restore into it while it runs (then restart it)`
        : `restore: ${db} exists (${existing.schemaVersion === 0 ? 'not a database this Paperboy can read' : `${existing.papers} papers, schema version ${existing.schemaVersion}`}); give --force to replace it with ${file}`,
    );
  }
  const started = Date.now();
  const progress = pageProgress('restore', io);
  const facts = await restoreDatabase(file, db, progress.update).finally(progress.stop);
  report('restore', db, facts, started, opts, io);
  return 0;
}

/** The facts of the database at db, or null when there is none (or it is not one Paperboy can read: restore replaces it). */
function safeFacts(db: string): DatabaseFacts | null {
  try {
    return inspectDatabaseFile(db, { sound: false });
  } catch (e) {
    if (e instanceof PaperboyError && /no such file/.test(e.message)) return null;
    return { schemaVersion: 0, papers: 0, bytes: 0 };
  }
}

function report(verb: 'backup' | 'restore', file: string, facts: DatabaseFacts, started: number, opts: CopyOpts, io: Io): void {
  const seconds = (Date.now() - started) / 1000;
  if (opts.json) io.stdout.write(`${JSON.stringify({ file, papers: facts.papers, schemaVersion: facts.schemaVersion, bytes: facts.bytes, seconds })}\n`);
  else
    io.stdout.write(
      `${verb === 'backup' ? 'backed up to' : 'restored'} ${file}: ${facts.papers} papers, schema version ${facts.schemaVersion}, ${(facts.bytes / 1024 / 1024).toFixed(1)} MB in ${seconds.toFixed(1)} s\n`,
    );
}

/** Pages copied, with rate and ETA, on a terminal only; quiet when stderr is piped. */
function pageProgress(label: string, io: Io): { update: (p: CopyProgress) => void; stop: () => void } {
  const tty = io.stderr.isTTY ? (io.stderr as NodeJS.WriteStream) : null;
  let counter: Counter | null = null;
  return {
    update: (p) => {
      counter ??= createCounter(label, 'pages', p.totalPages, tty);
      counter.update(p.totalPages - p.remainingPages);
    },
    stop: () => counter?.stop(),
  };
}
