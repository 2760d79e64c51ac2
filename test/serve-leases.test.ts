/**
 * `paperboy serve` stopped by a clean SIGTERM while a background job runs (a harvest, the
 * related papers, the pages rendered ahead), on both stores: the job stops, gives its lease up,
 * and only then is the store closed. So no error is logged ("The database connection is not
 * open" was, on SQLite) and another node can take the job at once, rather than skipping it for
 * the five minutes the lease would otherwise stay held (as it did on PostgreSQL).
 *
 * The real CLI process on a real database holding the first papers of the real corpus, enough
 * for each job to run for a while.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgresUrl, openDatabase } from '../src/adapters/db/open-store.js';
import { JobLease } from '../src/services/job-lease.js';
import { runCli } from './support/cli.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import { CORPUS, TempDir } from './support/input-files.js';
import type { OpenedStore } from './support/store-harness.js';

/** enough papers that the related papers and the pages ahead each take seconds */
const PAPERS = 6000;

async function corpusHead(dir: TempDir, lines: number): Promise<string> {
  const path = join(dir.path, 'head.jsonl');
  const out = createWriteStream(path);
  const rl = createInterface({ input: createReadStream(CORPUS).pipe(createGunzip()), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    if (n++ === lines) break;
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  rl.close();
  out.end();
  await once(out, 'finish');
  return path;
}

/** The leases held in the database, read behind the store's back. */
async function leasesHeld(url: string): Promise<string[]> {
  if (isPostgresUrl(url)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ name: string }>('SELECT name FROM job_leases ORDER BY name')).rows.map((r) => r.name);
    } finally {
      await client.end();
    }
  }
  const db = new Database(url, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return (db.prepare('SELECT name FROM job_leases ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

interface Served {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function serve(db: string, env: Record<string, string> = {}): Served {
  const child = spawn(process.execPath, ['bin/paperboy.js', 'serve', '--port', '0', '--db', db], {
    // words only: these jobs are the lexical ones (the embeddings job: serve-embeddings.test.ts)
    env: { ...process.env, PAPERBOY_DEMO_DATA: 'false', PAPERBOY_EMBEDDER: 'none', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return { child, stderr: () => stderr, exited };
}

/** Waits until the job's lease is held (the job is running), failing if serve exits first. */
async function whileHeld(s: Served, url: string, job: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!(await leasesHeld(url).catch(() => [] as string[])).includes(job)) {
    if (s.child.exitCode !== null) throw new Error(`serve exited before the ${job} job ran:\n${s.stderr()}`);
    if (Date.now() > deadline) throw new Error(`the ${job} job never ran:\n${s.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const harness of STORE_HARNESSES.filter((h) => h.name === 'sqlite' || h.name.includes('server'))) {
  describe(`serve stopped during a background job: ${harness.name}`, () => {
    let opened: OpenedStore;
    let dir: TempDir;
    let served: Served | undefined;
    /** a Hugging Face that never answers: a harvest from it runs until stopped */
    let silent: Server;

    beforeAll(async () => {
      dir = new TempDir();
      opened = await harness.open();
      await opened.store.close();
      const ingested = await runCli(['ingest', await corpusHead(dir, PAPERS), '--db', opened.url]);
      expect(ingested.stderr).toBe('');
      silent = createServer(() => undefined);
      silent.listen(0, '127.0.0.1');
      await once(silent, 'listening');
    }, 240_000);

    afterAll(async () => {
      if (served && served.child.exitCode === null) {
        served.child.kill('SIGKILL');
        await served.exited;
      }
      silent?.closeAllConnections();
      silent?.close();
      await opened?.drop();
      dir?.remove();
    });

    const cases: { job: string; env: () => Record<string, string> }[] = [
      { job: 'related', env: () => ({}) },
      { job: 'pages', env: () => ({}) },
      {
        job: 'harvest',
        env: () => ({
          PAPERBOY_SOURCES: 'hf-daily',
          PAPERBOY_HF_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
          PAPERBOY_HARVEST_SCHEDULE: '* * * * * *',
          PAPERBOY_HARVEST_BACKFILL_DAYS: '0',
        }),
      },
    ];

    for (const { job, env } of cases) {
      it(`gives the ${job} lease up before closing the store, logging no error`, async () => {
        served = serve(opened.url, env());
        const s = served;
        await whileHeld(s, opened.url, job);
        s.child.kill('SIGTERM');
        const exit = await s.exited;

        const stderr = s.stderr();
        expect(stderr).toMatch(/SIGTERM: shutting down/);
        expect(stderr).not.toMatch(/not open|after calling end|failed/i);
        expect(stderr).not.toMatch(/\n\s+at /); // no stack of any error
        expect(exit).toEqual({ code: 0, signal: null });
        expect(await leasesHeld(opened.url)).toEqual([]);
        // a node started now runs the job rather than skip it
        const { store } = await openDatabase(opened.url);
        try {
          await store.migrate();
          expect(await new JobLease(store, job, 'the-next-node').run(async () => 'ran')).toEqual({ ran: true, value: 'ran' });
        } finally {
          await store.close();
        }
      }, 180_000);
    }

    it('takes over the related papers from a node that died holding their lease, once it runs out', async () => {
      // what a node killed mid-job leaves: the lease held, never renewed nor given up
      const { store } = await openDatabase(opened.url);
      try {
        await store.migrate();
        expect(await store.takeLease('related', 'a-node-that-died', 20)).toBe(true); // well past serve's start, on a busy machine too
      } finally {
        await store.close();
      }
      served = serve(opened.url);
      const s = served;
      const saw = async (pattern: RegExp) => {
        const deadline = Date.now() + 60_000;
        while (!pattern.test(s.stderr())) {
          if (s.child.exitCode !== null || Date.now() > deadline) throw new Error(`serve never logged ${pattern}:\n${s.stderr()}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await saw(/related papers: another node is computing them/);
      await saw(/related papers: the node that held the job stopped renewing its lease; taking it over/);
      // it ran the job (the lists are current already after the tests above: nothing to redo) and gave the lease up
      const deadline = Date.now() + 60_000;
      while ((await leasesHeld(opened.url)).includes('related') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await leasesHeld(opened.url)).not.toContain('related');
      s.child.kill('SIGTERM');
      expect(await s.exited).toEqual({ code: 0, signal: null });
      expect(s.stderr()).not.toMatch(/failed/i);
    }, 180_000);
  });
}
