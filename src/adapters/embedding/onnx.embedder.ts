/**
 * A sentence-transformer in ONNX form (issue 12, point 2), run on a worker thread of its own
 * (onnx.worker.ts, onnx-model.ts): tokenising and inference never run on the thread that serves
 * pages. The id is onnx:<model name>:<first 12 hex digits of the model file's SHA-256>, with a
 * tag of the prefixes when they are not the model's own: a new export, a new id.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PaperboyError, type ErrorCode } from '../../core/errors.js';
import { packageRoot } from '../../package-root.js';
import type { EmbedKind, Embedder } from '../../ports/embedder.js';
import type { ModelDescription, OnnxModelOptions } from './onnx-model.js';
import type { FromWorker, ToWorker } from './onnx-protocol.js';

interface Pending {
  resolve(v: Float32Array[]): void;
  reject(e: Error): void;
}

export class OnnxEmbedder implements Embedder {
  private readonly pending = new Map<number, Pending>();
  private nextCall = 1;
  private closing: Promise<void> | null = null;
  private broken: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly description: ModelDescription,
    private readonly batchSize: number,
  ) {
    worker.on('message', (m: FromWorker) => {
      if ('call' in m) {
        const p = this.pending.get(m.call);
        this.pending.delete(m.call);
        if (!p) return;
        if ('error' in m) p.reject(new PaperboyError(m.error.code as ErrorCode, m.error.message));
        else p.resolve(split(m.vectors, description.dimensions));
      }
    });
    const fail = (why: string) => {
      this.broken ??= new PaperboyError('UNSUPPORTED', `ONNX embedder ${description.id}: ${why}`);
      for (const p of this.pending.values()) p.reject(this.broken);
      this.pending.clear();
    };
    worker.on('error', (e) => fail(`its thread failed: ${e.message}`));
    worker.on('exit', (code) => fail(`its thread stopped (exit code ${code})`));
  }

  get id(): string {
    return this.description.id;
  }

  get dimensions(): number {
    return this.description.dimensions;
  }

  /** Starts the thread and loads the model there; fails with the model folder's problem. */
  static async create(o: OnnxModelOptions): Promise<OnnxEmbedder> {
    const worker = new Worker(workerScript(), { workerData: o });
    let onMessage!: (m: FromWorker) => void, onError!: (e: Error) => void, onExit!: (code: number) => void;
    const first = await new Promise<FromWorker>((resolve, reject) => {
      onMessage = resolve;
      onError = reject;
      onExit = (code) => reject(new PaperboyError('UNSUPPORTED', `ONNX embedder: its thread stopped while loading ${o.folder} (exit code ${code})`));
      worker.once('message', onMessage).once('error', onError).once('exit', onExit);
    }).finally(() => {
      // only these: removeAllListeners() would take Worker's own, and no message would arrive again
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    });
    if ('ready' in first) return new OnnxEmbedder(worker, first.ready, o.batchSize ?? 32);
    await worker.terminate();
    if ('failed' in first) throw new PaperboyError(first.failed.code as ErrorCode, first.failed.message);
    throw new PaperboyError('UNSUPPORTED', 'ONNX embedder: its thread answered something unexpected');
  }

  embed(texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]> {
    if (this.closing) return Promise.reject(new PaperboyError('UNSUPPORTED', `ONNX embedder ${this.id}: embed() after close()`));
    if (this.broken) return Promise.reject(this.broken);
    if (texts.length === 0) return Promise.resolve([]);
    // documents a batch per call, so that a query sent meanwhile runs after this batch, not after
    // all of them; by length first (characters stand for tokens), so that a batch is little padding
    const size = kind === 'document' ? this.batchSize : texts.length;
    const order = texts.map((_, i) => i);
    if (texts.length > size) order.sort((a, b) => texts[a]!.length - texts[b]!.length);
    const out: Float32Array[] = new Array(texts.length);
    const calls: Promise<void>[] = [];
    for (let start = 0; start < order.length; start += size) {
      const at = order.slice(start, start + size);
      const call = this.nextCall++;
      calls.push(
        new Promise<Float32Array[]>((resolve, reject) => {
          this.pending.set(call, { resolve, reject });
          this.worker.postMessage({ call, texts: at.map((i) => texts[i]!), kind } satisfies ToWorker);
        }).then((vs) => at.forEach((i, k) => (out[i] = vs[k]!))),
      );
    }
    return Promise.all(calls).then(() => out);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.broken) {
        // after the calls already sent: the worker answers them first, then releases the session
        const closed = new Promise<void>((resolve) => {
          const onMessage = (m: FromWorker) => 'closed' in m && resolve();
          this.worker.on('message', onMessage);
          this.worker.once('exit', () => resolve());
        });
        this.worker.postMessage({ close: true } satisfies ToWorker);
        await closed;
      }
      this.worker.on('error', () => undefined);
      await this.worker.terminate();
    })();
    return this.closing;
  }
}

function split(flat: Float32Array, d: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < flat.length; i += d) out.push(flat.subarray(i, i + d));
  return out;
}

/** A Hugging Face model id: owner/name (or a bare name), letters, digits, '.', '_' and '-'. */
export const HUB_ID = /^(?:[A-Za-z0-9][\w.-]{0,95}\/)?[A-Za-z0-9][\w.-]{0,95}$/;

/**
 * PAPERBOY_ONNX_MODEL's folder: the folder it names when there is one, else the hub id's folder
 * under the model directory (where `paperboy models pull` puts it).
 */
export function resolveModelFolder(setting: string, modelDir: string): { folder: string; name: string } {
  const asPath = isAbsolute(setting) ? setting : resolve(setting);
  if (existsSync(asPath) && statSync(asPath).isDirectory()) return { folder: asPath, name: HUB_ID.test(setting) ? setting : (asPath.split(/[\\/]/).pop() ?? setting) };
  if (HUB_ID.test(setting) && !setting.split('/').some((p) => p === '.' || p === '..')) {
    const folder = join(modelDir, setting);
    if (existsSync(folder)) return { folder, name: setting };
    throw new PaperboyError('CONFIG_INVALID', `PAPERBOY_ONNX_MODEL=${setting}: no folder ${folder}; fetch it with \`paperboy models pull ${setting}\` on a machine with internet`);
  }
  throw new PaperboyError('CONFIG_INVALID', `PAPERBOY_ONNX_MODEL=${JSON.stringify(setting.slice(0, 300))}: no such folder, and not a Hugging Face id (owner/name)`);
}

/**
 * The worker's compiled script: beside this module in tsc's dist/; from src/ (vitest) or a
 * bundled chunk (dist/cli-chunks/), tsc's dist/, which `npm run build` makes (decision 014).
 */
function workerScript(): URL {
  const beside = new URL('./onnx.worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return pathToFileURL(join(packageRoot(import.meta.url), 'dist', 'adapters', 'embedding', 'onnx.worker.js'));
}
