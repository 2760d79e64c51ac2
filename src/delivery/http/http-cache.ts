/**
 * Caching of rendered responses, for pages and feeds alike: an in-process LRU of whole
 * responses keyed by a normalised URL (plus whatever else changes the bytes, such as the theme)
 * and tagged with the store's data version, so a harvest or a vote makes every entry stale at
 * once, in every process. The same version makes the ETag: a client that already has the page
 * gets a 304 without anything being rendered or even looked up.
 *
 * Bodies are compressed once, on the first request that accepts it (Brotli, else gzip), and
 * kept beside the plain body: a busy page costs a lookup and a write, never a compression. The
 * compression runs on worker threads (compressor.ts), not on the event loop: compressing a page
 * costs about as much as rendering it, and other requests need not wait for it.
 *
 * A render may instead hand over a body compressed already with an ETag of its own (a paper page
 * rendered ahead, pages-ahead.ts): kept the same way, it keeps that ETag, so a client holding it
 * gets a 304 even after the data version moved, once the page has been read again.
 *
 * Usage: `cache.respond(req, reply, { key, version: await listing.version(), render })`.
 */
import { createHash } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { compress, type Encoding } from './compressor.js';
import { Lru } from '../../core/lru.js';

export interface Rendered {
  status: number;
  /** content type, charset included */
  type: string;
  body: string;
}

/**
 * A 200 rendered and compressed elsewhere, with an ETag of its own (opaque, unquoted) that
 * outlives data versions: a paper page rendered ahead (pages-ahead.ts).
 */
export interface Precompressed {
  type: string;
  br: Buffer;
  etag: string;
}

export interface CacheRequest {
  /** the normalised URL and anything else the response depends on */
  key: string;
  /** the data version (ListingService.version()) */
  version: string;
  render: () => Promise<Rendered | Precompressed>;
  /** seconds clients and proxies may reuse a 200 without asking (default 60) */
  maxAge?: number;
  /** request headers the response varies on besides the URL (the pages vary on Cookie: the theme) */
  vary?: string;
}

interface Entry {
  version: string;
  status: number;
  type: string;
  /** the plain body; for a precompressed one, decompressed when a client first needs it */
  body?: Buffer;
  /** the Brotli body a precompressed one came with */
  precompressed?: Buffer;
  /** bytes kept, for the cache's bound */
  size: number;
  etag: string;
  br?: Promise<Buffer>;
  gzip?: Promise<Buffer>;
}

/** Smaller bodies gain too little from compression to pay for the header. */
const MIN_COMPRESS = 1024;

export interface ResponseCacheOptions {
  maxEntries?: number;
  maxBytes?: number;
  /** fingerprint of the code and assets: a new release changes every ETag */
  build?: string;
}

export class ResponseCache {
  private readonly lru: Lru<string, Entry>;
  private readonly pending = new Map<string, Promise<Entry>>();
  private readonly build: string;

  constructor(opts: ResponseCacheOptions = {}) {
    this.lru = new Lru(opts.maxEntries ?? 2000, opts.maxBytes ?? 128 * 1024 * 1024, (e) => e.size);
    this.build = opts.build ?? '';
  }

  async respond(req: FastifyRequest, reply: FastifyReply, r: CacheRequest): Promise<FastifyReply> {
    reply.header('vary', r.vary ? `${r.vary}, Accept-Encoding` : 'Accept-Encoding');
    const hit = this.lru.get(r.key);
    const fresh = hit && hit.version === r.version ? hit : null;
    // a client that has the page gets a 304 without anything being rendered or read
    const known = fresh?.etag ?? this.etag(r.key, r.version);
    const notModified = (etag: string) => reply.code(304).headers(cacheHeaders(200, etag, r.maxAge)).send();
    if (matches(req.headers['if-none-match'], known)) return notModified(known);
    const entry = fresh ?? (await this.entry(r, known));
    if (entry.etag !== known && matches(req.headers['if-none-match'], entry.etag)) return notModified(entry.etag);
    reply.code(entry.status).headers(cacheHeaders(entry.status, entry.etag, r.maxAge)).type(entry.type);
    const encoding = entry.precompressed || entry.body!.length >= MIN_COMPRESS ? accepted(req.headers['accept-encoding']) : null;
    const body = encoding ? await compressed(entry, encoding).catch(() => null) : null;
    if (!encoding || !body) return reply.send(plain(entry)); // a failed compression: the plain body serves as well
    return reply.header('content-encoding', encoding).send(body);
  }

