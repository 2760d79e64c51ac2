/**
 * `paperboy ingest`: each input (file, URL, or an arXiv API query) is stored in its own
 * transaction; the summary line sums them. Exit 0: all stored; 1: some records rejected, every
 * good one stored; 2: an input was unusable (named on stderr), nothing from it stored.
 */
import { basename } from 'node:path';
import { InputUnusableError, PaperboyError } from '../../core/errors.js';
import type { RecordError } from '../../ports/source.js';
import type { Container } from '../../container.js';
import { openBufferInput, openFileInput, type OpenedInput } from '../../adapters/sources/input.js';
import { addSummary, emptySummary, type IngestSummary } from '../../services/ingest.service.js';
import type { IngestOpts, Io } from './main.js';
import { createProgress } from './progress.js';

const isUrl = (s: string) => /^https?:\/\//i.test(s);

export async function runIngest(c: Container, inputs: string[], opts: IngestOpts, io: Io): Promise<number> {
  const started = performance.now();
  const total = emptySummary();
  let unusable = false;
  const tty = (io.stderr as NodeJS.WriteStream).isTTY ? (io.stderr as NodeJS.WriteStream) : null;

  for (const input of inputs) {
    try {
      const opened = isUrl(input) ? await openUrl(c, input, opts.format) : await openFileInput(input, opts.format);
      addSummary(total, await ingestOne(c, opened, tty));
    } catch (e) {
      const failure = inputFailure(input, e);
      if (!failure) throw e;
      unusable = true;
      total.errors.push(failure);
      io.stderr.write(`paperboy: ${failure.source}: unusable input at ${failure.at}: ${failure.reason}; nothing from it was stored\n`);
    }
  }
  if (opts.query) addSummary(total, await ingestQuery(c, opts));
  // indexing for search is left to `serve` (at start and after each harvest) and to `paperboy
  // search`: a bulk import then pays for it once, not once per file

  report(total, (performance.now() - started) / 1000, opts, io, tty);
  return unusable ? 2 : total.rejected > 0 ? 1 : 0;
}

/** An input that could not be read or fetched: reported, and the other inputs go on. */
function inputFailure(input: string, e: unknown): RecordError | null {
  if (e instanceof InputUnusableError) return { source: e.source, at: e.at, reason: e.reason };
  if (e instanceof PaperboyError && e.code === 'SOURCE_FAILED') return { source: input, at: 'fetch', reason: e.message };
  return null;
}

async function ingestOne(c: Container, opened: OpenedInput, tty: NodeJS.WriteStream | null): Promise<IngestSummary> {
  const progress = createProgress(basename(opened.label), opened.totalBytes, tty);
  try {
    return await c.ingest.ingest(opened.batches, (s) =>
      progress.update(opened.bytesRead(), s.new + s.updated + s.unchanged + s.rejected),
    );
  } finally {
    progress.stop();
  }
}

async function openUrl(c: Container, url: string, format: IngestOpts['format']): Promise<OpenedInput> {
  const res = await c.fetchUrl(url);
  return openBufferInput(url, res, format);
}

/** Pages through the arXiv API; each page is stored as it arrives, so an interruption keeps what came. */
async function ingestQuery(c: Container, opts: IngestOpts): Promise<IngestSummary> {
  const total = emptySummary();
  const query = c.arxivQuery(opts.query!, opts.maxResults ?? null);
  for await (const page of query.pages(null)) {
    addSummary(total, await c.ingest.ingest(oneBatch(page)));
  }
  return total;
}

async function* oneBatch<T>(item: T): AsyncIterable<T> {
  yield item;
}

/**
 * stdout: the summary line of the contract (PRODUCT.md), or with --json the object, which also
 * says how long the run took; on a terminal, the time goes to stderr, where the progress was.
 */
function report(s: IngestSummary, seconds: number, opts: IngestOpts, io: Io, tty: NodeJS.WriteStream | null): void {
  if (opts.json) {
    io.stdout.write(JSON.stringify({ new: s.new, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected, errors: s.errors, seconds: Math.round(seconds * 1000) / 1000 }) + '\n');
    return;
  }
  io.stdout.write(`new ${s.new}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected}\n`);
  const records = s.new + s.updated + s.unchanged + s.rejected;
  tty?.write(`${records} records in ${seconds.toFixed(1)} s (${Math.round(records / Math.max(seconds, 0.001))} a second)\n`);
  const shown = s.errors.slice(0, 20);
  for (const e of shown) io.stderr.write(`rejected: ${e.source} ${e.at}: ${e.reason}\n`);
  if (s.errors.length > shown.length || s.rejected > s.errors.length)
    io.stderr.write(`… and ${s.rejected - shown.length} more rejected record(s); --json lists up to 1000\n`);
}
