/**
 * Closing the app (what serve does on SIGTERM before it closes the store): close() waits for the
 * work of a request whose client already went away, since that work still uses the store; and
 * an answer sent while closing says Connection: close, so that a keep-alive client doesn't hold
 * the server open until its connection times out.
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestService } from '../../src/services/ingest.service.js';
import type { WebContainer } from '../../src/delivery/http/app.js';
import { parseQuery } from '../../src/core/query.js';
import { sqliteHarness } from '../support/sqlite-harness.js';
import type { OpenedStore } from '../support/store-harness.js';
import { buildSite, type Site } from './site.js';

/** A search that answers only when released: a request held in flight for as long as a test needs. */
function heldSearch() {
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  let started: () => void = () => {};
  const asked = new Promise<void>((r) => (started = r));
  const search: WebContainer['search'] = {
    async search(req) {
      started();
      await released;
      return { q: req.q, query: parseQuery(req.q), mode: 'keyword', requestedMode: 'keyword', fallback: null, sort: 'relevance', limit: 20, offset: 0, total: 0, totalIsEstimate: false, hits: [], notice: null };
    },
  };
  return { search, asked, release };
}

const settled = (p: Promise<unknown>) => {
  let done = false;
  void p.finally(() => (done = true));
  return () => done;
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('closing the app', () => {
  let opened: OpenedStore;
  let site: Site;
  let held: ReturnType<typeof heldSearch>;
  let port: number;

  beforeEach(async () => {
    opened = await sqliteHarness.open();
    held = heldSearch();
    site = await buildSite(opened, new IngestService(opened.store), { search: held.search });
    await site.app.listen({ port: 0, host: '127.0.0.1' });
    port = (site.app.server.address() as { port: number }).port;
  });
  afterEach(async () => {
    held.release();
    await site.close();
    await opened.store.close();
  });

  it('waits for the work of a request whose client has gone', async () => {
    const req = request({ host: '127.0.0.1', port, path: '/search?q=held', agent: false });
    req.on('error', () => undefined);
    req.end();
    await held.asked;
    req.destroy(); // the client gives up; its connection closes, the search goes on
    await pause(50);

    const closed = settled(site.app.close());
    await pause(300);
    expect(closed()).toBe(false);
    held.release();
    await pause(50);
    expect(closed()).toBe(true);
  });

  it('answers requests in flight, with Connection: close, and closes without waiting for keep-alive connections', async () => {
    const agent = new Agent({ keepAlive: true });
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/search?q=held', agent }, resolve).on('error', reject).end();
    });
    await held.asked;
    const closing = site.app.close();
    await pause(50);
    held.release();
    const res = await response;
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    const started = Date.now();
    await closing;
    expect(Date.now() - started).toBeLessThan(2000); // not the keep-alive timeout (72 s)
    agent.destroy();
  });
});
