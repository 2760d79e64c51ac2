/**
 * `paperboy serve` on PostgreSQL stopping while it works: a SIGTERM in the middle of a burst of
 * searches lets the requests in flight finish, the work of those whose clients gave up included,
 * before the database pool is closed (no "Cannot use a pool after calling end on the pool", no
 * stack), and exits 0 soon after, keep-alive connections notwithstanding; a second signal while
 * it waits for a stuck request exits at once. Needs a PostgreSQL server
 * (PAPERBOY_TEST_POSTGRES_URL); skipped where none answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresServerAnswers, postgresServerHarness } from './support/postgres-harness.js';
import type { OpenedStore } from './support/store-harness.js';

const server = await postgresServerAnswers();

interface Served {
  child: ChildProcess;
  base: string;
  port: number;
  /** everything written to stderr so far */
  stderr(): string;
  /** the exit code, or the signal that ended it */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const scratch = mkdtempSync(join(tmpdir(), 'paperboy-shutdown-'));

/** Starts the real CLI on the database and waits until it listens. */
async function serve(db: string): Promise<Served> {
  const child = spawn(process.execPath, ['bin/paperboy.js', 'serve', '--port', '0', '--db', db], {
    // no limits and a budget no search here reaches on a busy machine: this suite is about stopping, not about budgets
    // (the built-in model it learns from the demo papers, and its vector index, in a folder of the test's own)
    env: {
      ...process.env,
      PAPERBOY_DEMO_DATA: 'true',
      PAPERBOY_API_RATE_LIMIT: '0',
      PAPERBOY_SEARCH_RATE_LIMIT: '0',
      PAPERBOY_QUERY_TIMEOUT_MS: '60000',
      PAPERBOY_MODEL_DIR: join(scratch, 'models'),
      PAPERBOY_VECTOR_CACHE_DIR: join(scratch, 'vectors'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', () => {
      const m = /Paperboy on (http:\/\/localhost:\d+)\//.exec(stderr);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`serve exited early:\n${stderr}`)));
  });
  return { child, base, port: Number(new URL(base).port), stderr: () => stderr, exited };
}

async function stop(s: Served | undefined): Promise<void> {
  if (s && s.child.exitCode === null && s.child.signalCode === null) {
    s.child.kill('SIGKILL');
    await s.exited;
  }
}

const WORDS = ['diffusion', 'language', 'model', 'video', 'agents', 'reasoning', 'robot', 'graph', 'vision', 'transformer', 'reward', 'speech'];

/** A search no earlier request made (the response cache can't answer it): a page or the API, in turn. */
function searchUrl(base: string, i: number): string {
  const q = encodeURIComponent(`${WORDS[i % WORDS.length]!} ${WORDS[(i * 7 + 3) % WORDS.length]!}`);
  return i % 2 === 0 ? `${base}/search?q=${q}&page=${1 + (i % 5)}` : `${base}/api/v1/search?q=${q}&offset=${i}`;
}

describe.skipIf(!server)('paperboy serve on PostgreSQL, stopped during a burst of searches', () => {
  let opened: OpenedStore;
  let served: Served | undefined;

  beforeAll(async () => {
    opened = await postgresServerHarness().open();
    await opened.store.close();
  }, 60_000);

  afterAll(async () => {
    await stop(served);
    await opened?.drop();
  });

  it('finishes the searches in flight, then closes the pool, and exits 0', async () => {
    served = await serve(opened.url);
    const s = served;
    const statuses: (number | string)[] = [];
    let answered = 0;
    // clients that give up: their connections close, but the searches they asked for run on
    const impatient = new AbortController();
    const burst = Array.from({ length: 240 }, async (_, i) => {
      try {
        const res = await fetch(searchUrl(s.base, i), { signal: impatient.signal });
        await res.arrayBuffer();
        answered++;
        statuses.push(res.status);
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        // refused once the server has stopped listening: what a client of a stopping server may see
        statuses.push(err.name === 'AbortError' ? 'aborted' : String(err.cause?.code ?? e));
      }
    });
    // mid-burst: some answered, most still running
    while (answered < 10) await new Promise((r) => setTimeout(r, 5));
    s.child.kill('SIGTERM');
    const stopping = Date.now();
    setTimeout(() => impatient.abort(), 30);
    await Promise.all(burst);
    const { code, signal } = await s.exited;
    // not held open by the clients' idle keep-alive connections (72 s)
    expect(Date.now() - stopping).toBeLessThan(30_000);

    const stderr = s.stderr();
    expect(stderr).toMatch(/SIGTERM: shutting down/);
    expect(stderr).not.toMatch(/pool after calling end/i);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack of any error
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // every request answered (200, or 503 once closing), gave up, or found the port closed; none failed
    expect(statuses.filter((x) => ![200, 503, 'aborted', 'ECONNREFUSED', 'ECONNRESET'].includes(x))).toEqual([]);
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it('exits at once on a second signal while it waits for a request that never ends', async () => {
    served = await serve(opened.url);
    const s = served;
    // a request whose body never ends: closing the server waits for it
    const socket = connect(s.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('POST /theme HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ntheme=');
    socket.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 100));

    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(s.child.exitCode).toBeNull(); // still waiting for that request
    const second = Date.now();
    s.child.kill('SIGTERM');
    const { code } = await s.exited;
    socket.destroy();

    expect(Date.now() - second).toBeLessThan(2000);
    expect(code).not.toBe(0);
    expect(s.stderr()).toMatch(/SIGTERM again: exiting without waiting/);
  }, 120_000);
});
