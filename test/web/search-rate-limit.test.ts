/**
 * PAPERBOY_SEARCH_RATE_LIMIT: searches cost what a client asks, so each client address (as
 * PAPERBOY_TRUST_PROXY lets Fastify see it) has a budget of them a minute, on the search page
 * (answered with the HTML error page) and the search feeds (in the feeds' JSON error shape), both
 * with Retry-After; listings and other feeds are not counted.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { readServices } from '../../src/container.js';
import { buildApp } from '../../src/delivery/http/app.js';
import { sqliteHarness } from '../support/sqlite-harness.js';
import type { OpenedStore } from '../support/store-harness.js';

describe('the per-client search rate limit', () => {
  let opened: OpenedStore;
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    opened = await sqliteHarness.open();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await opened.store.close();
  });

  async function appWith(env: Record<string, string>): Promise<FastifyInstance> {
    const { store } = opened;
    const config = loadConfig({ PAPERBOY_DEMO_DATA: 'false', PAPERBOY_SEARCH_RATE_LIMIT: '2', ...env });
    const app = await buildApp({ config, store, ...readServices(opened) });
    apps.push(app);
    return app;
  }

  it('answers the search page 429 with Retry-After on the HTML error page once an address is over its budget', async () => {
    const app = await appWith({});
    const ask = (q: string, remoteAddress = '198.51.100.7') => app.inject({ url: `/search?q=${q}`, remoteAddress });
    expect([(await ask('a')).statusCode, (await ask('b')).statusCode]).toEqual([200, 200]);
    const refused = await ask('c');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('text/html');
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.headers['cache-control']).toBe('no-store');
    expect(refused.body).toContain('Too many requests');
    // another address has its own budget; pages that are not searches are not counted
    expect((await ask('c', '203.0.113.9')).statusCode).toBe(200);
    expect((await app.inject({ url: '/about/ranking', remoteAddress: '198.51.100.7' })).statusCode).toBe(200);
  });

  it('answers the search feeds 429 RATE_LIMITED in JSON, one budget for the three formats, other feeds uncounted', async () => {
    const app = await appWith({});
    const ask = (format: string) => app.inject({ url: `/feeds/search.${format}?q=model`, remoteAddress: '198.51.100.8' });
    expect([(await ask('rss')).statusCode, (await ask('atom')).statusCode]).toEqual([200, 200]);
    const refused = await ask('json');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect((await app.inject({ url: '/feeds/latest.rss', remoteAddress: '198.51.100.8' })).statusCode).toBe(200);
  });

  it('tells clients behind a trusted proxy apart by X-Forwarded-For, and none when the proxy is not trusted', async () => {
    for (const [trust, expected] of [
      ['127.0.0.1', [200, 200, 200, 200]],
      ['false', [200, 200, 429, 429]],
    ] as const) {
      const app = await appWith({ PAPERBOY_TRUST_PROXY: trust });
      const ask = (client: string, q: string) =>
        app.inject({ url: `/search?q=${q}`, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } }).then((r) => r.statusCode);
      expect([await ask('198.51.100.1', 'a'), await ask('198.51.100.2', 'a'), await ask('198.51.100.3', 'a'), await ask('198.51.100.4', 'a')], trust).toEqual(expected);
    }
  });

  it('is off at 0', async () => {
    const app = await appWith({ PAPERBOY_SEARCH_RATE_LIMIT: '0' });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.inject({ url: `/search?q=w${i}`, remoteAddress: '198.51.100.9' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });
});
