/**
 * The Kaggle worker thread (kaggle.threaded.ts starts it): reads one snapshot file, gunzips,
 * splits and fingerprints its lines (kaggle.stream.ts) and, while ingest asks for most records
 * (a first ingest), parses and validates them too, so that parsing runs on one core while the
 * main thread merges and writes on the other. When ingest finds most lines unchanged (a rerun)
 * it says so, and the worker sends the lines' bytes instead, for the few that need parsing.
 * Loads only the byte reading and the Kaggle parser: it starts while the store migrates.
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { InputUnusableError } from '../../core/errors.js';
import { READ_CHUNK, textChunks } from './file-bytes.js';
import type { FromWorker, ToWorker, WireItem, WorkerSetup } from './kaggle.threaded.js';
import { kaggleBatches, type KaggleBatch } from './kaggle.stream.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;

// batches the main thread has room for (flow control: memory stays one batch times readAhead)
let credits = setup.readAhead;
let parseAhead = true;
let wake: (() => void) | null = null;
port.on('message', (m: ToWorker) => {
  credits += m.credit;
  if (m.parseAhead !== undefined) parseAhead = m.parseAhead;
  wake?.();
  wake = null;
});

function send(m: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

/** A batch as plain data: records parsed here, or the lines' bytes packed into one transferable buffer. */
function toWire(batch: KaggleBatch, bytesRead: number): { message: FromWorker; transfer: ArrayBuffer[] } {
  const items: WireItem[] = [];
  if (parseAhead) {
    for (const p of batch.pending) {
      const r = p.parse();
      items.push(r.error ? { id: p.id, fingerprint: p.fingerprint, error: r.error } : { id: p.id, fingerprint: p.fingerprint, record: r.record });
    }
    return { message: { batch: { items, errors: batch.errors }, bytesRead }, transfer: [] };
  }
  let total = 0;
  for (const p of batch.pending) total += p.line.length;
  const lines = new Uint8Array(new ArrayBuffer(total));
  let at = 0;
  for (const p of batch.pending) {
    lines.set(p.line, at);
    items.push({ id: p.id, fingerprint: p.fingerprint, lineNo: p.lineNo, start: at, end: at + p.line.length });
    at += p.line.length;
  }
  return { message: { batch: { items, errors: batch.errors, lines: lines.buffer }, bytesRead }, transfer: [lines.buffer] };
}

async function run(): Promise<void> {
  const stream = createReadStream(setup.path, { highWaterMark: READ_CHUNK });
  for await (const batch of kaggleBatches(textChunks(stream, setup.gzip, setup.path), setup.path, setup.batchSize)) {
    while (credits <= 0) await new Promise<void>((r) => (wake = r));
    credits--;
    const { message, transfer } = toWire(batch, stream.bytesRead);
    send(message, transfer);
  }
  send({ done: true, bytesRead: stream.bytesRead });
}

run().catch((e: unknown) => {
  if (e instanceof InputUnusableError) send({ unusable: { source: e.source, at: e.at, reason: e.reason } });
  else send({ failed: e instanceof Error ? (e.stack ?? e.message) : String(e) });
});
