/**
 * HTTP for the live sources, polite by construction: one request at a time (a queue, never two
 * connections), request starts at least minIntervalMs apart, the caller's descriptive User-Agent,
 * and bounded retries of what is worth retrying: resets and timeouts, 408, 429 and the 5xx
 * statuses gateways use for "later", and a 200 whose body the parser finds unusable. What no
 * retry can fix (nothing listening on the port, a port fetch refuses, a host name DNS doesn't
 * know, a certificate TLS doesn't accept, another 4xx, a body larger than any input may be)
 * fails at once, naming the host and port, never credentials. Waits go through the injected
 * Clock so tests can record them without waiting.
 */
import { InputUnusableError, PaperboyError } from '../../core/errors.js';
import { MAX_DOCUMENT_BYTES } from '../../core/validate.js';
import type { Clock } from '../../ports/clock.js';

export interface PoliteHttpOptions {
  /** e.g. "Paperboy/0.1 (+https://example.org; mailto:me@example.org)": arXiv asks to be able to reach us */
  userAgent: string;
  /** least time between two request starts (arXiv: 3000) */
  minIntervalMs: number;
  /** retries after the first attempt */
  maxRetries: number;
  /** the longest wait accepted (Retry-After or backoff); a server asking for more is left alone until the next run */
  maxRetryAfterMs: number;
  /** one attempt, body included */
  timeoutMs: number;
  clock: Clock;
  log?: (msg: string) => void;
  /** first backoff delay, doubled on each retry (default 1000) */
  backoffBaseMs?: number;
  /** jitter source in [0, 1); tests pin it */
  random?: () => number;
  /** the largest body accepted, after any Content-Encoding is undone (default MAX_DOCUMENT_BYTES) */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  /** the final URL, after redirects */
  url: string;
  headers: Headers;
  body: Buffer;
}

/** 408 and 429 ask to come back later; 500/502/503/504 are what arXiv's and HF's front ends answer when busy. */
const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** A failure another attempt cannot fix: thrown from an attempt, never retried. */
class Permanent extends Error {}

type Attempt<T> = { ok: true; value: T } | { ok: false; reason: string; retryAfterMs: number | null; cause?: unknown };

export class PoliteHttpClient {
  private queue: Promise<unknown> = Promise.resolve();
  private lastStartMs: number | null = null;
  private readonly log: (msg: string) => void;

  constructor(private readonly opts: PoliteHttpOptions) {
    this.log = opts.log ?? (() => {});
  }

  get(url: string, signal?: AbortSignal): Promise<HttpResponse> {
    return this.getParsed(url, (res) => res, signal);
  }

  /**
   * Fetches url and hands the response to `accept` (usually a parser). An InputUnusableError from
   * it counts as a failed attempt and is retried: an HTML error page served with 200 by a proxy,
   * or a body cut short, is usually gone a minute later. Other errors from `accept` pass through.
   */
  getParsed<T>(url: string, accept: (res: HttpResponse) => T, signal?: AbortSignal): Promise<T> {
    return this.enqueue(() => this.withRetries(url, accept, signal));
  }

  /** Retries hold the queue too: the next request waits while this one backs off. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async withRetries<T>(url: string, accept: (res: HttpResponse) => T, signal?: AbortSignal): Promise<T> {
    let wait = 0;
    for (let attempt = 1; ; attempt++) {
      await this.waitTurn(wait, signal);
      const outcome = await this.attempt(url, accept, attempt, signal);
      if (outcome.ok) return outcome.value;
      if (attempt > this.opts.maxRetries) throw sourceFailed(url, `${outcome.reason}, after ${attempts(attempt)}`, outcome.cause);
      wait = this.retryDelay(url, attempt, outcome);
      this.log(`GET ${redacted(url)}: ${outcome.reason}; retry ${attempt}/${this.opts.maxRetries} in ${(wait / 1000).toFixed(1)} s`);
    }
  }

  /** Sleeps at least `extraMs`, and until minIntervalMs has passed since the last request start. */
  private async waitTurn(extraMs: number, signal?: AbortSignal): Promise<void> {
    const now = this.opts.clock.now().getTime();
    // + 1: clock readings are whole ms, so the real gap could otherwise fall short by a fraction
    const spacing = this.lastStartMs === null ? 0 : this.lastStartMs + this.opts.minIntervalMs + 1 - now;
    const ms = Math.max(extraMs, spacing);
    if (ms > 0) await this.opts.clock.sleep(ms, signal);
    signal?.throwIfAborted();
    this.lastStartMs = this.opts.clock.now().getTime();
  }

