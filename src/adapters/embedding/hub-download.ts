/**
 * Fetches a sentence-transformer's ONNX export from the Hugging Face hub (or a mirror:
 * PAPERBOY_HF_ENDPOINT) into <model dir>/<id>, for `paperboy models pull`: the ONNX file
 * (onnx/model.onnx, else model.onnx), tokenizer.json and config.json, and the small files that
 * say how to pool and cut (tokenizer_config.json, special_tokens_map.json,
 * sentence_bert_config.json, 1_Pooling/config.json) where the repository has them.
 *
 * Each file is first asked for with HEAD (redirects not followed): the hub names a large file's
 * SHA-256 and size in X-Linked-Etag / X-Linked-Size and a small one's git blob SHA-1 in its ETag.
 * It is then downloaded into <file>.part, resumed with a Range request where a .part is left
 * from an interrupted pull, checked (size, then hash), and renamed into place; a file already
 * there and matching is not downloaded again. A mismatch deletes the .part and fails, naming
 * the file. Connection failures and 5xx answers are retried (three attempts, each resuming).
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { PaperboyError } from '../../core/errors.js';
import { redacted } from '../http/polite-client.js';
import { HUB_ID } from './onnx.embedder.js';
import { describeFetchError } from '../http/fetch-error.js';

export const MODEL_FILES = [join('onnx', 'model.onnx'), 'model.onnx'];
export const REQUIRED_FILES = ['tokenizer.json', 'config.json'];
export const OPTIONAL_FILES = ['tokenizer_config.json', 'special_tokens_map.json', 'sentence_bert_config.json', '1_Pooling/config.json'];

export interface PullOptions {
  id: string;
  modelDir: string;
  /** https://huggingface.co, or a mirror */
  endpoint: string;
  /** the repository revision (default main) */
  revision?: string;
  /** bytes of one file downloaded so far, of its size (null: unknown) */
  onProgress?: (file: string, done: number, size: number | null) => void;
  /** one line per file, when it is done or skipped */
  log?: (line: string) => void;
  /** first wait before a retry (default 1000 ms, doubled) */
  retryDelayMs?: number;
  timeoutMs?: number;
}

export interface PulledFile {
  file: string;
  bytes: number;
  /** false: it was there already, checked */
  downloaded: boolean;
  /** bytes taken from an interrupted pull's .part */
  resumedFrom: number;
}

interface Remote {
  size: number | null;
  sha256: string | null;
  gitSha1: string | null;
}

export async function pullModel(o: PullOptions): Promise<{ folder: string; files: PulledFile[] }> {
  if (!HUB_ID.test(o.id) || o.id.split('/').some((p) => p === '.' || p === '..'))
    throw new PaperboyError('CONFIG_INVALID', `models pull: ${JSON.stringify(o.id.slice(0, 200))} is not a Hugging Face model id (owner/name, e.g. BAAI/bge-small-en-v1.5)`);
  const folder = join(o.modelDir, o.id);
  const files: PulledFile[] = [];
  let modelFile: string | null = null;
  for (const f of MODEL_FILES) {
    const remote = await head(o, f);
    if (remote) {
      files.push(await fetchFile(o, folder, f, remote));
      modelFile = f;
      break;
    }
  }
  if (!modelFile) throw new PaperboyError('SOURCE_FAILED', `models pull ${o.id}: the repository has no ${MODEL_FILES.join(' or ')} (is there an ONNX export of it, e.g. under Xenova/ or onnx-community/?)`);
  for (const f of [...REQUIRED_FILES, ...OPTIONAL_FILES]) {
    const remote = await head(o, f);
    if (remote) files.push(await fetchFile(o, folder, f, remote));
    else if (REQUIRED_FILES.includes(f)) throw new PaperboyError('SOURCE_FAILED', `models pull ${o.id}: the repository has no ${f}, which the ONNX embedder needs`);
  }
  return { folder, files };
}

function fileUrl(o: PullOptions, file: string): string {
  const base = o.endpoint.replace(/\/+$/, '');
  return `${base}/${o.id}/resolve/${encodeURIComponent(o.revision ?? 'main')}/${file.split(/[\\/]/).map(encodeURIComponent).join('/')}`;
}

/** What the hub says of a file; null when it has none (404). */
async function head(o: PullOptions, file: string): Promise<Remote | null> {
  const url = fileUrl(o, file);
  const res = await withRetries(o, url, () => fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(o.timeoutMs ?? 60_000) }));
  if (res.status === 404) return null;
  if (res.status === 401 || res.status === 403) throw failed(url, `HTTP ${res.status}: a gated or private model (Paperboy pulls public models only)`);
  if (res.status >= 400) throw failed(url, `HTTP ${res.status}`);
  const h = res.headers;
  const unquote = (v: string | null) => (v ?? '').replace(/^W\//, '').replace(/"/g, '').toLowerCase();
  const linked = unquote(h.get('x-linked-etag'));
  const etag = unquote(h.get('etag'));
  const sizeHeader = h.get('x-linked-size') ?? (res.status < 300 ? h.get('content-length') : null);
  return {
    size: sizeHeader !== null && /^\d+$/.test(sizeHeader) ? Number(sizeHeader) : null,
    sha256: /^[0-9a-f]{64}$/.test(linked) ? linked : /^[0-9a-f]{64}$/.test(etag) ? etag : null,
    gitSha1: /^[0-9a-f]{40}$/.test(etag) ? etag : null,
  };
}

