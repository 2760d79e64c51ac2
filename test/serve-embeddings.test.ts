/**
 * `paperboy serve` keeps the embeddings current (decision 025), on SQLite and the PostgreSQL
 * server: at start it embeds the papers with the configured built-in model in the background;
 * killed with SIGKILL in the middle, a restart embeds only the papers still missing (the store
 * is the job's only state); once complete, similar papers come from the vectors.
 *
 * The real CLI process on a real database holding the first papers of the real corpus, and a
 * built-in model trained on them by the test (nothing downloaded).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/adapters/db/open-store.js';
import { BuiltinEmbedder } from '../src/adapters/embedding/builtin-embedder.js';
import { SifModel } from '../src/core/embedding/sif-model.js';
import { embeddingText } from '../src/services/embedding-job.js';
import { runCli } from './support/cli.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import { CORPUS, TempDir } from './support/input-files.js';
import type { OpenedStore } from './support/store-harness.js';

const PAPERS = 6000;

async function corpusHead(dir: TempDir, lines: number): Promise<{ path: string; texts: string[] }> {
  const path = join(dir.path, 'head.jsonl');
  const out = createWriteStream(path);
  const texts: string[] = [];
  const rl = createInterface({ input: createReadStream(CORPUS).pipe(createGunzip()), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    if (n++ === lines) break;
    const r = JSON.parse(line) as { title?: string; abstract?: string };
    texts.push(embeddingText({ title: r.title ?? null, abstract: r.abstract ?? null }));
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  rl.close();
  out.end();
  await once(out, 'finish');
  return { path, texts };
}

/** Lines [from, to) of the corpus, as a file of their own: papers a later harvest would bring. */
async function corpusLines(dir: TempDir, from: number, to: number): Promise<string> {
  const path = join(dir.path, `lines-${from}-${to}.jsonl`);
  const out = createWriteStream(path);
  const rl = createInterface({ input: createReadStream(CORPUS).pipe(createGunzip()), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    if (n >= to) break;
    if (n++ >= from && !out.write(line + '\n')) await once(out, 'drain');
  }
  rl.close();
  out.end();
  await once(out, 'finish');
  return path;
}

interface Served {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<unknown>;
}

function serve(db: string, modelDir: string, env: Record<string, string> = {}): Served {
  const child = spawn(process.execPath, ['bin/paperboy.js', 'serve', '--port', '0', '--db', db], {
    env: { ...process.env, PAPERBOY_DEMO_DATA: 'false', PAPERBOY_MODEL_DIR: modelDir, PAPERBOY_VECTOR_CACHE_DIR: join(modelDir, '..', 'vectors'), PAPERBOY_EMBEDDER: 'builtin', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, stderr: () => stderr, exited: once(child, 'exit') };
}

async function until<T>(what: string, s: Served, probe: () => Promise<T | null | undefined | false>, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v) return v;
    if (s.child.exitCode !== null) throw new Error(`serve exited before ${what}:\n${s.stderr()}`);
    if (Date.now() > deadline) throw new Error(`never ${what}:\n${s.stderr()}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

for (const harness of STORE_HARNESSES.filter((h) => h.name === 'sqlite' || h.name.includes('server'))) {
  describe(`serve keeps the embeddings current: ${harness.name}`, () => {
    let opened: OpenedStore;
    let dir: TempDir;
    let modelDir: string;
    let model: BuiltinEmbedder;
    let served: Served | undefined;

    beforeAll(async () => {
      dir = new TempDir();
      opened = await harness.open();
      await opened.store.close();
      const head = await corpusHead(dir, PAPERS);
      const ingested = await runCli(['ingest', head.path, '--db', opened.url]);
      expect(ingested.stderr).toBe('');
      model = new BuiltinEmbedder(SifModel.train(head.texts, { dimensions: 64 }));
      modelDir = join(dir.path, 'models');
      mkdirSync(modelDir, { recursive: true });
      writeFileSync(join(modelDir, 'builtin.bin'), model.toBuffer());
    }, 240_000);

    afterAll(async () => {
      if (served && served.child.exitCode === null) {
        served.child.kill('SIGKILL');
        await served.exited;
      }
      await opened?.drop();
      dir?.remove();
    });

    /** What the database holds of the model's vectors, read through a store of its own. */
    async function counts(): Promise<{ papers: number; current: number; complete: boolean; related: string | null }> {
      const db = await openDatabase(opened.url);
      try {
        const c = await db.vectors.vectorCounts(model.id);
        const e = await db.vectors.embedder(model.id);
        const state = await db.store.relatedState();
        return { ...c, complete: e?.completedAt != null, related: state?.contentVersion ?? null };
      } finally {
        await db.store.close();
      }
    }

    it('killed mid-way, a restart embeds only what is missing, and the similar papers then come from the vectors', async () => {
      served = serve(opened.url, modelDir);
      const first = served;
      const partial = await until('embedded a batch', first, async () => {
        const c = await counts();
        return c.current > 0 && c;
      });
      first.child.kill('SIGKILL');
      await first.exited;
      const after = await counts();
      expect(after.complete).toBe(false);
      expect(after.current).toBeGreaterThanOrEqual(partial.current);
      expect(after.current).toBeLessThan(after.papers);
      // the killed node's lease still holds (five minutes, in life; fifteen seconds here): the new
      // node finds it held, waits for it to run out, and then embeds
      await opened.exec(`UPDATE job_leases SET expires_at = '${new Date(Date.now() + 15_000).toISOString()}' WHERE name = 'embeddings'`);

      served = serve(opened.url, modelDir, { PAPERBOY_FOLLOW_SECONDS: '1' });
      const second = served;
      await until('found the lease held', second, () => Promise.resolve(/another node is embedding the papers; trying again once it is done/.test(second.stderr())));
      const line = await until('finished embedding', second, () => Promise.resolve(/embeddings: (\d+) papers embedded with (\S+) in/.exec(second.stderr())));
      expect(Number(line[1])).toBe(after.papers - after.current); // only the missing ones
      expect(line[2]).toBe(model.id);
      await until('made similar papers from the vectors', second, async () => (await counts()).related?.startsWith(`vectors:${model.id}:`));
      expect(second.stderr()).toMatch(/semantic search answers from builtin-sif-64:/);
      const done = await counts();
      expect(done).toMatchObject({ current: done.papers, complete: true });

      // papers another process stores while serve runs (a `paperboy harvest` from cron) are embedded within PAPERBOY_FOLLOW_SECONDS
      const more = await corpusLines(dir, PAPERS, PAPERS + 37);
      expect((await runCli(['ingest', more, '--db', opened.url])).stderr).toBe('');
      const embedded = (s: string) => [...s.matchAll(/embeddings: (\d+) papers embedded with/g)].map((m) => Number(m[1]));
      await until('embedded the papers another process stored', second, () => Promise.resolve(embedded(second.stderr()).length === 2));
      expect(embedded(second.stderr())).toEqual([after.papers - after.current, 37]);
      const followed = await counts();
      expect(followed).toMatchObject({ papers: done.papers + 37, current: done.papers + 37, complete: true });
      second.child.kill('SIGTERM');
      await second.exited;
      expect(second.stderr()).not.toMatch(/failed|\n\s+at /i);
    }, 300_000);
  });
}