  private async attempt<T>(
    url: string,
    accept: (res: HttpResponse) => T,
    attempt: number,
    signal?: AbortSignal,
  ): Promise<Attempt<T>> {
    let res: HttpResponse;
    try {
      res = await this.fetchOnce(url, signal);
    } catch (e) {
      if (signal?.aborted) throw e; // the caller stopped us: nothing to retry
      if (e instanceof Permanent) throw sourceFailed(url, `${e.message} (not retried), after ${attempts(attempt)}`);
      const permanent = permanentFailure(url, e);
      if (permanent) throw sourceFailed(url, `${permanent} (not retried), after ${attempts(attempt)}`, e);
      return { ok: false, reason: `network error (${describe(e)})`, retryAfterMs: null, cause: e };
    }
    if (RETRIED_STATUSES.has(res.status)) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.opts.clock.now());
      return { ok: false, reason: `HTTP ${res.status}`, retryAfterMs };
    }
    if (res.status < 200 || res.status > 299)
      throw sourceFailed(url, `HTTP ${res.status} (not retried), after ${attempts(attempt)}${snippet(res.body)}`);
    try {
      return { ok: true, value: accept(res) };
    } catch (e) {
      if (!(e instanceof InputUnusableError)) throw e;
      return { ok: false, reason: `HTTP ${res.status} with an unusable body (${e.reason} at ${e.at})`, retryAfterMs: null, cause: e };
    }
  }

  private async fetchOnce(url: string, signal?: AbortSignal): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const res = await fetch(url, {
      headers: { 'user-agent': this.opts.userAgent },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'follow', // export.arxiv.org/oai2 answers 301 to the new OAI-PMH host
    });
    // reading the body inside the attempt: a connection dropped mid-body is a retried network error
    const body = await boundedBody(res, this.opts.maxBodyBytes ?? MAX_DOCUMENT_BYTES);
    return { status: res.status, url: res.url || url, headers: res.headers, body };
  }

  /** Retry-After when the server sent one (within bounds), else exponential backoff with jitter. */
  private retryDelay(url: string, attempt: number, failure: { reason: string; retryAfterMs: number | null }): number {
    const max = this.opts.maxRetryAfterMs;
    if (failure.retryAfterMs !== null) {
      // waiting less than asked would be rude, waiting longer holds the run: leave it to the next one
      if (failure.retryAfterMs > max)
        throw sourceFailed(
          url,
          `${failure.reason} with Retry-After ${seconds(failure.retryAfterMs)}, more than the ${seconds(max)} allowed, after ${attempts(attempt)}`,
        );
      return failure.retryAfterMs;
    }
    const base = (this.opts.backoffBaseMs ?? 1000) * 2 ** (attempt - 1);
    // "equal jitter": at least half the exponential step, so retries still back off
    const jittered = base / 2 + (this.opts.random ?? Math.random)() * (base / 2);
    return Math.min(max, Math.round(jittered));
  }
}

/**
 * The body, read as it streams and given up past `max` bytes: a Content-Length above it is
 * refused before reading, and a compressed response (fetch undoes Content-Encoding) is counted
 * as it inflates, so a small gzip bomb can't fill the memory either.
 */
async function boundedBody(res: Response, max: number): Promise<Buffer> {
  const tooLarge = (what: string) => new Permanent(`${what}, more than the ${mb(max)} an input may hold`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body?.cancel();
    throw tooLarge(`Content-Length ${declared} bytes`);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > max) {
      // leaving the loop early cancels the stream, which closes the connection
      throw tooLarge(`a body still arriving at byte ${total}`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Why a network error is permanent, or null when another attempt may succeed (a reset, a
 * timeout, DNS briefly failing with EAI_AGAIN…). undici puts the cause one level down, and
 * connecting to a name with several addresses an AggregateError of one error per address.
 */
function permanentFailure(url: string, e: unknown): string | null {
  const where = hostAndPort(url);
  const causes: unknown[] = [e];
  for (let i = 0; i < causes.length && i < 8; i++) {
    const c = causes[i] as { cause?: unknown; errors?: unknown[] } | null;
    if (c?.cause) causes.push(c.cause);
    if (Array.isArray(c?.errors)) causes.push(...c.errors);
  }
  const codes = causes.map((c) => String((c as { code?: unknown } | null)?.code ?? ''));
  const messages = causes.map((c) => (c instanceof Error ? c.message : ''));
  if (codes.includes('ERR_INVALID_URL')) return 'not a valid URL';
  if (messages.some((m) => m.includes('includes credentials'))) return 'a URL with a user name or password, which fetch does not send';
  if (messages.includes('bad port')) return `port ${where.port} is one fetch refuses to connect to (a "bad port")`;
  if (messages.includes('unknown scheme')) return 'not an http(s) URL';
  if (codes.includes('ECONNREFUSED')) return `connection refused by ${where.host}:${where.port}: nothing listens there`;
  if (codes.includes('ENOTFOUND')) return `host ${where.host} not found (DNS)`;
  const tls = codes.find((c) => TLS_CERTIFICATE.test(c));
  if (tls) return `the TLS certificate of ${where.host}:${where.port} was not accepted (${tls})`;
  return null;
}

/** OpenSSL's and Node's codes for a certificate that no retry will make acceptable. */
const TLS_CERTIFICATE = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE)|ERR_TLS_CERT_ALTNAME_INVALID$)/;

function hostAndPort(url: string): { host: string; port: string } {
  try {
    const u = new URL(url);
    return { host: u.hostname, port: u.port || (u.protocol === 'https:' ? '443' : '80') };
  } catch {
    return { host: '?', port: '?' };
  }
}

/** The URL without user name and password, for messages and logs. */
export function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${bytes} bytes`;
}

/** Retry-After as delta-seconds or an HTTP-date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

function sourceFailed(url: string, detail: string, cause?: unknown): PaperboyError {
  return new PaperboyError('SOURCE_FAILED', `GET ${redacted(url)}: ${detail}`, cause === undefined ? undefined : { cause });
}

/** undici hides the useful part ("ECONNRESET", "other side closed") in the cause. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause instanceof Error ? e.cause : null;
  const code = cause && 'code' in cause ? String(cause.code) : null;
  return [e.message, cause?.message, code].filter((s) => s).join(': ');
}

/** The start of an error body (arXiv's API explains a bad query there), tags stripped. */
function snippet(body: Buffer): string {
  const text = body
    .subarray(0, 2000)
    .toString('utf8')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text ? `: ${text.slice(0, 200)}` : '';
}

function attempts(n: number): string {
  return n === 1 ? '1 attempt' : `${n} attempts`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
