/**
 * The ONNX embedder's thread: loads the model (onnx-model.ts), then embeds one call at a time
 * (one intra-op thread: a core's worth of work). Query calls go before the document calls
 * waiting: a search never waits behind a re-embedding for more than the batch being run (the
 * embedder sends documents a batch per call). Each answer's vectors are one transferred buffer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PaperboyError } from '../../core/errors.js';
import { OnnxModel } from './onnx-model.js';
import type { FromWorker, ToWorker, WorkerSetup } from './onnx-protocol.js';

type Call = Extract<ToWorker, { call: number }>;

const port = parentPort!;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const asError = (e: unknown) => ({ code: e instanceof PaperboyError ? e.code : 'UNSUPPORTED', message: (e as Error).message ?? String(e) });

let model: OnnxModel;
try {
  model = await OnnxModel.load(workerData as WorkerSetup);
  send({ ready: model.description });
} catch (e) {
  send({ failed: asError(e) });
  process.exit(0);
}

const queries: Call[] = [];
const documents: Call[] = [];
let closing = false;
let running = false;

port.on('message', (m: ToWorker) => {
  if ('close' in m) closing = true;
  else (m.kind === 'query' ? queries : documents).push(m);
  void drain();
});

async function drain(): Promise<void> {
  if (running) return;
  running = true;
  for (let m = queries.shift() ?? documents.shift(); m; m = queries.shift() ?? documents.shift()) {
    try {
      const vs = await model.embed(m.texts, m.kind);
      const d = model.description.dimensions;
      const flat = new Float32Array(vs.length * d);
      vs.forEach((v, i) => flat.set(v, i * d));
      send({ call: m.call, vectors: flat }, [flat.buffer]);
    } catch (e) {
      send({ call: m.call, error: asError(e) });
    }
  }
  running = false;
  if (closing) {
    await model.close();
    send({ closed: true });
  }
}
