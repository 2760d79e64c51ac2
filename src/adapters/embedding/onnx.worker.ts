/**
 * The ONNX embedder's thread: loads the model (onnx-model.ts), then embeds one call at a time
 * (one intra-op thread: a core's worth of work). Each answer's vectors are one transferred buffer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PaperboyError } from '../../core/errors.js';
import { OnnxModel } from './onnx-model.js';
import type { FromWorker, ToWorker, WorkerSetup } from './onnx-protocol.js';

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

let queue: Promise<void> = Promise.resolve();
port.on('message', (m: ToWorker) => {
  queue = queue.then(async () => {
    if ('close' in m) {
      await model.close();
      send({ closed: true });
      return;
    }
    try {
      const vs = await model.embed(m.texts, m.kind);
      const d = model.description.dimensions;
      const flat = new Float32Array(vs.length * d);
      vs.forEach((v, i) => flat.set(v, i * d));
      send({ call: m.call, vectors: flat }, [flat.buffer]);
    } catch (e) {
      send({ call: m.call, error: asError(e) });
    }
  });
});
