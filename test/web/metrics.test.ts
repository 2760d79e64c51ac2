/**
 * Operability of the web app (issue 14, decision 036) on real stores: GET /metrics in the
 * Prometheus text format behind its bearer token (404 without one), request latencies by route
 * pattern only, the figures read from the database at scrape time (the same from two nodes on
 * one PostgreSQL database), harvest and digest counters; and one JSON log line per request with
 * its id, never a secret path or a query string.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { readServices } from '../../src/container.js';
import { buildApp } from '../../src/delivery/http/app.js';
import { ServeMetrics } from '../../src/delivery/http/metrics.js';
import { listenMetrics, metricsAuthorized } from '../../src/delivery/http/metrics.routes.js';
import { createLogger } from '../../src/delivery/logging.js';
import { IngestService } from '../../src/services/ingest.service.js';
import { readOperations } from '../../src/services/operations.service.js';
import { activeSubscription, reservation } from '../contracts/inbox-fixtures.js';
import { postgresHarness } from '../support/postgres-harness.js';
import { sqliteHarness } from '../support/sqlite-harness.js';
import type { OpenedStore } from '../support/store-harness.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const record = (id: string) => ({ id, version: 1, source: 'oai-pmh' as const, title: `On ${id}`, abstract: 'Attention.', categories: ['cs.CL'], listedOn: '2026-09-01' });

const metricsOf = (o: Pick<OpenedStore, 'operations' | 'vectors'>) => new ServeMetrics(() => readOperations(o));

/** The value of one sample line of the exposition (name with its labels as printed), or null. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('GET /metrics and the request log', () => {
  let opened: OpenedStore;
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    opened = await sqliteHarness.open();
    const ingest = new IngestService(opened.store);
    await ingest.applyPage('arxiv', { label: 'p1', cursor: { t: 1 }, errors: [], records: ['2609.00001', '2609.00002'].map(record) });
    await opened.index.refresh();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await opened.store.close();
  });

  async function appWith(opts: { token?: string | null; lines?: string[]; level?: string } = {}): Promise<{ app: FastifyInstance; metrics: ServeMetrics }> {
    const config = loadConfig({ PAPERBOY_DEMO_DATA: 'false', PAPERBOY_LOG_LEVEL: opts.level ?? 'info' });
    const metrics = metricsOf(opened);
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        opts.lines?.push(...chunk.toString().split('\n').filter((l) => l !== ''));
        cb();
      },
    });
    const app = await buildApp(
      { config, store: opened.store, ...readServices(opened) },
      { metrics, metricsToken: opts.token ?? null, ...(opts.lines ? { logger: createLogger(config, sink) } : {}) },
    );
    apps.push(app);
    return { app, metrics };
  }

  it('is not there without a token: 404, like any address that is not a page', async () => {
    const { app } = await appWith({ token: null });
    const r = await app.inject('/metrics');
    expect(r.statusCode).toBe(404);
    expect(r.body).not.toContain('paperboy_');
  });

  it('asks for the bearer token, and answers the Prometheus text format with it', async () => {
    const { app } = await appWith({ token: TOKEN });
    const none = await app.inject('/metrics');
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(none.body).toContain('PAPERBOY_METRICS_TOKEN');
    expect((await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: { authorization: TOKEN } })).statusCode).toBe(401);
    const ok = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.body).toContain('# TYPE paperboy_http_request_duration_seconds histogram');
    expect(ok.body).toContain('# TYPE process_cpu_user_seconds_total counter'); // Node's own
  });

  it('times requests by route pattern, never by raw URL', async () => {
    const { app } = await appWith({ token: TOKEN });
    for (const id of ['2609.00001', '2609.00002', '2609.00001']) expect((await app.inject(`/papers/${id}`)).statusCode).toBe(200);
    expect((await app.inject('/no/such/page/2609.00004')).statusCode).toBe(404);
    const text = (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body;
    const papers = text.split('\n').filter((l) => l.startsWith('paperboy_http_request_duration_seconds_count{') && l.includes('route="/papers/*"'));
    expect(papers).toHaveLength(1);
    expect(Number(papers[0]!.split(' ').at(-1))).toBe(3);
    expect(papers[0]).toMatch(/method="GET"/);
    expect(papers[0]).toMatch(/status="200"/);
    expect(sample(text, 'paperboy_http_request_duration_seconds_count{method="GET",route="(none)",status="404"}')).toBe(1);
    expect(text).not.toMatch(/2609\.0000\d/); // no paper id became a label
    expect(text).not.toContain('/no/such');
  });

  it('reads the index lag, outbox, leases and last harvests from the database when scraped', async () => {
    const { app } = await appWith({ token: TOKEN });
    // written after the index was refreshed, and no search has run since to catch it up
    await new IngestService(opened.store).applyPage('arxiv', { label: 'p2', cursor: { t: 2 }, errors: [], records: ['2609.00003', '2609.00004', '2609.00005'].map(record) });
    const subs = await Promise.all(['a@example.org', 'b@example.org'].map((e) => activeSubscription(opened.inbox, e)));
    await opened.inbox.reserve(subs.map((s) => reservation(s, '2026-09-01', ['2609.00001'])));
    await opened.store.takeLease('harvest', 'node-a:4242:beef', 300);
    await opened.store.takeLease('related', 'node-b:1:dead', 0);
    await new Promise((r) => setTimeout(r, 20));
    const text = (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).body;
    expect(sample(text, 'paperboy_search_index_lag_papers')).toBe(3);
    expect(sample(text, 'paperboy_digest_outbox_messages{status="queued"}')).toBe(2);
    expect(sample(text, 'paperboy_digest_outbox_messages{status="failed"}')).toBe(0);
    expect(sample(text, 'paperboy_job_lease_held{job="harvest",holder="node-a:4242:beef"}')).toBe(1);
    expect(text).not.toMatch(/paperboy_job_lease_held\{job="related"/); // lapsed: nobody holds it
    expect(sample(text, 'paperboy_job_lease_expiry_seconds{job="related"}')).toBeLessThan(0);
    expect(sample(text, 'paperboy_job_lease_expiry_seconds{job="harvest"}')).toBeGreaterThan(290);
    const harvested = sample(text, 'paperboy_harvest_last_success_timestamp_seconds{source="arxiv"}')!;
    expect(Math.abs(harvested - Date.now() / 1000)).toBeLessThan(120);
    expect(text).not.toMatch(/^paperboy_embedding_complete\{/m); // no embedder registered yet
    await opened.vectors.registerEmbedder('hashed-test-8', 8, new Date().toISOString());
    const later = metricsOf(opened);
    expect(sample((await later.exposition()).body, 'paperboy_embedding_complete{embedder="hashed-test-8"}')).toBe(0);
    await opened.vectors.markEmbedderComplete('hashed-test-8', new Date().toISOString());
    expect(sample((await metricsOf(opened).exposition()).body, 'paperboy_embedding_complete{embedder="hashed-test-8"}')).toBe(1);
  });

  it('counts this node\'s harvests and digests, and shows its embedding job\'s progress', async () => {
    const metrics = metricsOf(opened);
    metrics.observeHarvest([
      { source: 'arxiv', pages: 2, new: 7, updated: 2, unchanged: 1, rejected: 0, error: null, ms: 1200, errors: [] },
      { source: 'hf-daily', pages: 0, new: 0, updated: 0, unchanged: 0, rejected: 0, error: 'connection refused', ms: 30, errors: [] },
    ]);
    metrics.observeHarvest([{ source: 'arxiv', pages: 1, new: 3, updated: 0, unchanged: 0, rejected: 1, error: null, ms: 800, errors: [] }]);
    metrics.observeDigests({ sent: 40, retry: 2, failed: 1 });
    metrics.embeddingLag('builtin-a', 1200);
    metrics.embeddingLag('builtin-a', 700); // the job's progress
    metrics.embeddingLag('builtin-b', 50); // a new model: the old one's figure goes
    const { body } = await metrics.exposition();
    expect(sample(body, 'paperboy_harvest_runs_total{source="arxiv",outcome="ok"}')).toBe(2);
    expect(sample(body, 'paperboy_harvest_runs_total{source="hf-daily",outcome="failed"}')).toBe(1);
    expect(sample(body, 'paperboy_harvest_papers_total{source="arxiv",result="new"}')).toBe(10);
    expect(sample(body, 'paperboy_harvest_papers_total{source="arxiv",result="rejected"}')).toBe(1);
    expect(sample(body, 'paperboy_digest_messages_total{result="sent"}')).toBe(40);
    expect(sample(body, 'paperboy_digest_messages_total{result="failed"}')).toBe(1);
    expect(sample(body, 'paperboy_embedding_lag_papers{embedder="builtin-b"}')).toBe(50);
    expect(body).not.toContain('embedder="builtin-a"');
  });

  it('serves /metrics alone on a port of its own, with the token when one is set', async () => {
    const metrics = metricsOf(opened);
    const open = await listenMetrics(metrics, { host: '127.0.0.1', port: 0, token: null });
    const guarded = await listenMetrics(metrics, { host: '127.0.0.1', port: 0, token: TOKEN });
    try {
      const r = await fetch(`http://127.0.0.1:${open.port}/metrics`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('paperboy_search_index_lag_papers');
      expect((await fetch(`http://127.0.0.1:${open.port}/`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${guarded.port}/metrics`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${guarded.port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    } finally {
      await open.close();
      await guarded.close();
    }
    expect(metricsAuthorized('bearer  ' + TOKEN, TOKEN)).toBe(true);
    expect(metricsAuthorized(undefined, TOKEN)).toBe(false);
  });

  it('logs one JSON line per request with its id, status and time; no query string, no secret in a path', async () => {
    const lines: string[] = [];
    const { app } = await appWith({ lines });
    const page = await app.inject('/papers/2609.00001?utm=x');
    const id = page.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    await app.inject({ url: '/subscriptions/s3cret-token-value', headers: { 'x-request-id': 'proxy-req.42' } });
    await app.inject({ url: '/search?q=private+words', headers: { 'x-request-id': 'bad id with spaces' } });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatchObject({ level: 30, reqId: id, method: 'GET', path: '/papers/2609.00001', status: 200 });
    expect(logged[0]!.route).toBe('/papers/*');
    expect(typeof logged[0]!.ms).toBe('number');
    expect(typeof logged[0]!.time).toBe('string');
    expect(logged[1]).toMatchObject({ reqId: 'proxy-req.42', path: '/subscriptions/:token' });
    expect(logged[2]!.reqId).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    expect(logged[2]!.reqId).not.toBe(id);
    expect(logged[2]!.path).toBe('/search');
    expect(lines.join('\n')).not.toMatch(/s3cret|private|utm/);
  });

  it('logs a failed request at error, with its id and stack, on its own line', async () => {
    const lines: string[] = [];
    const { app } = await appWith({ lines });
    app.get('/subscriptions/:token/boom', async () => {
      throw new Error('kaput');
    });
    const r = await app.inject('/subscriptions/s3cret-token-value/boom?x=1');
    expect(r.statusCode).toBe(500);
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string; reqId: string; path?: string; err?: { message: string; stack: string } });
    const failed = logged.find((l) => l.msg === 'request failed')!;
    expect(failed).toMatchObject({ level: 50, reqId: r.headers['x-request-id'], path: '/subscriptions/:token/boom' });
    expect(failed.err?.message).toBe('kaput');
    expect(failed.err?.stack).toMatch(/^Error: kaput\n\s+at /);
    expect(logged.find((l) => l.msg === 'request')).toMatchObject({ reqId: r.headers['x-request-id'], status: 500 });
    expect(lines.join('\n')).not.toContain('s3cret');
  });

  it('logs no request lines above info, and nothing at all without a logger', async () => {
    const lines: string[] = [];
    const { app } = await appWith({ lines, level: 'warn' });
    await app.inject('/papers/2609.00001');
    expect(lines).toEqual([]);
    const quiet = await appWith({});
    const r = await quiet.app.inject('/papers/2609.00001');
    expect(r.headers['x-request-id']).toBeUndefined();
  });
});

describe('/metrics on two web nodes of one PostgreSQL database', () => {
  it('reports the same figures from either node, read from the database', async () => {
    const harness = await postgresHarness();
    const a = await harness.open();
    const b = await a.reopenDatabase();
    await b.store.migrate();
    try {
      await new IngestService(a.store).applyPage('arxiv', { label: 'p', cursor: { t: 1 }, errors: [], records: ['2609.00011', '2609.00012'].map(record) });
      await a.store.takeLease('harvest', 'node-a:1:aa', 300);
      const [ta, tb] = await Promise.all([metricsOf(a).exposition(), metricsOf(b).exposition()]);
      for (const text of [ta.body, tb.body]) {
        expect(sample(text, 'paperboy_search_index_lag_papers')).toBe(2);
        expect(sample(text, 'paperboy_job_lease_held{job="harvest",holder="node-a:1:aa"}')).toBe(1);
      }
      await a.index.refresh();
      expect(sample((await metricsOf(b).exposition()).body, 'paperboy_search_index_lag_papers')).toBe(0);
    } finally {
      await b.store.close();
      await a.store.close();
      await a.drop();
    }
  });
});
