/**
 * Opening one input of `paperboy ingest <path>... [--format …]`: a file or fetched bytes, gzip or
 * not, in any format Paperboy reads, yielding ParseResult batches. Kaggle JSON lines are
 * streamed (the full snapshot is 4.5 GB); the other formats are single small documents, read
 * whole and handed to their parser, up to MAX_DOCUMENT_BYTES once inflated. Anything that can't be used as a whole (missing file,
 * HTML page, junk, wrong format, truncated) is an InputUnusableError naming the input.
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { InputUnusableError, PaperboyError } from '../../core/errors.js';
import { MAX_DOCUMENT_BYTES } from '../../core/validate.js';
import type { ParseResult } from '../../ports/source.js';
import { parseArxivAtom } from './arxiv-atom.parser.js';
import { hfDayFromFilename, parseHfDaily } from './hf-daily.parser.js';
import { gzipError, osError, READ_CHUNK, textChunks } from './file-bytes.js';
import { FORMAT_NAMES, SNIFF_BYTES, gunzipHead, isGzip, sniffFormat } from './input.sniff.js';
import { kaggleBatches } from './kaggle.stream.js';
import { kaggleBatchesOnWorker } from './kaggle.threaded.js';
import { parseOaiPmh, type OaiPage } from './oai-pmh.parser.js';

export type InputFormat = 'kaggle' | 'arxiv-atom' | 'oai-pmh' | 'hf-daily';

export interface OpenedInput {
  label: string;
  format: InputFormat;
  /** size of the input as stored (compressed when gzip), when known */
  totalBytes: number | null;
  /** bytes of the stored input read so far, for a progress bar against totalBytes */
  bytesRead(): number;
  /** read lazily: iterating starts the reading; unusable input throws from the iteration */
  batches: AsyncIterable<ParseResult>;
}

export interface OpenOptions {
  /** records and errors per batch; default 250 */
  batchSize?: number;
  /** the most a whole document may hold, inflated (default MAX_DOCUMENT_BYTES); Kaggle streams have no bound */
  maxDocumentBytes?: number;
  /** read and parse a Kaggle file on a worker thread; default: when it holds WORKER_MIN_BYTES or more */
  worker?: boolean;
}

// memory held during ingest grows with the batch (~50 MB per 1,000 papers of GC slack); 250 keeps
// a 1,000,000-paper stream well under 300 MB at the same speed
const DEFAULT_BATCH = 250;
/**
 * A Kaggle file this large is read and parsed on a worker thread (kaggle.threaded.ts), in
 * parallel with ingest's writing; a smaller one on this thread, where starting a thread (~50 ms)
 * would cost more than it saves.
 */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;

/** Opens a file: checks it is readable and what it holds; the records come from `batches`. */
export async function openFileInput(
  path: string,
  format: InputFormat | 'auto',
  opts: OpenOptions = {},
): Promise<OpenedInput> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const { size, head } = await readHead(path);
  const gzip = isGzip(head);
  const found = resolveFormat(path, format, gzip ? gunzipOrThrow(head, path, true) : head);
  if (found === 'kaggle' && (opts.worker ?? size >= WORKER_MIN_BYTES)) {
    let read = 0;
    return {
      label: path,
      format: found,
      totalBytes: size,
      bytesRead: () => read,
      batches: lazily(() => kaggleBatchesOnWorker(path, gzip, batchSize, (n) => (read = n))),
    };
  }
  if (found === 'kaggle') {
    let stream: ReadStream | null = null;
    return {
      label: path,
      format: found,
      totalBytes: size,
      bytesRead: () => stream?.bytesRead ?? 0,
      batches: lazily(() => {
        stream = createReadStream(path, { highWaterMark: READ_CHUNK });
        return kaggleBatches(textChunks(stream, gzip, path), path, batchSize);
      }),
    };
  }
  const max = opts.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  // checked before reading: a 5 GB HF "JSON" must not be read whole to learn it is too large
  if (size > max) throw tooLarge(path, `byte ${max}`, `the ${gzip ? 'gzip file' : 'document'} holds ${size} bytes, more`, max, 'not read');
  let read = 0;
  return {
    label: path,
    format: found,
    totalBytes: size,
    bytesRead: () => read,
    batches: lazily(async function* () {
      const raw = await readFile(path).catch((e: unknown) => {
        throw osError(path, 'read', e);
      });
      read = raw.length;
      const text = decode(gzip ? gunzipOrThrow(raw, path, false, max) : raw);
      yield* inBatches(parseDocument(found, text, path, hfDayFromFilename(path)), batchSize);
    }),
  };
}

