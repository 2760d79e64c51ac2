/**
 * `paperboy ingest --query` and `paperboy ingest <url>`: the real CLI fetching from a local
 * server that answers with the recorded arXiv API and Hugging Face responses.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { tempDbPath } from './support/sqlite-harness.js';
import { FixtureServer, fixture, hfDayFile } from './sources/harness.js';

const QUERY = fixture('arxiv-atom/query.xml');
const EMPTY = fixture('arxiv-atom/query_empty.xml');

describe('paperboy ingest from the network', () => {
  let server: FixtureServer;
  let base: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    server = new FixtureServer((url) => {
      if (url.pathname === '/api/query') return { body: Number(url.searchParams.get('start')) === 0 ? QUERY : EMPTY };
      if (url.pathname === '/api/daily_papers') return { body: hfDayFile(url.searchParams.get('date')!) ?? '[]' };
      return { status: 404, body: 'not found' };
    });
    base = await server.start();
    env = { PAPERBOY_ARXIV_API_URL: `${base}/api/query`, PAPERBOY_ARXIV_OAI_URL: `${base}/oai`, PAPERBOY_ARXIV_INTERVAL_MS: '0', PAPERBOY_HF_INTERVAL_MS: '0', PAPERBOY_HTTP_MAX_RETRIES: '0' };
  });
  afterEach(async () => server.close());

  it('pages through an arXiv API query', async () => {
    const db = tempDbPath();
    const r = await runCli(['ingest', '--query', 'all:electron AND all:proton', '--max-results', '10', '--db', db, '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ new: 10, rejected: 0 });
    expect(server.param('search_query')[0]).toBe('all:electron AND all:proton');
    const again = await runCli(['ingest', '--query', 'all:electron AND all:proton', '--max-results', '10', '--db', db, '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ new: 0, unchanged: 10 });
  });

  it('ingests a URL, taking the featured day from its ?date=', async () => {
    const db = tempDbPath();
    const r = await runCli(['ingest', `${base}/api/daily_papers?date=2026-06-30`, '--db', db, '--json'], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).new).toBe(34);
    const stats = JSON.parse((await runCli(['stats', '--db', db, '--json'], env)).stdout);
    expect(stats.lastDay).toBe('2026-06-30');
  });

  it('names a URL that answers with an error, exit 2, and still stores the other inputs', async () => {
    const bad = `${base}/nothing-here.json`;
    const r = await runCli(['ingest', bad, `${base}/api/daily_papers?date=2026-06-30`, '--db', tempDbPath(), '--json'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`paperboy: ${bad}: unusable input at fetch:`);
    expect(r.stderr).toMatch(/404/);
    const s = JSON.parse(r.stdout);
    expect(s.new).toBe(34);
    expect(s.errors).toEqual([{ source: bad, at: 'fetch', reason: expect.stringMatching(/404/) }]);
  });

  it('stops a compressed body past the document bound and a closed port at once, and stores the rest', async () => {
    // 110 MB of spaces sent as ~110 kB with Content-Encoding: gzip, which fetch inflates as it reads
    const bomb = gzipSync(Buffer.alloc(110 * 1024 * 1024, ' '));
    const bombServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(bomb));
    await new Promise<void>((resolve) => bombServer.listen(0, '127.0.0.1', resolve));
    const port = (bombServer.address() as AddressInfo).port;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    try {
      const bombUrl = `http://127.0.0.1:${port}/api/daily_papers?date=2026-06-29`;
      const refused = `http://127.0.0.1:${closedPort}/api/daily_papers?date=2026-06-28`;
      const r = await runCli(['ingest', bombUrl, refused, `${base}/api/daily_papers?date=2026-06-30`, '--db', tempDbPath(), '--json'], { ...env, PAPERBOY_HTTP_MAX_RETRIES: '3' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${bombUrl.replace(/[?.]/g, '\\$&')}: unusable input at fetch: .*a body still arriving at byte \\d+, more than the 100 MB an input may hold \\(not retried\\), after 1 attempt`));
      expect(r.stderr).toContain(`connection refused by 127.0.0.1:${closedPort}: nothing listens there (not retried), after 1 attempt`);
      expect(JSON.parse(r.stdout).new).toBe(34);
    } finally {
      bombServer.closeAllConnections();
      await new Promise<void>((resolve) => bombServer.close(() => resolve()));
    }
  });
});