  /**
   * The shared page's plain body (rendered and kept when missing or stale), for an answer made
   * from it for one reader (decision 031: a listing with the reader's votes marked), which the
   * caller sends itself, never cached: the entry stays everyone's.
   */
  async shared(r: CacheRequest): Promise<{ status: number; type: string; body: Buffer }> {
    const hit = this.lru.get(r.key);
    const entry = hit && hit.version === r.version ? hit : await this.entry(r, this.etag(r.key, r.version));
    return { status: entry.status, type: entry.type, body: plain(entry) };
  }

  private async entry(r: CacheRequest, etag: string): Promise<Entry> {
    // one render per key at a time: a burst of requests for a stale page waits for the first
    const inFlight = this.pending.get(r.key);
    if (inFlight) return inFlight;
    const rendering = r
      .render()
      .then((out) => {
        const entry = 'br' in out ? precompressedEntry(out, r.version) : renderedEntry(out, r.version, etag);
        if (entry.status === 200 || entry.status === 404) this.lru.set(r.key, entry);
        return entry;
      })
      .finally(() => this.pending.delete(r.key));
    this.pending.set(r.key, rendering);
    return rendering;
  }

  private etag(key: string, version: string): string {
    return `W/"${createHash('sha1').update(`${key}\u0000${version}\u0000${this.build}`).digest('base64url').slice(0, 22)}"`;
  }
}

function renderedEntry(out: Rendered, version: string, etag: string): Entry {
  const body = Buffer.from(out.body);
  // the compressed copies come later and add about a third: counted up front
  return { version, status: out.status, type: out.type, body, size: Math.ceil(body.length * 1.35), etag };
}

function precompressedEntry(out: Precompressed, version: string): Entry {
  // the Brotli body, and the plain one (about four times its size) counted up front, decompressed or not
  return { version, status: 200, type: out.type, size: out.br.length * 5, etag: `W/"${out.etag}"`, precompressed: out.br, br: Promise.resolve(out.br) };
}

/** The plain body, decompressed once from the Brotli one if that is all the entry came with. */
function plain(e: Entry): Buffer {
  return (e.body ??= brotliDecompressSync(e.precompressed!));
}

/**
 * The body compressed once and kept: requests arriving while it is being compressed share the
 * one compression. A failed compression is forgotten, so the next request tries again.
 */
function compressed(e: Entry, encoding: Encoding): Promise<Buffer> {
  const field = encoding === 'br' ? 'br' : 'gzip';
  return (e[field] ??= compress(plain(e), encoding).catch((err: unknown) => {
    e[field] = undefined;
    throw err;
  }));
}

/** An encoding named in Accept-Encoding, unless refused with q=0. */
const ACCEPTS: Record<Encoding, RegExp> = {
  br: /(?:^|[\s,])br\s*(?!;\s*q=0(?:\.0*)?\s*(?:,|$))(?:[;,]|$)/,
  gzip: /(?:^|[\s,])gzip\s*(?!;\s*q=0(?:\.0*)?\s*(?:,|$))(?:[;,]|$)/,
};

/** The best encoding the client accepts. */
export function accepted(header: string | string[] | undefined): Encoding | null {
  if (!header) return null;
  const h = (Array.isArray(header) ? header.join(',') : header).toLowerCase();
  return ACCEPTS.br.test(h) ? 'br' : ACCEPTS.gzip.test(h) ? 'gzip' : null;
}

/** Whether an If-None-Match header names this ETag (weak comparison, lists and * included). */
export function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

function cacheHeaders(status: number, etag: string, maxAge = 60): Record<string, string> {
  // a 200 may be reused and revalidated with its ETag; a 404 is rechecked soon (the next harvest may fill it)
  if (status !== 200) return { 'cache-control': 'public, max-age=60' };
  return { etag, 'cache-control': `public, max-age=${maxAge}, stale-while-revalidate=${maxAge * 5}` };
}
