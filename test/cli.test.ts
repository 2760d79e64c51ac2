/**
 * The `paperboy` command line contract (PRODUCT.md) on real recorded inputs, on every store.
 */
import { createWriteStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../src/adapters/db/migrations.js';
import { MAX_DOCUMENT_BYTES } from '../src/core/validate.js';
import { runCli, SHARED } from './support/cli.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import type { OpenedStore } from './support/store-harness.js';

const KAGGLE = join(SHARED, 'fixtures/kaggle/kaggle_format_sample.jsonl');
const HF_DAY = join(SHARED, 'data/hf-daily-papers/2026-06-30.json');
const ATOM = join(SHARED, 'fixtures/arxiv-atom/query.xml');
const OAI = join(SHARED, 'fixtures/oai-pmh/ListRecordsResponse.xml');
const tmp = () => mkdtempSync(join(tmpdir(), 'paperboy-cli-'));
const kaggleLines = readFileSync(KAGGLE, 'utf8').trimEnd().split('\n');

for (const harness of STORE_HARNESSES.filter((h) => h.name === 'sqlite' || h.name.includes('server'))) {
  describe(`paperboy CLI: ${harness.name}`, () => {
    let opened: OpenedStore;
    let db: string;
    beforeEach(async () => {
      opened = await harness.open();
      await opened.store.close();
      db = opened.url;
    });
    afterEach(async () => opened.drop());

    it('ingests the real Kaggle sample, then finds it all unchanged', async () => {
      const first = await runCli(['ingest', KAGGLE, '--db', db]);
      expect(first.stdout).toBe(`new ${kaggleLines.length}, updated 0, unchanged 0, rejected 0\n`);
      expect(first.code).toBe(0);
      const again = await runCli(['ingest', KAGGLE, '--db', db, '--json']);
      const summary = JSON.parse(again.stdout) as { seconds: number };
      expect(summary).toEqual({ new: 0, updated: 0, unchanged: kaggleLines.length, rejected: 0, errors: [], seconds: expect.any(Number) });
      expect(summary.seconds).toBeGreaterThan(0); // how long the run took
      const stats = JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout);
      expect(stats.papers).toBe(kaggleLines.length);
      expect(stats.bySource).toEqual({ kaggle: kaggleLines.length });
    });

    it('merges every source format into one store', async () => {
      const r = await runCli(['ingest', HF_DAY, ATOM, OAI, '--db', db, '--json']);
      const s = JSON.parse(r.stdout);
      expect(r.code).toBe(0);
      expect(s.new).toBeGreaterThan(40);
      const stats = JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout);
      expect(Object.keys(stats.bySource).sort()).toEqual(['arxiv-atom', 'hf-daily', 'oai-pmh']);
      expect(stats.papers).toBe(s.new);
    });

    it('reports bad records with source and position, stores every good one, exits 1', async () => {
      const dir = tmp();
      const file = join(dir, 'mixed.jsonl');
      writeFileSync(file, [kaggleLines[0], '{"id": "2501.0', kaggleLines[1], "{'id': '2501.00001', 'title': 'python repr'}", kaggleLines[2]].join('\n') + '\n');
      const r = await runCli(['ingest', file, '--db', db, '--json']);
      expect(r.code).toBe(1);
      const s = JSON.parse(r.stdout);
      expect(s).toMatchObject({ new: 3, rejected: 2 });
      expect(s.errors.map((e: { source: string; at: string }) => [e.source, e.at])).toEqual([
        [file, 'line 2'],
        [file, 'line 4'],
      ]);
      const plain = await runCli(['ingest', file, '--db', db]);
      expect(plain.stdout).toBe('new 0, updated 0, unchanged 3, rejected 2\n');
      expect(plain.stderr).toContain(`rejected: ${file} line 2:`);
    });

    it('stops on an unusable input with exit 2, storing nothing from it but keeping the other inputs', async () => {
      const dir = tmp();
      const html = join(dir, 'export.xml');
      writeFileSync(html, '<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>');
      const truncated = join(dir, 'cut.jsonl.gz');
      const gz = gzipSync(readFileSync(KAGGLE));
      writeFileSync(truncated, gz.subarray(0, Math.floor(gz.length * 0.6)));
      const r = await runCli(['ingest', html, truncated, HF_DAY, '--db', db, '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(html);
      expect(r.stderr).toContain(truncated);
      expect(r.stderr).toMatch(/nothing from it was stored/);
      const s = JSON.parse(r.stdout);
      expect(s.errors.map((e: { source: string }) => e.source)).toEqual([html, truncated]);
      const stats = JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout);
      expect(stats.bySource).toEqual({ 'hf-daily': s.new }); // nothing of the truncated Kaggle file
    });

    it('rejects a record past a field cap, naming record and field, and stores the good ones around it', async () => {
      const file = join(tmp(), 'huge-versions.jsonl');
      const huge = JSON.parse(kaggleLines[1]!) as { id: string; versions: unknown[] };
      huge.versions = Array.from({ length: 1000 }, (_, i) => ({ version: `v${i + 1}`, created: 'Mon, 2 Apr 2007 19:18:42 GMT', size: 'k'.repeat(5000) }));
      writeFileSync(file, [kaggleLines[0], JSON.stringify(huge), kaggleLines[2]].join('\n') + '\n');
      const r = await runCli(['ingest', file, '--db', db]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('new 2, updated 0, unchanged 0, rejected 1\n');
      expect(r.stderr).toContain(`rejected: ${file} line 2: paper ${huge.id}: version 1 size of 5000 characters exceeds 32`);
    });

    it('stops a gzip bomb at the document bound, names where, and stores the inputs after it', async () => {
      const bomb = join(tmp(), 'daily.json.gz');
      // a real day's JSON, then 110 MB of spaces (valid JSON, ~110 kB gzipped): past the 100 MB bound
      const out = createWriteStream(bomb);
      const gzip = createGzip();
      const done = new Promise<void>((resolve, reject) => gzip.pipe(out).on('finish', () => resolve()).on('error', reject));
      gzip.write(readFileSync(HF_DAY));
      const spaces = Buffer.alloc(1024 * 1024, ' ');
      for (let i = 0; i < 110; i++) if (!gzip.write(spaces)) await once(gzip, 'drain');
      gzip.end();
      await done;
      const r = await runCli(['ingest', bomb, HF_DAY, '--db', db, '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`paperboy: ${bomb}: unusable input at inflated byte ${MAX_DOCUMENT_BYTES}: the gzip stream`);
      expect(r.stderr).toMatch(/inflates to more than the 100 MB a whole document may hold; inflating stopped there/);
      const s = JSON.parse(r.stdout);
      expect(s.new).toBeGreaterThan(0); // the good day after it
      expect(s.errors.map((e: { source: string }) => e.source)).toEqual([bomb]);
    });

    it('names a missing file', async () => {
      const r = await runCli(['ingest', '/nonexistent/papers.jsonl', '--db', db]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/\/nonexistent\/papers\.jsonl.*(ENOENT|no such file)/i);
    });
  });
}

describe('paperboy CLI: settings and schema', () => {
  it('lists the configuration with secrets redacted', async () => {
    const r = await runCli(['config', '--json'], { PAPERBOY_DATABASE_URL: 'postgres://u:hunter2@db/x' });
    const c = JSON.parse(r.stdout);
    expect(c.PAPERBOY_DATABASE_URL).toBe('postgres://u:***@db/x');
    expect(r.stdout).not.toContain('hunter2');
  });

  it('refuses invalid settings with exit 2 and names them', async () => {
    const r = await runCli(['stats'], { PORT: 'x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid configuration:\n\s+PORT="x"/);
  });

  it('refuses a database URL of any other kind than SQLite or PostgreSQL, creating nothing', async () => {
    const cwd = process.cwd();
    const r = await runCli(['stats', '--db', 'mysql://foo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('paperboy: unsupported database "mysql://…": Paperboy keeps its papers in SQLite (a file path) or PostgreSQL (a postgres:// or postgresql:// URL)\n');
    expect(existsSync(join(cwd, 'mysql:'))).toBe(false);
    const ingest = await runCli(['ingest', KAGGLE, '--db', 'mysql://u:hunter2@db/papers']);
    expect(ingest.code).toBe(2);
    expect(ingest.stderr).not.toContain('hunter2');
    expect(existsSync(join(cwd, 'mysql:'))).toBe(false);
    const setting = await runCli(['config'], { PAPERBOY_DATABASE_URL: 'sqlite://x.db' });
    expect(setting.code).toBe(2);
    expect(setting.stderr).toMatch(/PAPERBOY_DATABASE_URL=\(secret\): unsupported database "sqlite:\/\/…"/);
  });

  it('creates a missing database and its directory only in the commands that create databases', async () => {
    const dir = join(tmp(), 'not', 'yet');
    for (const args of [['stats'], ['search', 'quokka'], ['index']]) {
      const r = await runCli([...args, '--db', join(dir, 'p.db')]);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toBe(`paperboy: no database at ${join(dir, 'p.db')}: directory ${dir} does not exist (serve, ingest, harvest and migrate create one)\n`);
      expect(existsSync(dir)).toBe(false);
    }
    const missingFile = await runCli(['stats', '--db', join(tmp(), 'typo.db')]);
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toMatch(/^paperboy: no database at \S+typo\.db \(serve, ingest, harvest and migrate create one\)\n$/);
    expect((await runCli(['ingest', KAGGLE, '--db', join(dir, 'p.db')])).code).toBe(0);
    expect(JSON.parse((await runCli(['stats', '--db', join(dir, 'p.db'), '--json'])).stdout).papers).toBe(kaggleLines.length);
    const help = await runCli(['stats', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('must exist (serve, ingest, harvest and migrate create one)');
  });

  it('says in one line which PostgreSQL server it could not reach, without the password', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve)); // nothing listens there now
    const r = await runCli(['stats', '--db', `postgres://paperboy:hunter2@127.0.0.1:${port}/papers`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`paperboy: cannot connect to PostgreSQL at 127.0.0.1:${port} (database papers, user paperboy): connection refused (is PostgreSQL running there, on that port?)\n`);
    const noHost = await runCli(['migrate', '--db', 'postgresql://paperboy:hunter2@no-such-host.invalid/papers']);
    expect(noHost.code).toBe(2);
    expect(noHost.stderr).toBe('paperboy: cannot connect to PostgreSQL at no-such-host.invalid:5432 (database papers, user paperboy): no such host\n');
  });

  it('migrates a new SQLite database and refuses one from a newer release', async () => {
    const db = join(tmp(), 'p.db');
    const r = await runCli(['migrate', '--db', db]);
    expect(r.stdout).toBe(`schema version ${LATEST_SCHEMA_VERSION} (sqlite): up to date\n`);
    const sqlite = spawnSync('node', ['-e', `const D=require('better-sqlite3');new D(${JSON.stringify(db)}).exec("INSERT INTO schema_migrations VALUES (70,'x','2030')")`], { cwd: process.cwd() });
    expect(sqlite.status).toBe(0);
    const refused = await runCli(['stats', '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/schema version 70.*newer release/);
  });

  it('indexes: keyword index and related papers, recomputed only when papers changed, quiet when piped', async () => {
    const db = join(tmp(), 'p.db');
    expect((await runCli(['ingest', KAGGLE, '--db', db])).code).toBe(0);
    const first = await runCli(['index', '--db', db, '--json']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toMatchObject({ indexed: kaggleLines.length, pending: 0, embedded: null, related: kaggleLines.length });
    const again = await runCli(['index', '--db', db]);
    expect(again.stdout).toMatch(/^search index: 0 papers indexed; no papers embedded \(no built-in model yet: run `paperboy embeddings train` \(serve trains one itself\)\); related papers up to date \(\d+\.\d s\)\n$/);
    const forced = await runCli(['index', '--db', db, '--force', '--json']);
    expect(JSON.parse(forced.stdout)).toMatchObject({ indexed: 0, related: kaggleLines.length });
  });

  it('runs as the installed `paperboy` binary', () => {
    const db = join(tmp(), 'p.db');
    const r = spawnSync(process.execPath, ['bin/paperboy.js', 'ingest', KAGGLE, '--db', db], {
      encoding: 'utf8',
      env: { ...process.env, PAPERBOY_DEMO_DATA: 'false' },
    });
    expect(r.stdout).toBe(`new ${kaggleLines.length}, updated 0, unchanged 0, rejected 0\n`);
    expect(r.stderr).toBe(''); // piped: no progress bar
    expect(r.status).toBe(0);
  });

  it('ends quietly when its reader stops early (`paperboy config | head -1`)', () => {
    const r = spawnSync('bash', ['-c', 'set -o pipefail; node bin/paperboy.js config | head -c 1 >/dev/null; for i in 1 2 3; do node bin/paperboy.js config | head -c 1 >/dev/null || exit 9; done'], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(r.status).toBe(0);
  });
});
