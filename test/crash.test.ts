/**
 * A kill in the middle of an ingest leaves the store as it was before, and a rerun finishes the
 * job: the real CLI process, killed with SIGKILL while it streams the real corpus.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, SHARED } from './support/cli.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import type { OpenedStore } from './support/store-harness.js';

const CORPUS = join(SHARED, 'data/arxiv/arxiv-cs-2025-2026.kaggle.jsonl.gz');
const KAGGLE = join(SHARED, 'fixtures/kaggle/kaggle_format_sample.jsonl');

for (const harness of STORE_HARNESSES.filter((h) => h.name === 'sqlite' || h.name.includes('server'))) {
  describe(`killed ingest: ${harness.name}`, () => {
    let opened: OpenedStore;
    beforeEach(async () => {
      opened = await harness.open();
      await opened.store.close();
    });
    afterEach(async () => opened.drop());

    it('keeps the store consistent and lets a rerun finish', async () => {
      const db = opened.url;
      expect((await runCli(['ingest', KAGGLE, '--db', db])).code).toBe(0);

      const child = spawn(process.execPath, ['bin/paperboy.js', 'ingest', CORPUS, '--db', db], {
        env: { ...process.env, PAPERBOY_DEMO_DATA: 'false' },
        stdio: 'ignore',
      });
      // let it get well into the file, then kill it without warning
      await new Promise((r) => setTimeout(r, 1500));
      child.kill('SIGKILL');
      const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
      expect(signal ?? code).toBe('SIGKILL');

      const after = JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout);
      expect(after.papers).toBe(127); // the earlier ingest, intact; nothing half-written from the killed one

      const rerun = JSON.parse((await runCli(['ingest', CORPUS, '--db', db, '--json'])).stdout);
      expect(rerun).toMatchObject({ new: 74_728, rejected: 0 });
      expect(JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout).papers).toBe(127 + 74_728);
    }, 120_000);
  });
}

// A new SQLite file's first load runs with a rollback journal, not the WAL (docs/decisions/012):
// killed while the rows are going into the file itself, it must still come back empty.
describe('killed ingest: a new SQLite file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paperboy-crash-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is rolled back to its empty schema, and a rerun finishes in WAL mode', async () => {
    const db = join(dir, 'new.db');
    const child = spawn(process.execPath, ['bin/paperboy.js', 'ingest', CORPUS, '--db', db], {
      env: { ...process.env, PAPERBOY_DEMO_DATA: 'false' },
      stdio: 'ignore',
    });
    // killed once rows fill the file (past 20 MB: well into the load, not yet at its end)
    let journalSeen = false;
    while (child.exitCode === null && !(existsSync(db) && statSync(db).size > 20 * 1024 * 1024)) {
      journalSeen ||= existsSync(`${db}-journal`);
      await new Promise((r) => setTimeout(r, 20));
    }
    journalSeen ||= existsSync(`${db}-journal`);
    child.kill('SIGKILL');
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect(signal ?? code).toBe('SIGKILL');
    expect(journalSeen).toBe(true); // the load was writing the file itself, under a rollback journal
    expect(existsSync(`${db}-wal`)).toBe(false);

    const after = JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout);
    expect(after.papers).toBe(0); // nothing half-written: the journal put the file back
    // the load had dropped the papers indexes to build them after its rows: they are back too
    const rolledBack = new Database(db, { readonly: true });
    const indexes = rolledBack
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'papers' AND sql IS NOT NULL")
      .pluck()
      .all();
    rolledBack.close();
    expect(indexes).toEqual(['papers_day', 'papers_live_day', 'papers_modified', 'papers_live_day_id', 'papers_id_modified']);

    const rerun = JSON.parse((await runCli(['ingest', CORPUS, '--db', db, '--json'])).stdout);
    expect(rerun).toMatchObject({ new: 74_728, rejected: 0 });
    expect(JSON.parse((await runCli(['stats', '--db', db, '--json'])).stdout).papers).toBe(74_728);
    const file = new Database(db, { readonly: true });
    expect(file.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
    file.close();
  }, 120_000);
});
