/**
 * Any OpenAI-compatible embeddings endpoint (OpenAI, Ollama, TEI, vLLM, LiteLLM…):
 * POST <url>/v1/embeddings {"model", "input": [...]} in batches of 64. Connection failures,
 * timeouts, 408, 429 and the 5xx statuses are retried with exponential backoff (a Retry-After is
 * honoured up to maxRetryAfterMs); another 4xx, an answer that is not the JSON the API describes,
 * or vectors of the wrong length fail at once. Every failure is a SOURCE_FAILED naming the
 * endpoint (never its credentials) and what it answered. The vectors are made unit length here,
 * whatever the endpoint does; a blank text is the zero vector and is not sent.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { PaperboyError } from '../../core/errors.js';
import type { EmbedKind, Embedder } from '../../ports/embedder.js';
import { parseRetryAfter, redacted } from '../http/polite-client.js';
import { isBlank, normalize, prefixed, prefixesTag, type Prefixes } from './vectors.js';
import { describeFetchError } from '../http/fetch-error.js';

export interface OpenAiEmbedderOptions {
  /** the endpoint's base URL: /v1/embeddings is appended (unless it already ends in /v1) */
  url: string;
  model: string;
  /** sent as a bearer token; '' sends no Authorization header */
  apiKey?: string;
  /** the vector length the endpoint returns; 0 or absent: asked once, at creation */
  dimensions?: number;
  prefixes?: Prefixes;
  /** each text is cut at this many characters before it is sent (default 8,000) */
  maxChars?: number;
  /** texts per request (default 64) */
  batchSize?: number;
  /** retries after the first attempt (default 5) */
  maxRetries?: number;
  /** one attempt, body included (default 60 s) */
  timeoutMs?: number;
  /** first backoff delay, doubled on each retry (default 500 ms) */
  backoffBaseMs?: number;
  /** the longest Retry-After honoured; a longer one fails the call (default 60 s) */
  maxRetryAfterMs?: number;
  log?: (msg: string) => void;
}

const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const NO_PREFIXES: Prefixes = { query: '', document: '' };

/** A failure no retry can fix. */
class Permanent extends Error {}

export class OpenAiEmbedder implements Embedder {
  readonly id: string;
  /** without credentials: a user:password in the URL goes in a Basic Authorization header instead */
  private readonly endpoint: string;
  private readonly basicAuth: string | null;
  private readonly closing = new AbortController();
  private closed = false;

  private constructor(
    private readonly opts: OpenAiEmbedderOptions,
    readonly dimensions: number,
  ) {
    const u = new URL(embeddingsUrl(opts.url));
    this.basicAuth = u.username || u.password ? Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64') : null;
    this.endpoint = redacted(u.toString());
    this.id = `openai:${opts.model}:${dimensions}${prefixesTag(opts.prefixes ?? NO_PREFIXES, NO_PREFIXES)}`;
  }

  /** Asks the endpoint for one vector when the dimensions are not given: fails here, naming it, when it is down. */
  static async create(opts: OpenAiEmbedderOptions): Promise<OpenAiEmbedder> {
    if (opts.model === '') throw new PaperboyError('CONFIG_INVALID', 'openai embedder: no model name (PAPERBOY_EMBEDDINGS_MODEL)');
    embeddingsUrl(opts.url); // a bad URL fails before any request
    if (opts.dimensions !== undefined && opts.dimensions > 0) return new OpenAiEmbedder(opts, opts.dimensions);
    const probe = new OpenAiEmbedder(opts, 0);
    const [v] = await probe.request(['dimension probe'], null);
    await probe.close();
    return new OpenAiEmbedder(opts, v!.length);
  }

