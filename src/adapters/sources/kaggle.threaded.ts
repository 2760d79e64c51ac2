/**
 * A Kaggle snapshot file read and parsed on a worker thread (kaggle.worker.ts), yielding the
 * same batches as kaggleBatches on this thread: pending records with their fingerprints, in
 * input order, rejections and unusable input reported alike. Ingest then merges and writes on
 * this thread while the worker gunzips and parses the next batches on the other core: on the
 * 74,728-paper corpus parsing is about half of the CPU time (docs/decisions/012).
 *
 * The worker parses ahead while ingest parses most of what it gets (a first ingest); once a
 * batch needed fewer than half of its records parsed (a rerun: most fingerprints are stored),
 * it sends the lines' bytes instead, and the few that changed are parsed here. Either way every
 * record ingest asks for is parsed exactly as kaggleBatches would, so results are the same.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from '../../package-root.js';
import { Worker } from 'node:worker_threads';
import type { PaperRecord } from '../../core/paper.js';
import { InputUnusableError } from '../../core/errors.js';
import type { ParseResult, PendingRecord, RecordError } from '../../ports/source.js';
import { parseKaggleLine } from './kaggle.parser.js';

export interface WorkerSetup {
  path: string;
  gzip: boolean;
  batchSize: number;
  /** batches the worker may send before this thread has taken them */
  readAhead: number;
}

/** A line as it crosses: parsed (a record or why not) or, when not parsed ahead, where its bytes are. */
export type WireItem = { id: string; fingerprint: string } & (
  | { record: PaperRecord; error?: undefined; lineNo?: undefined }
  | { error: RecordError; record?: undefined; lineNo?: undefined }
  | { lineNo: number; start: number; end: number; record?: undefined; error?: undefined }
);

export type FromWorker =
  | { batch: { items: WireItem[]; errors: RecordError[]; lines?: ArrayBuffer }; bytesRead: number }
  | { done: true; bytesRead: number }
  | { unusable: { source: string; at: string; reason: string } }
  | { failed: string };

export interface ToWorker {
  credit: number;
  parseAhead?: boolean;
}

const READ_AHEAD = 8;

/** Batches of the Kaggle file at `path`, read on a worker; `onBytes` hears how much of the file was read. */
export async function* kaggleBatchesOnWorker(
  path: string,
  gzip: boolean,
  batchSize: number,
  onBytes: (bytesRead: number) => void,
): AsyncGenerator<ParseResult> {
  const worker = new Worker(workerScript(), { workerData: { path, gzip, batchSize, readAhead: READ_AHEAD } satisfies WorkerSetup });
  const inbox: FromWorker[] = [];
  let wake: (() => void) | null = null;
  const deliver = (m: FromWorker) => {
    inbox.push(m);
    wake?.();
    wake = null;
  };
  worker.on('message', deliver);
  worker.on('error', (e) => deliver({ failed: e.stack ?? e.message }));
  worker.on('exit', (code) => deliver({ failed: `the Kaggle reader thread stopped (exit code ${code})` }));
  let parseAhead = true;
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((r) => (wake = r));
      const m = inbox.shift()!;
      if ('unusable' in m) throw new InputUnusableError(m.unusable.source, m.unusable.at, m.unusable.reason);
      if ('failed' in m) throw new Error(`reading ${path}: ${m.failed}`);
      onBytes(m.bytesRead);
      if ('done' in m) return;
      let parsed = 0;
      const pending = m.batch.items.map((item) => pendingOf(item, m.batch.lines, path, () => parsed++));
      yield { records: [], errors: m.batch.errors, pending };
      // ingest is done with the batch: room for one more, parsed ahead if ingest wanted most of this one
      const ahead = parsed * 2 >= pending.length;
      worker.postMessage({ credit: 1, ...(ahead !== parseAhead && { parseAhead: ahead }) } satisfies ToWorker);
      parseAhead = ahead;
    }
  } finally {
    worker.removeAllListeners();
    worker.on('error', () => undefined); // one more, as it stops, would be thrown here otherwise: the batches are done with
    await worker.terminate();
  }
}

function pendingOf(item: WireItem, lines: ArrayBuffer | undefined, path: string, counted: () => void): PendingRecord {
  return {
    id: item.id,
    source: 'kaggle',
    fingerprint: item.fingerprint,
    parse: () => {
      counted();
      if (item.record) return { record: item.record };
      if (item.error) return { error: item.error };
      return parseKaggleLine(Buffer.from(lines!, item.start, item.end - item.start).toString('utf8'), path, item.lineNo);
    },
  };
}

/**
 * The worker's compiled script. Tests run this module from src/ (TypeScript, through vitest),
 * where no .js sits beside it: the worker then runs from dist/, which `npm run build` makes.
 */
function workerScript(): URL {
  const beside = new URL('./kaggle.worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  // under vitest (src/) or bundled (dist/cli-chunks/): tsc's dist/ has it (decision 014)
  return pathToFileURL(join(packageRoot(import.meta.url), 'dist', 'adapters', 'sources', 'kaggle.worker.js'));
}
