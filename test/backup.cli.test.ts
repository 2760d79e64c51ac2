/**
 * `paperboy backup` and `paperboy restore` (issue 14): a backup taken while another process writes
 * papers as fast as it can holds every paper committed before the backup began, and exactly
 * whole transactions (a consistent snapshot); restore checks what it is given and refuses to
 * overwrite a database, above all one in use, unless told. PostgreSQL gets the pg_dump recipe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/delivery/cli/main.js';
import { LATEST_SCHEMA_VERSION } from '../src/adapters/db/migrations.js';
import { openSqlite } from '../src/adapters/db/sqlite.store.js';
import { IngestService } from '../src/services/ingest.service.js';
import { runCli } from './support/cli.js';
import { tempDbPath } from './support/sqlite-harness.js';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BATCH = 50;

/**
 * A writer in a process of its own, through Paperboy's own store and ingest service (the built
 * dist/): first `seed` papers in one transaction, then batches of BATCH papers, one transaction
 * each, as fast as it can; after each commit it prints how many papers it has committed.
 */
const WRITER = `
import { openDatabase } from ${JSON.stringify(join(ROOT, 'dist/adapters/db/open-store.js'))};
import { IngestService } from ${JSON.stringify(join(ROOT, 'dist/services/ingest.service.js'))};
const [db, seed] = [process.argv[2], Number(process.argv[3])];
const opened = await openDatabase(db, { create: true });
await opened.store.migrate();
const ingest = new IngestService(opened.store);
const abstract = 'We measure how a key-value cache can be evicted without losing accuracy. '.repeat(30);
const record = (i) => ({ id: '2609.' + String(i).padStart(5, '0'), version: 1, source: 'kaggle', title: 'Paper ' + i, abstract, authors: ['A. Writer'], categories: ['cs.CL'], listedOn: '2026-09-01' });
const write = (from, n) => ingest.ingest((async function* () { yield { records: Array.from({ length: n }, (_, k) => record(from + k)), errors: [] }; })());
await write(0, seed);
let committed = seed;
console.log('committed ' + committed);
for (;;) {
  await write(committed, ${BATCH});
  committed += ${BATCH};
  console.log('committed ' + committed);
}
`;

interface Writer {
  child: ChildProcess;
  /** papers committed, as last reported */
  committed(): number;
  waitFor(n: number): Promise<void>;
  stop(): Promise<void>;
}

