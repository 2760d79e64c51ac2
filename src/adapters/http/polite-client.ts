/**
 * HTTP for the live sources, polite by construction: one request at a time (a queue, never two
 * connections), request starts at least minIntervalMs apart, the caller's descriptive User-Agent,
 * and bounded retries of what is worth retrying: network errors and timeouts, 429 and the 5xx
 * statuses gateways use for "later", and a 200 whose body the parser finds unusable. Waits go
 * through the injected Clock so tests can record them without waiting.
 */
import { InputUnusableError, PaperboyError } from '../../core/errors.js';
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
}

export interface HttpResponse {
  status: number;
  /** the final URL, after redirects */
  url: string;
  headers: Headers;
  body: Buffer;
}

/** 429 is rate limiting; 500/502/503/504 are what arXiv's and HF's front ends answer when busy. */
const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);

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
      this.log(`GET ${url}: ${outcome.reason}; retry ${attempt}/${this.opts.maxRetries} in ${(wait / 1000).toFixed(1)} s`);
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
    const body = Buffer.from(await res.arrayBuffer());
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

/** Retry-After as delta-seconds or an HTTP-date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

function sourceFailed(url: string, detail: string, cause?: unknown): PaperboyError {
  return new PaperboyError('SOURCE_FAILED', `GET ${url}: ${detail}`, cause === undefined ? undefined : { cause });
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
