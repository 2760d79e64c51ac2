/**
 * The polite HTTP client against a local server: spacing, one request at a time, the
 * User-Agent, retries with Retry-After and backoff, and giving up with SOURCE_FAILED.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputUnusableError, PaperboyError } from '../../core/errors.js';
import {
  FixtureServer,
  RecordingClock,
  USER_AGENT,
  fixture,
  politeClient,
  script,
  type Route,
} from '../../../test/sources/harness.js';
import { SystemClock } from '../system-clock.js';
import { parseRetryAfter } from './polite-client.js';

const OK: Route = (url) => ({ body: `ok ${url.searchParams.get('n') ?? ''}` });

let server: FixtureServer;
let base: string;
let clock: RecordingClock;

beforeEach(async () => {
  server = new FixtureServer(OK);
  base = await server.start();
  clock = new RecordingClock();
});
afterEach(() => server.close());

async function failure(p: Promise<unknown>): Promise<PaperboyError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PaperboyError);
  return e as PaperboyError;
}

describe('PoliteHttpClient: politeness', () => {
  it('sends the caller’s User-Agent and returns status, final URL, headers and body', async () => {
    const res = await politeClient(clock).get(`${base}/x?n=1`);
    expect(server.hits[0]!.userAgent).toBe(USER_AGENT);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${base}/x?n=1`);
    expect(res.headers.get('content-type')).toContain('application/xml');
    expect(res.body.toString()).toBe('ok 1');
  });

  it('spaces request starts minIntervalMs apart through the clock (none before the first)', async () => {
    const http = politeClient(clock);
    for (let n = 0; n < 3; n++) await http.get(`${base}/?n=${n}`);
    expect(clock.sleeps).toEqual([3001, 3001]); // + 1 ms for whole-ms clock readings
    expect(server.hits).toHaveLength(3);
  });

  it('keeps real request arrivals at least the interval apart with the system clock', async () => {
    const http = politeClient(new SystemClock(), { minIntervalMs: 50 });
    // a first request opens the connection, so that connecting doesn't delay one arrival only
    await http.get(`${base}/?n=warm-up`);
    await Promise.all([0, 1, 2, 3].map((n) => http.get(`${base}/?n=${n}`)));
    const measured = server.hits.slice(1);
    const gaps = measured.slice(1).map((h, i) => h.at - measured[i]!.at);
    expect(gaps).toHaveLength(3);
    // The client spaces the moments it starts requests; the server (in the same event loop) sees
    // them after fetch's setup and the loopback, which vary by several ms on a loaded machine (a
    // gap of 44 ms was seen at load 6). Unspaced requests arrive about 1 ms apart, so half the
    // interval still tells spaced from unspaced, and the three gaps together keep nearly all of it.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(25);
    expect(measured[3]!.at - measured[0]!.at).toBeGreaterThanOrEqual(140);
  });

  it('never has two requests in flight, even when callers ask at once, and keeps their order', async () => {
    server.route = (url) => ({ body: `ok ${url.searchParams.get('n')}`, delayMs: 20 });
    const http = politeClient(clock, { minIntervalMs: 0 });
    const bodies = await Promise.all([0, 1, 2, 3, 4].map((n) => http.get(`${base}/?n=${n}`)));
    expect(server.maxInFlight).toBe(1);
    expect(server.param('n')).toEqual(['0', '1', '2', '3', '4']);
    expect(bodies.map((b) => b.body.toString())).toEqual(['ok 0', 'ok 1', 'ok 2', 'ok 3', 'ok 4']);
  });
});

describe('PoliteHttpClient: retries', () => {
  it('honours Retry-After in seconds on a 503', async () => {
    server.route = script([{ status: 503, headers: { 'retry-after': '2' }, body: 'busy' }], OK);
    const res = await politeClient(clock, { minIntervalMs: 100 }).get(`${base}/?n=1`);
    expect(res.body.toString()).toBe('ok 1');
    expect(server.hits).toHaveLength(2);
    expect(clock.sleeps).toEqual([2000]);
  });

  it('honours Retry-After as an HTTP-date on a 429', async () => {
    const at = new Date(clock.now().getTime() + 5000).toUTCString(); // whole seconds: 4-5 s from now
    server.route = script([{ status: 429, headers: { 'retry-after': at } }], OK);
    await politeClient(clock, { minIntervalMs: 100 }).get(`${base}/?n=1`);
    expect(server.hits).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(4000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(5000);
  });

  it('waits at least the interval even when Retry-After asks for less', async () => {
    server.route = script([{ status: 503, headers: { 'retry-after': '0' } }], OK);
    await politeClient(clock).get(`${base}/`);
    expect(clock.sleeps).toEqual([3001]);
  });

  it('retries a connection reset and a body cut short, logging why', async () => {
    const logs: string[] = [];
    const xml = fixture('oai-pmh/ListRecordsResponse.xml');
    server.route = script([{ reset: true }, { cutAfter: 500, body: xml }], () => ({ body: xml }));
    const res = await politeClient(clock, { minIntervalMs: 0, log: (m) => logs.push(m) }).get(`${base}/`);
    expect(res.body.toString()).toBe(xml);
    expect(server.hits).toHaveLength(3);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/network error.*retry 1\/3/);
  });

  it('retries a request that times out', async () => {
    server.route = script([{ body: 'late', delayMs: 600 }], OK);
    const res = await politeClient(clock, { minIntervalMs: 0, timeoutMs: 150 }).get(`${base}/?n=2`);
    expect(res.body.toString()).toBe('ok 2');
    expect(server.hits).toHaveLength(2);
  });

  it('backs off exponentially and gives up with SOURCE_FAILED naming URL, status and attempts', async () => {
    server.route = () => ({ status: 502 });
    const e = await failure(politeClient(clock, { minIntervalMs: 100 }).get(`${base}/feed`));
    expect(e.code).toBe('SOURCE_FAILED');
    expect(e.message).toContain(`${base}/feed`);
    expect(e.message).toContain('HTTP 502');
    expect(e.message).toContain('4 attempts');
    expect(server.hits).toHaveLength(4); // 1 + maxRetries
    expect(clock.sleeps).toEqual([500, 1000, 2000]); // jitter pinned to 0: half of 1, 2, 4 s
  });

  it('adds jitter within the upper half of each backoff step', async () => {
    server.route = script([{ status: 500 }, { status: 500 }], OK);
    await politeClient(clock, { minIntervalMs: 0, random: () => 0.5 }).get(`${base}/`);
    expect(clock.sleeps).toEqual([750, 1500]);
  });

  it('fails at once on another 4xx, with the start of the body', async () => {
    server.route = () => ({ status: 400, body: '<feed><summary>incorrect id format</summary></feed>' });
    const e = await failure(politeClient(clock).get(`${base}/q`));
    expect(e.code).toBe('SOURCE_FAILED');
    expect(e.message).toMatch(/HTTP 400 \(not retried\), after 1 attempt: incorrect id format/);
    expect(server.hits).toHaveLength(1);
  });

  it('leaves a server asking for more than maxRetryAfterMs alone until the next run', async () => {
    server.route = () => ({ status: 503, headers: { 'retry-after': '3600' } });
    const e = await failure(politeClient(clock, { maxRetryAfterMs: 60_000 }).get(`${base}/`));
    expect(e.code).toBe('SOURCE_FAILED');
    expect(e.message).toMatch(/Retry-After 3600 s, more than the 60 s allowed, after 1 attempt/);
    expect(server.hits).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('caps a backoff at maxRetryAfterMs', async () => {
    server.route = script([{ status: 504 }, { status: 504 }, { status: 504 }], OK);
    await politeClient(clock, { minIntervalMs: 0, maxRetryAfterMs: 800 }).get(`${base}/`);
    expect(clock.sleeps).toEqual([500, 800, 800]);
  });

  it('retries a 200 whose body the parser finds unusable, and passes other errors through', async () => {
    server.route = script([{ body: '<html>Service temporarily unavailable</html>' }], OK);
    const parse = (text: string) => {
      if (text.startsWith('<html')) throw new InputUnusableError('test', 'line 1', 'an HTML page');
      return text;
    };
    const http = politeClient(clock, { minIntervalMs: 0 });
    expect(await http.getParsed(`${base}/?n=7`, (r) => parse(r.body.toString()))).toBe('ok 7');
    expect(server.hits).toHaveLength(2);
    const boom = http.getParsed(`${base}/`, () => {
      throw new Error('a bug, not the server');
    });
    await expect(boom).rejects.toThrow('a bug, not the server');
    expect(server.hits).toHaveLength(3);
  });

  it('stops at once when the caller aborts, during a pause', async () => {
    const http = politeClient(new SystemClock(), { minIntervalMs: 10_000 });
    await http.get(`${base}/`);
    const controller = new AbortController();
    const second = http.get(`${base}/`, controller.signal);
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    await expect(second).rejects.toThrow(/abort/i);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.hits).toHaveLength(1);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-06-02T12:00:00Z');
  it('reads delta seconds, HTTP-dates (past ones as 0) and nothing else', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 02 Jun 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 02 Jun 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('PoliteHttpClient: permanent failures fail at once', () => {
  /** A port nothing listens on: one the system just gave out and took back. */
  async function closedPort(): Promise<number> {
    const s = createServer();
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    return port;
  }

  it('connection refused on a closed port: one attempt, no backoff, host and port named', async () => {
    const port = await closedPort();
    const e = await failure(politeClient(clock).get(`http://127.0.0.1:${port}/feed`));
    expect(e.code).toBe('SOURCE_FAILED');
    expect(e.message).toBe(`GET http://127.0.0.1:${port}/feed: connection refused by 127.0.0.1:${port}: nothing listens there (not retried), after 1 attempt`);
    expect(clock.sleeps).toEqual([]);
  });

  it('a URL with credentials: refused at once, the password never shown', async () => {
    const e = await failure(politeClient(clock).get(`http://reader:s3cret@127.0.0.1:1/feed`));
    expect(e.message).toBe('GET http://127.0.0.1:1/feed: a URL with a user name or password, which fetch does not send (not retried), after 1 attempt');
    expect(clock.sleeps).toEqual([]);
  });

  it('a port fetch refuses, a host DNS does not know, a URL that is not one', async () => {
    const bad = await failure(politeClient(clock).get('http://127.0.0.1:6000/'));
    expect(bad.message).toMatch(/port 6000 is one fetch refuses.*after 1 attempt/);
    const dns = await failure(politeClient(clock).get('http://no-such-host.invalid/x'));
    expect(dns.message).toMatch(/host no-such-host\.invalid not found \(DNS\).*after 1 attempt/);
    const invalid = await failure(politeClient(clock).get('http://127.0.0.1:99999/'));
    expect(invalid.message).toMatch(/not a valid URL.*after 1 attempt/);
    expect(clock.sleeps).toEqual([]);
  });

  it('a TLS certificate that is not accepted (self-signed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`], { stdio: 'ignore' });
    const tls = createHttpsServer({ key: readFileSync(`${dir}/key.pem`), cert: readFileSync(`${dir}/cert.pem`) }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const port = (tls.address() as AddressInfo).port;
      const e = await failure(politeClient(clock).get(`https://127.0.0.1:${port}/`));
      expect(e.message).toMatch(new RegExp(`TLS certificate of 127\\.0\\.0\\.1:${port} was not accepted \\(\\w+\\).*after 1 attempt`));
      expect(clock.sleeps).toEqual([]);
    } finally {
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('still retries what may pass: 408, and a reset', async () => {
    server.route = script([{ status: 408 }, { reset: true }], OK);
    const res = await politeClient(clock, { minIntervalMs: 0 }).get(`${base}/?n=3`);
    expect(res.body.toString()).toBe('ok 3');
    expect(server.hits).toHaveLength(3);
  });
});