function startWriter(db: string, seed: number): Writer {
  const script = join(dirname(db), 'writer.mjs');
  writeFileSync(script, WRITER);
  const child = spawn(process.execPath, [script, db, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let committed = 0;
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    for (const m of d.toString().matchAll(/committed (\d+)/g)) committed = Math.max(committed, Number(m[1]));
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return {
    child,
    committed: () => committed,
    async waitFor(n) {
      while (committed < n) {
        if (child.exitCode !== null) throw new Error(`the writer exited: ${err}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

function ids(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT id FROM papers ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

const idOf = (i: number) => `2609.${String(i).padStart(5, '0')}`;

let writer: Writer | null = null;
afterEach(async () => {
  const w = writer;
  writer = null;
  await w?.stop();
});

describe('paperboy backup and restore', () => {
  it('backs up while another process writes papers, and the restored copy holds every paper committed before it began', async () => {
    if (!existsSync(join(ROOT, 'dist/services/ingest.service.js'))) throw new Error('run `npm run build` first: the writer process runs the built dist/');
    const db = tempDbPath();
    writer = startWriter(db, 20_000);
    await writer.waitFor(20_000 + 20 * BATCH); // writing steadily by now
    const before = writer.committed();
    const backup = join(dirname(db), 'backups', 'paperboy-backup.db');
    const r = await runCli(['backup', backup, '--db', db, '--json']);
    const during = writer.committed() - before;
    expect(r.stderr).toBe(''); // piped: no progress bar
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { file: string; papers: number; schemaVersion: number; bytes: number };
    expect(report).toMatchObject({ file: backup, schemaVersion: LATEST_SCHEMA_VERSION });
    expect(report.papers).toBeGreaterThanOrEqual(before);
    expect(during).toBeGreaterThan(0); // the writer kept committing while the backup ran
    expect(existsSync(`${backup}.partial`)).toBe(false);

    await writer.stop();
    const restored = join(dirname(db), 'restored', 'paperboy.db');
    const rr = await runCli(['restore', backup, '--db', restored]);
    expect(rr.stderr).toBe('');
    expect(rr.code).toBe(0);
    expect(rr.stdout).toMatch(new RegExp(`^restored ${restored.replace(/[.]/g, '\\.')}: ${report.papers} papers, schema version ${LATEST_SCHEMA_VERSION}, `));
    const got = ids(restored);
    // every paper committed before the backup began, and whole transactions only: a snapshot
    expect(got.length).toBe(report.papers);
    expect(got.length % BATCH).toBe(0);
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => idOf(i)));
    expect(got.length).toBeGreaterThanOrEqual(before);
    // and Paperboy reads it
    const stats = await runCli(['stats', '--db', restored, '--json']);
    expect(stats.code).toBe(0);
    expect((JSON.parse(stats.stdout) as { papers: number }).papers).toBe(report.papers);
  }, 120_000);

  it('shows the pages copied on a terminal', async () => {
    const db = tempDbPath();
    expect((await runCli(['migrate', '--db', db])).code).toBe(0);
    let err = '';
    const tty = new Writable({
      write(chunk: Buffer, _e, cb) {
        err += chunk.toString();
        cb();
      },
    });
    Object.assign(tty, { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let out = '';
    const stdout = new Writable({
      write(chunk: Buffer, _e, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const code = await main(['node', 'paperboy', 'backup', join(dirname(db), 'b.db'), '--db', db], { stdout, stderr: tty, env: {} });
    expect(code).toBe(0);
    expect(err).toMatch(/backup \[.*\] \d+\/\d+ pages/);
    expect(out).toMatch(/^backed up to .*b\.db: 0 papers, schema version \d+, [\d.]+ MB in [\d.]+ s\n$/);
  });

  it('refuses to overwrite a backup file unless told', async () => {
    const db = tempDbPath();
    expect((await runCli(['migrate', '--db', db])).code).toBe(0);
    const file = join(dirname(db), 'taken.db');
    writeFileSync(file, 'keep me');
    const r = await runCli(['backup', file, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/backup: .*taken\.db exists; name another file, or give --force/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect((await runCli(['backup', file, '--db', db, '--force'])).code).toBe(0);
    expect(ids(file)).toEqual([]);
  });

  it('restore checks that the file is a Paperboy database of a schema version it knows, before touching the target', async () => {
    const db = tempDbPath();
    expect((await runCli(['migrate', '--db', db])).code).toBe(0);
    const dir = dirname(db);
    const target = join(dir, 'target.db');

    writeFileSync(join(dir, 'notes.txt'), 'not a database at all, just some words that fill a page '.repeat(100));
    const text = await runCli(['restore', join(dir, 'notes.txt'), '--db', target]);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/notes\.txt: not a SQLite database/);

    const other = new Database(join(dir, 'other.db'));
    other.exec('CREATE TABLE things (x)');
    other.close();
    const foreign = await runCli(['restore', join(dir, 'other.db'), '--db', target]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/other\.db: not a Paperboy database \(no schema_migrations or papers table\)/);

    copyFileSync(db, join(dir, 'newer.db'));
    const newer = new Database(join(dir, 'newer.db'));
    newer.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', '2030-01-01')").run(LATEST_SCHEMA_VERSION + 1);
    newer.close();
    const tooNew = await runCli(['restore', join(dir, 'newer.db'), '--db', target]);
    expect(tooNew.code).toBe(2);
    expect(tooNew.stderr).toMatch(new RegExp(`newer\\.db: schema version ${LATEST_SCHEMA_VERSION + 1}, newer than this Paperboy knows \\(${LATEST_SCHEMA_VERSION}\\)`));
    expect(existsSync(target)).toBe(false);

    const missing = await runCli(['restore', join(dir, 'nowhere.db'), '--db', target]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nowhere\.db: no such file/);
  });

  it('restore refuses a database that exists, and one in use, unless told', async () => {
    const source = tempDbPath();
    expect((await runCli(['migrate', '--db', source])).code).toBe(0);
    const opened = openSqlite(source);
    await opened.store.migrate();
    await new IngestService(opened.store).ingest(
      (async function* () {
        yield { records: [{ id: '2401.00001', version: 1, source: 'kaggle' as const, title: 'One paper' }], errors: [] };
      })(),
    );
    await opened.store.close();
    const backup = join(dirname(source), 'b.db');
    expect((await runCli(['backup', backup, '--db', source])).code).toBe(0);

    const target = tempDbPath();
    expect((await runCli(['migrate', '--db', target])).code).toBe(0);
    const idle = await runCli(['restore', backup, '--db', target]);
    expect(idle.code).toBe(2);
    expect(idle.stderr).toMatch(/restore: .*paperboy\.db exists \(0 papers, schema version \d+\); give --force to replace it/);
    const mode = new Database(target, { readonly: true });
    expect(mode.pragma('journal_mode', { simple: true })).toBe('wal'); // refused: left as it was
    mode.close();

    // another process keeps it open, as serve does
    const holder = spawn(process.execPath, ['-e', `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(target)}); d.pragma('journal_mode = WAL'); d.prepare('SELECT 1 FROM papers').all(); console.log('open'); setInterval(() => {}, 1000);`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await once(holder.stdout!, 'data');
      const busy = await runCli(['restore', backup, '--db', target]);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toMatch(/restore: .*paperboy\.db is in use by another process \(is paperboy serve running on it\?\)\. Stop it first, or give --force/);
      expect(ids(target)).toEqual([]);
      mkdirSync(`${target}.vectors`);
      writeFileSync(`${target}.vectors/0123abcd.usearch`, 'the index of the database that was there');
      const forced = await runCli(['restore', backup, '--db', target, '--force']);
      expect(forced.stderr).toBe('');
      expect(forced.code).toBe(0);
      expect(ids(target)).toEqual(['2401.00001']);
      expect(existsSync(`${target}.vectors`)).toBe(false); // derived from the old database: rebuilt from the restored one
    } finally {
      const exited = once(holder, 'exit');
      holder.kill('SIGKILL');
      await exited;
    }
  });

  it('on PostgreSQL, says to use pg_dump and pg_restore and writes nothing', async () => {
    const dir = dirname(tempDbPath());
    const file = join(dir, 'pg-backup.db');
    const b = await runCli(['backup', file, '--db', 'postgres://paperboy:s3cret@db.example.org:5432/paperboy']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/the database is PostgreSQL; paperboy backup copies SQLite files only/);
    expect(b.stderr).toContain('pg_dump --format=custom --file=paperboy.dump "$PAPERBOY_DATABASE_URL"');
    expect(b.stderr).not.toContain('s3cret');
    expect(existsSync(file)).toBe(false);
    const r = await runCli(['restore', file, '--db', 'postgresql://db.example.org/paperboy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pg_restore --clean --if-exists --no-owner --dbname="$PAPERBOY_DATABASE_URL" paperboy.dump');
  });
});