/** Opens fetched bytes (a response body); `day` is the date an hf-daily response was asked for. */
export async function openBufferInput(
  label: string,
  bytes: Buffer,
  format: InputFormat | 'auto',
  day?: string | null,
  opts: Pick<OpenOptions, 'maxDocumentBytes'> = {},
): Promise<OpenedInput> {
  const max = opts.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
  if (bytes.length > max) throw tooLarge(label, `byte ${max}`, `the body holds ${bytes.length} bytes, more`, max, 'not read');
  const gzip = isGzip(bytes);
  const head = bytes.subarray(0, SNIFF_BYTES);
  const found = resolveFormat(label, format, gzip ? gunzipOrThrow(head, label, true) : head);
  let read = 0;
  return {
    label,
    format: found,
    totalBytes: bytes.length,
    bytesRead: () => read,
    batches: lazily(async function* () {
      read = bytes.length;
      const text = decode(gzip ? gunzipOrThrow(bytes, label, false, max) : bytes);
      if (found === 'kaggle') yield* kaggleBatches(once(text), label, DEFAULT_BATCH);
      else yield* inBatches(parseDocument(found, text, label, day ?? dayOfLabel(label)), DEFAULT_BATCH);
    }),
  };
}

/** The day a daily-papers response was asked for: `?date=` of its URL, or in its file name. */
function dayOfLabel(label: string): string | null {
  return /[?&]date=(\d{4}-\d{2}-\d{2})(?:&|$)/.exec(label)?.[1] ?? hfDayFromFilename(label);
}

/** The format to read the input as: the detected one, which an explicit --format must match. */
function resolveFormat(label: string, requested: InputFormat | 'auto', head: Buffer): InputFormat {
  if (head.toString('utf8').trim() === '') {
    throw new InputUnusableError(label, 'byte 0', head.length === 0 ? 'the input is empty' : 'the input holds only whitespace');
  }
  const sniffed = sniffFormat(head);
  if ('format' in sniffed) {
    if (requested === 'auto' || requested === sniffed.format) return sniffed.format;
    throw new InputUnusableError(
      label,
      'start',
      `--format ${requested} expects ${FORMAT_NAMES[requested]}, found ${FORMAT_NAMES[sniffed.format]}`,
    );
  }
  const expected =
    requested === 'auto'
      ? 'Kaggle JSON lines, an arXiv Atom feed, an OAI-PMH response or HF daily papers JSON'
      : `${FORMAT_NAMES[requested]} (--format ${requested})`;
  throw new InputUnusableError(label, 'start', `looks like ${sniffed.found}, not ${expected}`);
}

async function readHead(path: string): Promise<{ size: number; head: Buffer }> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw osError(path, 'open', e);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new InputUnusableError(path, 'open', st.isDirectory() ? 'a directory, not a file' : 'not a regular file');
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    return { size: st.size, head: buffer.subarray(0, bytesRead) };
  } catch (e) {
    throw e instanceof PaperboyError ? e : osError(path, 'read', e);
  } finally {
    await fh.close();
  }
}

function gunzipOrThrow(bytes: Buffer, label: string, headOnly: boolean, max = MAX_DOCUMENT_BYTES): Buffer {
  try {
    // inflation stops at `max`: a 1.2 MB gzip of 1.2 GB of spaces must not be inflated whole
    return headOnly ? gunzipHead(bytes) : gunzipSync(bytes, { maxOutputLength: max });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw tooLarge(label, `inflated byte ${max}`, `the gzip stream (${bytes.length} bytes) inflates to more`, max, 'inflating stopped there', e);
    throw gzipError(label, 'gzip stream', e);
  }
}

/** A whole document past the bound: named, with where reading stopped, and what to do about it. */
function tooLarge(label: string, at: string, what: string, max: number, done: string, cause?: unknown): InputUnusableError {
  const size = max >= 1024 * 1024 ? `${Math.round(max / 1024 / 1024)} MB` : `${max} bytes`;
  const reason = `${what} than the ${size} a whole document may hold; ${done} (only Kaggle JSON lines are streamed, without a bound)`;
  return new InputUnusableError(label, at, reason, cause === undefined ? undefined : { cause });
}

function parseDocument(format: InputFormat, text: string, label: string, day: string | null): ParseResult {
  switch (format) {
    case 'arxiv-atom':
      return pick(parseArxivAtom(text, label));
    case 'oai-pmh':
      return oaiRecords(parseOaiPmh(text, label), label);
    case 'hf-daily':
      return parseHfDaily(text, label, day);
    case 'kaggle':
      throw new Error('kaggle inputs are streamed, not parsed as one document');
  }
}

/** A saved OAI error response holds no records: only "no records match" is a normal, empty answer. */
function oaiRecords(page: OaiPage, label: string): ParseResult {
  const err = page.oaiError;
  if (err && err.code !== 'noRecordsMatch')
    throw new InputUnusableError(label, 'OAI-PMH error', `the response is an error, not records: ${err.code}: ${err.message}`);
  return pick(page);
}

/** Only records and errors: paging counters and cursors mean nothing for a file. */
function pick(r: ParseResult): ParseResult {
  return { records: r.records, errors: r.errors };
}

/** A parsed document in batches; its errors ride with the first one (their order is per entry anyway). */
function* inBatches(result: ParseResult, batchSize: number): Generator<ParseResult> {
  const { records, errors } = result;
  if (records.length === 0 && errors.length > 0) yield { records: [], errors };
  for (let i = 0; i < records.length; i += batchSize) {
    yield { records: records.slice(i, i + batchSize), errors: i === 0 ? errors : [] };
  }
}

function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** An iterable that runs `start` each time it is iterated, so nothing is read before it is asked for. */
function lazily<T>(start: () => AsyncIterable<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => start()[Symbol.asyncIterator]() };
}