describe('PoliteHttpClient: a body larger than an input may be', () => {
  let big: Server;
  let bigBase: string;
  const payload = Buffer.alloc(64 * 1024, ' ');
  beforeEach(async () => {
    big = createServer((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-length': String(payload.length) }).end(payload);
      else if (req.url === '/chunked') res.writeHead(200).end(payload); // no length: counted as it arrives
      else res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(payload)); // ~100 bytes that inflate to 64 kB
    });
    await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
    bigBase = `http://127.0.0.1:${(big.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    big.closeAllConnections();
    await new Promise<void>((resolve) => big.close(() => resolve()));
  });

  it('is refused by its Content-Length, by the bytes that stream in, and once inflated: not retried', async () => {
    const http = politeClient(clock, { maxBodyBytes: 10_000, minIntervalMs: 0 });
    const declared = await failure(http.get(`${bigBase}/declared`));
    expect(declared.message).toMatch(/Content-Length 65536 bytes, more than the 10000 bytes an input may hold \(not retried\), after 1 attempt/);
    const chunked = await failure(http.get(`${bigBase}/chunked`));
    expect(chunked.message).toMatch(/still arriving at byte \d+, more than the 10000 bytes/);
    const gzip = await failure(http.get(`${bigBase}/gzip`));
    expect(gzip.message).toMatch(/still arriving at byte \d+, more than the 10000 bytes/);
    expect(clock.sleeps.filter((ms) => ms > 1)).toEqual([]); // no backoff: only the 1 ms spacing of minIntervalMs 0
    expect((await politeClient(clock, { maxBodyBytes: 70_000 }).get(`${bigBase}/gzip`)).body.length).toBe(payload.length);
  });
});
