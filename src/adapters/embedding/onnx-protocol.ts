/** Messages between the ONNX embedder (onnx.embedder.ts) and its worker thread (onnx.worker.ts). */
import type { EmbedKind } from '../../ports/embedder.js';
import type { ModelDescription, OnnxModelOptions } from './onnx-model.js';

export type WorkerSetup = OnnxModelOptions;

export type ToWorker = { call: number; texts: readonly string[]; kind: EmbedKind } | { close: true };

export type FromWorker =
  | { ready: ModelDescription }
  | { failed: { code: string; message: string } }
  /** the vectors one after another, dimensions numbers each (the buffer is transferred) */
  | { call: number; vectors: Float32Array }
  | { call: number; error: { code: string; message: string } }
  | { closed: true };
