/**
 * A kill in the middle of an ingest leaves the store as it was before, and a rerun finishes the
 * job: the real CLI process, killed with SIGKILL while it streams the real corpus.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
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
