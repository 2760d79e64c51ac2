/**
 * `paperboy serve` as an operator runs it (issue 14): its log is JSON lines on stderr (pino, at
 * PAPERBOY_LOG_LEVEL), one per request with the id it also sends back; /metrics answers on
 * PAPERBOY_METRICS_PORT and on the site's port, both behind PAPERBOY_METRICS_TOKEN.
 */
import { freePort } from './support/free-port.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDbPath } from './support/sqlite-harness.js';

const TOKEN = 'serve-metrics-token-0123456789';

describe('paperboy serve: logs and metrics', () => {
  let child: ChildProcess;
  let base: string;
  let metricsPort: number;
  let stderr = '';

  beforeAll(async () => {
    metricsPort = await freePort();
    child = spawn(process.execPath, ['bin/paperboy.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--db', tempDbPath()], {
      env: {
        ...process.env,
        PAPERBOY_DEMO_DATA: 'true',
        PAPERBOY_LOG_LEVEL: 'info',
        PAPERBOY_METRICS_PORT: String(metricsPort),
        PAPERBOY_METRICS_TOKEN: TOKEN,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Paperboy on (http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr);
        if (m && /metrics on port/.test(stderr)) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`serve exited early:\n${stderr}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  });

  const lines = () =>
    stderr
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { level: number; time: string; msg: string; pid: number; reqId?: string; status?: number; path?: string });

  it('logs JSON lines: what it did at start, and one line per request with its id', async () => {
    const all = lines(); // every line parses
    expect(all.every((l) => typeof l.time === 'string' && typeof l.level === 'number' && l.pid === child.pid)).toBe(true);
    expect(all.some((l) => /^new database: loaded \d+ demo papers$/.test(l.msg))).toBe(true);
    expect(all.some((l) => l.msg === `metrics on port ${metricsPort}: GET /metrics with the bearer token`)).toBe(true);
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    const id = r.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    const deadline = Date.now() + 5000;
    while (!lines().some((l) => l.reqId === id) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    const logged = lines().filter((l) => l.reqId === id);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ msg: 'request', level: 30, status: 200, path: '/healthz' });
  });

  it('answers /metrics on its own port and on the site\'s, with the token only', async () => {
    await fetch(`${base}/healthz`);
    const url = `http://127.0.0.1:${metricsPort}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const r = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toMatch(/^paperboy_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} [1-9]\d*$/m);
    expect(text).toMatch(/^paperboy_search_index_lag_papers 0$/m); // serve indexed the demo papers at start
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('reports the embedding job\'s progress: no paper left without its vector once it is done', async () => {
    // the demo's papers are enough for serve to learn the built-in model in the background, embed them, and search by meaning
    const ready = /^semantic search answers from (\S+)$/;
    const deadline = Date.now() + 120_000;
    while (!lines().some((l) => ready.test(l.msg)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const line = lines().find((l) => ready.test(l.msg));
    expect(line, stderr.slice(-2000)).toBeDefined();
    const embedder = ready.exec(line!.msg)![1]!;
    await new Promise((r) => setTimeout(r, 11_000)); // past the reading kept for 10 s
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(text).toContain(`paperboy_embedding_lag_papers{embedder="${embedder}"} 0`);
    expect(text).toContain(`paperboy_embedding_complete{embedder="${embedder}"} 1`);
  }, 150_000);

  it('stops cleanly on SIGTERM, saying so in its log', async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(lines().some((l) => l.msg === 'SIGTERM: shutting down')).toBe(true);
  });
});
