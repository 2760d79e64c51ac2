/**
 * What the live-source suites share: a local HTTP server that answers with the real recorded
 * responses in ../shared (or scripted failures) and records what it saw, a Clock that records
 * sleeps without really waiting, and readers for the recorded files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PoliteHttpClient, type PoliteHttpOptions } from '../../src/adapters/http/polite-client.js';
import type { Clock } from '../../src/ports/clock.js';
import type { HarvestPage, HarvestSource } from '../../src/ports/source.js';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));

export function fixture(path: string): string {
  return readFileSync(`${SHARED}fixtures/${path}`, 'utf8');
}

/** A recorded Hugging Face day, or null when none was recorded (weekends, holidays). */
export function hfDayFile(day: string): string | null {
  const path = `${SHARED}data/hf-daily-papers/${day}.json`;
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

export type Reply =
  | { status?: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** drops the connection without answering */
  | { reset: true }
  /** announces the whole body, sends `cutAfter` bytes of it, then drops the connection */
  | { cutAfter: number; body: string };

export type Route = (url: URL) => Reply;

export interface Hit {
  url: URL;
  userAgent: string | undefined;
  /** arrival, in ms (performance.now) */
  at: number;
}

/** A node:http server on 127.0.0.1, port 0, that counts requests in flight. */
export class FixtureServer {
  readonly hits: Hit[] = [];
  maxInFlight = 0;
  private inFlight = 0;
  private server: Server | null = null;
  baseUrl = '';

  constructor(public route: Route = () => ({ status: 404 })) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on('close', () => this.inFlight--);
      const url = new URL(req.url ?? '/', this.baseUrl);
      this.hits.push({ url, userAgent: req.headers['user-agent'], at: performance.now() });
      void this.answer(this.route(url), req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  private async answer(reply: Reply, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ('reset' in reply) {
      req.socket.destroy();
      return;
    }
    if ('cutAfter' in reply) {
      const body = Buffer.from(reply.body);
      res.writeHead(200, { 'content-type': 'application/xml', 'content-length': String(body.length) });
      res.write(body.subarray(0, reply.cutAfter), () => req.socket.destroy());
      return;
    }
    if (reply.delayMs) await delay(reply.delayMs);
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/xml; charset=utf-8', ...reply.headers });
    res.end(reply.body ?? '');
  }

  /** The query parameter of each request, in order. */
  param(name: string): (string | null)[] {
    return this.hits.map((h) => h.url.searchParams.get(name));
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Replies in turn, then `then` for every later request. */
export function script(replies: Reply[], then: Route): Route {
  const queue = [...replies];
  return (url) => queue.shift() ?? then(url);
}

/** Virtual time: sleeps are recorded and advance now(), but really wait only a moment. */
export class RecordingClock implements Clock {
  readonly sleeps: number[] = [];
  private ms: number;

  constructor(start: Date = new Date()) {
    this.ms = start.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.ms += ms;
    await delay(1, undefined, signal ? { signal } : undefined);
  }
}

export const USER_AGENT = 'Paperboy/0.1 (+https://paperboy.example; mailto:ops@paperboy.example)';

/** A client as arXiv wants it (3 s apart), on a recording clock, with jitter pinned to 0. */
export function politeClient(clock: Clock, options: Partial<PoliteHttpOptions> = {}): PoliteHttpClient {
  return new PoliteHttpClient({
    userAgent: USER_AGENT,
    minIntervalMs: 3000,
    maxRetries: 3,
    maxRetryAfterMs: 60_000,
    timeoutMs: 5000,
    clock,
    random: () => 0,
    ...options,
  });
}

/** Pages of a harvest; with `limit`, stops after that many, as a run killed after storing them. */
export async function collect(source: HarvestSource, cursor: unknown, limit = Infinity): Promise<HarvestPage[]> {
  const pages: HarvestPage[] = [];
  if (limit <= 0) return pages;
  for await (const page of source.pages(cursor)) {
    pages.push(page);
    if (pages.length >= limit) break;
  }
  return pages;
}

export function ids(page: HarvestPage): string[] {
  return page.records.map((r) => r.id);
}
