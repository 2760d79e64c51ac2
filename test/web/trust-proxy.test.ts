/**
 * PAPERBOY_TRUST_PROXY: what it accepts (true/false, a hop count, addresses and CIDR ranges) and
 * refuses, by name; and what it does: behind a trusted proxy, clients known only by their
 * X-Forwarded-For address get an /api rate-limit budget each, while without trust (the
 * default), or with a proxy address that isn't the peer's, everyone behind the proxy shares one.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServices } from '../../src/container.js';
import { describeConfig, loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/delivery/http/app.js';
import { sqliteHarness } from '../support/sqlite-harness.js';
import type { OpenedStore } from '../support/store-harness.js';

const trust = (value: string | undefined) => loadConfig({ PAPERBOY_TRUST_PROXY: value }).PAPERBOY_TRUST_PROXY;

describe('PAPERBOY_TRUST_PROXY', () => {
  it('is off by default, and takes true/false, a hop count, or addresses and CIDR ranges', () => {
    expect(trust(undefined)).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('1')).toBe(1); // a hop count, not true
    expect(trust('2')).toBe(2);
    expect(trust('0')).toBe(false);
    expect(trust('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(trust('127.0.0.1, 10.0.0.0/8,::1 fd00::/8,loopback')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
  });

  it('refuses anything else, naming the variable and the bad part', () => {
    for (const [bad, why] of [
      ['yes', /PAPERBOY_TRUST_PROXY="yes": not an address or CIDR range: yes; expected true, false, a hop count/],
      ['10.0.0.0/33', /PAPERBOY_TRUST_PROXY="10.0.0.0\/33": not an address or CIDR range: 10.0.0.0\/33/],
      ['127.0.0.1,proxy.example', /PAPERBOY_TRUST_PROXY="127.0.0.1,proxy.example": not an address or CIDR range: proxy.example;/],
      ['101', /PAPERBOY_TRUST_PROXY="101": a hop count is at most 100/],
      ['-1', /PAPERBOY_TRUST_PROXY="-1": not an address/],
      [',', /PAPERBOY_TRUST_PROXY=",": expected true, false/],
    ] as const)
      expect(() => loadConfig({ PAPERBOY_TRUST_PROXY: bad }), bad).toThrow(why);
  });

  it('is listed by `paperboy config` with its default and meaning', () => {
    const row = describeConfig(loadConfig({ PAPERBOY_TRUST_PROXY: '127.0.0.1,10.0.0.0/8' })).find((r) => r.name === 'PAPERBOY_TRUST_PROXY')!;
    expect(row.value).toBe('127.0.0.1 10.0.0.0/8');
    expect(row.default).toBe('false');
    expect(row.help).toContain('X-Forwarded-For');
    // what it shows reads back as the same setting
    expect(trust(row.value)).toEqual(['127.0.0.1', '10.0.0.0/8']);
  });
});

describe('the /api rate limit behind a proxy', () => {
  let opened: OpenedStore;
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    opened = await sqliteHarness.open();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await opened.store.close();
  });

  /** The app with two API requests a minute per client, trusting as told; requests come from 127.0.0.1 (the proxy). */
  async function appTrusting(setting: string, via: string[] = []): Promise<(client: string) => Promise<number>> {
    const { store } = opened;
    const config = loadConfig({ PAPERBOY_DEMO_DATA: 'false', PAPERBOY_API_RATE_LIMIT: '2', PAPERBOY_TRUST_PROXY: setting });
    const app = await buildApp({ config, store, ...readServices(opened) });
    apps.push(app);
    return async (client) =>
      (await app.inject({ url: '/api/openapi.json', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': [client, ...via].join(', ') } })).statusCode;
  }

  for (const setting of ['true', '127.0.0.1', '127.0.0.0/8', 'loopback', '1']) {
    it(`gives each forwarded client its own budget when trusting ${setting}`, async () => {
      const ask = await appTrusting(setting);
      expect([await ask('198.51.100.7'), await ask('198.51.100.7'), await ask('198.51.100.7')]).toEqual([200, 200, 429]);
      expect([await ask('203.0.113.9'), await ask('203.0.113.9'), await ask('203.0.113.9')]).toEqual([200, 200, 429]);
    });
  }

  for (const setting of ['false', '10.0.0.0/8,fd00::/8,linklocal']) {
    it(`has everyone behind the proxy share one budget when trusting ${setting}`, async () => {
      const ask = await appTrusting(setting);
      expect([await ask('198.51.100.7'), await ask('203.0.113.9'), await ask('192.0.2.1')]).toEqual([200, 200, 429]);
    });
  }

  it('counts hops: two reach a client behind two proxies, one only the farther proxy', async () => {
    const two = await appTrusting('2', ['192.0.2.254']);
    expect([await two('198.51.100.7'), await two('198.51.100.7'), await two('203.0.113.9')]).toEqual([200, 200, 200]);
    const one = await appTrusting('1', ['192.0.2.254']);
    expect([await one('198.51.100.7'), await one('198.51.100.7'), await one('203.0.113.9')]).toEqual([200, 200, 429]);
  });
});