async function fetchFile(o: PullOptions, folder: string, file: string, remote: Remote): Promise<PulledFile> {
  const dest = join(folder, file);
  const part = `${dest}.part`;
  mkdirSync(dirname(dest), { recursive: true });
  if (existsSync(dest)) {
    const bytes = statSync(dest).size;
    if ((remote.size === null || bytes === remote.size) && (await matches(dest, remote))) {
      o.log?.(`${file}: already there (${mb(bytes)}, checked)`);
      return { file, bytes, downloaded: false, resumedFrom: 0 };
    }
  }
  const url = fileUrl(o, file);
  let resumedFrom = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      resumedFrom = Math.max(resumedFrom, await download(o, url, file, part, remote));
      break;
    } catch (e) {
      if (!(e instanceof Retriable) || attempt >= 3) throw e instanceof Retriable ? failed(url, `${e.message} (after ${attempt} attempts; run the pull again to resume)`) : e;
      await delay((o.retryDelayMs ?? 1000) * 2 ** (attempt - 1));
    }
  }
  const bytes = statSync(part).size;
  if (remote.size !== null && bytes !== remote.size) {
    rmSync(part, { force: true });
    throw failed(url, `got ${bytes} bytes, the hub announced ${remote.size}; the partial file was deleted, run the pull again`);
  }
  if (!(await matches(part, remote))) {
    rmSync(part, { force: true });
    throw failed(url, `checksum mismatch (expected ${remote.sha256 ? `SHA-256 ${remote.sha256}` : `git SHA-1 ${remote.gitSha1}`}); the partial file was deleted, run the pull again`);
  }
  renameSync(part, dest);
  o.log?.(`${file}: ${mb(bytes)}${resumedFrom > 0 ? `, resumed at ${mb(resumedFrom)}` : ''}`);
  return { file, bytes, downloaded: true, resumedFrom };
}

class Retriable extends Error {}

/** Appends the rest of the file to `part` (a Range request when part of it is there); returns the bytes resumed from. */
async function download(o: PullOptions, url: string, file: string, part: string, remote: Remote): Promise<number> {
  let have = existsSync(part) ? statSync(part).size : 0;
  if (remote.size !== null && have > remote.size) have = 0; // not this file's beginning
  const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-` } : {};
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(o.timeoutMs ?? 60_000) });
  } catch (e) {
    throw new Retriable(describeFetchError(e));
  }
  if (res.status === 416 && have > 0) {
    // the range starts at or past the end: the .part is whole (checked next) or not this file
    await res.body?.cancel();
    if (remote.size !== null && have === remote.size) return have;
    rmSync(part, { force: true });
    throw new Retriable('the partial file did not fit the remote one; starting again');
  }
  if (res.status >= 500 || res.status === 429) throw new Retriable(`HTTP ${res.status}`);
  if (res.status !== 200 && res.status !== 206) throw failed(url, `HTTP ${res.status}`);
  const resumed = res.status === 206 ? have : 0;
  const size = remote.size;
  let done = resumed;
  o.onProgress?.(file, done, size);
  const counted = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  counted.on('data', (chunk: Buffer) => {
    done += chunk.length;
    o.onProgress?.(file, done, size);
  });
  try {
    await pipeline(counted, createWriteStream(part, { flags: resumed > 0 ? 'a' : 'w' }));
  } catch (e) {
    throw new Retriable(describeFetchError(e)); // what arrived stays in the .part: the next attempt resumes
  }
  return resumed;
}

/** Whether the file's hash is the one the hub gave (true when it gave none: the size was checked). */
async function matches(path: string, remote: Remote): Promise<boolean> {
  if (!remote.sha256 && !remote.gitSha1) return true;
  let h: Hash;
  if (remote.sha256) h = createHash('sha256');
  else {
    h = createHash('sha1');
    h.update(`blob ${statSync(path).size}\0`); // git's blob id
  }
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex') === (remote.sha256 ?? remote.gitSha1);
}

async function withRetries(o: PullOptions, url: string, f: () => Promise<Response>): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    let why: string;
    try {
      const res = await f();
      if (res.status < 500 && res.status !== 429) return res;
      why = `HTTP ${res.status}`;
    } catch (e) {
      why = describeFetchError(e);
    }
    if (attempt >= 3) throw failed(url, `${why} (after ${attempt} attempts)`);
    await delay((o.retryDelayMs ?? 1000) * 2 ** (attempt - 1));
  }
}

function failed(url: string, detail: string): PaperboyError {
  return new PaperboyError('SOURCE_FAILED', `${redacted(url)}: ${detail}`);
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${bytes} bytes`;
}