  async embed(texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]> {
    if (this.closed) throw new PaperboyError('UNSUPPORTED', `embeddings endpoint ${this.endpoint}: embed() after close()`);
    const out: Float32Array[] = texts.map(() => new Float32Array(this.dimensions));
    const sent: number[] = [];
    for (let i = 0; i < texts.length; i++) if (!isBlank(texts[i]!)) sent.push(i);
    const batch = this.opts.batchSize ?? 64;
    const prefixes = this.opts.prefixes ?? NO_PREFIXES;
    for (let start = 0; start < sent.length; start += batch) {
      const at = sent.slice(start, start + batch);
      const vectors = await this.request(at.map((i) => prefixed(cut(texts[i]!, this.opts.maxChars ?? 8000), kind, prefixes)), this.dimensions);
      at.forEach((i, k) => (out[i] = vectors[k]!));
    }
    return out;
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.closing.abort();
    }
    return Promise.resolve();
  }

  /** One batch, with its retries: unit vectors in the order of `input`. */
  private async request(input: string[], dimensions: number | null): Promise<Float32Array[]> {
    const maxRetries = this.opts.maxRetries ?? 5;
    const base = this.opts.backoffBaseMs ?? 500;
    const maxWait = this.opts.maxRetryAfterMs ?? 60_000;
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      let retryAfterMs: number | null = null;
      try {
        return await this.attempt(input, dimensions);
      } catch (e) {
        if (e instanceof Permanent) throw this.failed(e.message);
        if (this.closing.signal.aborted) throw this.failed('closed while a request was under way');
        reason = e instanceof Retry ? e.message : describeFetchError(e);
        retryAfterMs = e instanceof Retry ? e.retryAfterMs : null;
      }
      if (attempt >= maxRetries) throw this.failed(`${reason} (after ${attempt + 1} attempts)`);
      const wait = retryAfterMs ?? base * 2 ** attempt;
      if (wait > maxWait) throw this.failed(`${reason}; it asks to wait ${Math.ceil(wait / 1000)} s, more than the ${Math.ceil(maxWait / 1000)} s accepted`);
      this.opts.log?.(`embeddings endpoint ${this.endpoint}: ${reason}; retrying in ${wait} ms`);
      try {
        await delay(wait, undefined, { signal: this.closing.signal });
      } catch {
        throw this.failed('closed while waiting to retry');
      }
    }
  }

  private async attempt(input: string[], dimensions: number | null): Promise<Float32Array[]> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    else if (this.basicAuth) headers.authorization = `Basic ${this.basicAuth}`;
    const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.opts.timeoutMs ?? 60_000)]);
    const res = await fetch(this.endpoint, { method: 'POST', headers, body: JSON.stringify({ model: this.opts.model, input }), signal });
    const text = await res.text();
    if (!res.ok) {
      const what = `HTTP ${res.status}${snippet(text)}`;
      if (RETRIED_STATUSES.has(res.status)) throw new Retry(what, parseRetryAfter(res.headers.get('retry-after'), new Date()));
      if (res.status === 401 || res.status === 403) throw new Permanent(`${what} (is PAPERBOY_EMBEDDINGS_API_KEY right?)`);
      if (res.status === 413 || res.status === 422) throw new Permanent(`${what} (texts longer than the model takes? Paperboy sends up to 8,000 characters a text; TEI truncates with --auto-truncate)`);
      throw new Permanent(what);
    }
    return parseVectors(text, input.length, dimensions);
  }

  private failed(detail: string): PaperboyError {
    return new PaperboyError('SOURCE_FAILED', `embeddings endpoint ${this.endpoint} (model ${JSON.stringify(this.opts.model)}): ${detail}`);
  }
}

class Retry extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

/**
 * The text's first `max` characters, never half of a surrogate pair. 8,000 characters is about
 * 2,000 tokens of English: past what most embedding models read (512 tokens), within what every
 * endpoint accepts (OpenAI 8,191 tokens), and a megabyte pasted in costs no more than that.
 */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** <url>/v1/embeddings; a URL that already ends in /v1 gets /embeddings. */
export function embeddingsUrl(base: string): string {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    throw new PaperboyError('CONFIG_INVALID', `embeddings URL ${JSON.stringify(redacted(base).slice(0, 200))}: not a URL (e.g. http://127.0.0.1:11434)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new PaperboyError('CONFIG_INVALID', `embeddings URL ${redacted(base)}: http or https only`);
  const path = u.pathname.replace(/\/+$/, '');
  u.pathname = /\/v1$/.test(path) ? `${path}/embeddings` : `${path}/v1/embeddings`;
  return u.toString();
}

/** The answer's vectors, by their index, checked and made unit length. */
function parseVectors(text: string, count: number, dimensions: number | null): Float32Array[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Permanent(`answered something that is not JSON${snippet(text)}`);
  }
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length !== count)
    throw new Permanent(`answered ${Array.isArray(data) ? `${data.length} embeddings for ${count} texts` : 'JSON without a "data" array'}${snippet(text)}`);
  const out: (Float32Array | undefined)[] = new Array(count);
  data.forEach((item: unknown, k) => {
    const { embedding, index } = (item ?? {}) as { embedding?: unknown; index?: unknown };
    const at = typeof index === 'number' ? index : k;
    if (!Number.isInteger(at) || at < 0 || at >= count || out[at]) throw new Permanent(`answered an embedding with a bad or repeated index ${JSON.stringify(index)}`);
    if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw new Permanent(`answered data[${k}].embedding that is not an array of numbers (an "encoding_format" other than float?)`);
    if (dimensions !== null && embedding.length !== dimensions)
      throw new Permanent(`answered vectors of ${embedding.length} numbers, expected ${dimensions} (PAPERBOY_EMBEDDINGS_DIMENSIONS, or the length it answered at start)`);
    out[at] = normalize(Float32Array.from(embedding as number[]));
  });
  return out as Float32Array[];
}

/** The start of an error body, on one line, as JSON (it is the server's text, not ours). */
function snippet(text: string): string {
  const t = text.slice(0, 2000).replace(/\s+/g, ' ').trim();
  return t ? `: ${JSON.stringify(t.slice(0, 200))}` : '';
}
