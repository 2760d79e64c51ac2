/**
 * A sentence-transformer exported to ONNX, run with onnxruntime-node and tokenised with
 * @huggingface/tokenizers, from a model folder as the Hugging Face hub holds it (model.onnx or
 * onnx/model.onnx, tokenizer.json, config.json, and where there are, tokenizer_config.json,
 * sentence_bert_config.json and 1_Pooling/config.json). This module runs on the embedder's worker
 * thread (onnx.worker.ts), never on serve's main thread: tokenising and inference cost what the
 * texts choose.
 *
 * Each text: its kind's prefix, cut at maxLength × 100 characters (a WordPiece token covers at
 * most 100, so nothing the model would read is lost, and a megabyte of text costs no more than
 * its first pages), tokenised, cut to the model's maximum length keeping the closing special
 * token; texts of similar length batched together (less padding); then the token vectors pooled
 * (mean over the attention mask, or the [CLS] vector for bge and wherever 1_Pooling says so) and
 * made unit length. A blank text is the zero vector and never reaches the model.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PaperboyError } from '../../core/errors.js';
import type { Tokenizer as TokenizerClass } from '@huggingface/tokenizers';
import type * as Ort from 'onnxruntime-node';
import type { EmbedKind } from '../../ports/embedder.js';
import { isBlank, normalize, prefixed, prefixesTag, type Prefixes } from './vectors.js';

export type Pooling = 'mean' | 'cls';

export interface OnnxModelOptions {
  /** the model folder */
  folder: string;
  /** what the id calls the model (a hub id such as BAAI/bge-small-en-v1.5); default the folder's name */
  name?: string;
  /** '' keeps the model's own prefix (bge's query instruction; none for the others) */
  queryPrefix?: string;
  documentPrefix?: string;
  /** texts per inference run (default 32) */
  batchSize?: number;
}

export interface ModelDescription {
  id: string;
  dimensions: number;
  maxLength: number;
  pooling: Pooling;
  prefixes: Prefixes;
  modelFile: string;
}

/** bge's English models are trained with this instruction before queries (and nothing before passages). */
export const BGE_QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';

/** Where a folder's ONNX file is: model.onnx, or onnx/model.onnx as Optimum and Xenova export it. */
export function modelFileIn(folder: string): string | null {
  for (const f of ['model.onnx', join('onnx', 'model.onnx')]) if (existsSync(join(folder, f))) return join(folder, f);
  return null;
}

function readJson(folder: string, file: string, required: boolean): Record<string, unknown> | null {
  const path = join(folder, file);
  if (!existsSync(path)) {
    if (required) throw new PaperboyError('CONFIG_INVALID', `ONNX model ${folder}: no ${file} (a sentence-transformer folder holds model.onnx or onnx/model.onnx, tokenizer.json and config.json)`);
    return null;
  }
  try {
    const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new PaperboyError('CONFIG_INVALID', `ONNX model ${folder}: ${file} is unreadable: ${(e as Error).message}`);
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

interface Tok {
  encode(text: string): { ids: number[] };
}

export class OnnxModel {
  private constructor(
    readonly description: ModelDescription,
    private readonly session: Ort.InferenceSession,
    private readonly ort: typeof Ort,
    private readonly tokenizer: Tok,
    private readonly batchSize: number,
    private readonly output: string,
  ) {}

  static async load(o: OnnxModelOptions): Promise<OnnxModel> {
    const folder = o.folder;
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new PaperboyError('CONFIG_INVALID', `ONNX model ${folder}: no such folder`);
    const modelFile = modelFileIn(folder);
    if (!modelFile) throw new PaperboyError('CONFIG_INVALID', `ONNX model ${folder}: neither model.onnx nor onnx/model.onnx is there`);
    const tokenizerJson = readJson(folder, 'tokenizer.json', true)!;
    const tokenizerConfig = readJson(folder, 'tokenizer_config.json', false) ?? {};
    const config = readJson(folder, 'config.json', true)!;
    const sbert = readJson(folder, 'sentence_bert_config.json', false);
    const poolingConfig = readJson(folder, join('1_Pooling', 'config.json'), false);

    const name = o.name ?? basename(folder);
    const isBge = /bge/i.test(name) || /bge/i.test(String(config._name_or_path ?? ''));
    const pooling: Pooling = poolingConfig ? (poolingConfig.pooling_mode_cls_token === true ? 'cls' : 'mean') : isBge ? 'cls' : 'mean';
    const lengths = [num(sbert?.max_seq_length), num(tokenizerConfig.model_max_length), num(config.max_position_embeddings)].filter(
      (n): n is number => n !== null && n <= 100_000, // tokenizer_config's "no limit" is 1e30
    );
    const maxLength = lengths.length > 0 ? Math.min(...lengths) : 512;
    const defaults: Prefixes = { query: isBge ? BGE_QUERY_PREFIX : '', document: '' };
    const prefixes: Prefixes = { query: o.queryPrefix || defaults.query, document: o.documentPrefix || defaults.document };

    let ort: typeof Ort;
    let Tokenizer: typeof TokenizerClass;
    try {
      ort = await import('onnxruntime-node');
      ({ Tokenizer } = await import('@huggingface/tokenizers'));
    } catch (e) {
      throw new PaperboyError('UNSUPPORTED', `the ONNX embedder needs onnxruntime-node and @huggingface/tokenizers (npm install without --omit=optional): ${(e as Error).message}`);
    }
    let tokenizer: Tok;
    try {
      tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    } catch (e) {
      throw new PaperboyError('CONFIG_INVALID', `ONNX model ${folder}: tokenizer.json: ${(e as Error).message}`);
    }
    let session: Ort.InferenceSession;
    try {
      // one thread: the worker is one core's worth of work, the other core serves
      session = await ort.InferenceSession.create(modelFile, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
    } catch (e) {
      throw new PaperboyError('CONFIG_INVALID', `ONNX model ${modelFile}: onnxruntime cannot load it: ${(e as Error).message}`);
    }
    const unknown = session.inputNames.filter((n) => !['input_ids', 'attention_mask', 'token_type_ids'].includes(n));
    if (!session.inputNames.includes('input_ids') || unknown.length > 0)
      throw new PaperboyError('CONFIG_INVALID', `ONNX model ${modelFile}: takes ${session.inputNames.join(', ')}; a sentence-transformer takes input_ids, attention_mask and token_type_ids`);
    const output = session.outputNames.includes('last_hidden_state') ? 'last_hidden_state' : session.outputNames[0]!;
    const hash = (await sha256File(modelFile)).slice(0, 12);
    const description: ModelDescription = {
      id: `onnx:${name}:${hash}${prefixesTag(prefixes, defaults)}`,
      dimensions: 0,
      maxLength,
      pooling,
      prefixes,
      modelFile,
    };
    const model = new OnnxModel(description, session, ort, tokenizer, o.batchSize ?? 32, output);
    const [probe] = await model.run([[...model.tokens('dimension probe', 'document')]]);
    description.dimensions = probe!.length;
    return model;
  }

  /** One unit vector per text, in order; blank texts the zero vector. */
  async embed(texts: readonly string[], kind: EmbedKind): Promise<Float32Array[]> {
    const out: Float32Array[] = texts.map(() => new Float32Array(this.description.dimensions));
    const todo = texts.flatMap((t, i) => (isBlank(t) ? [] : [{ i, ids: this.tokens(t, kind) }]));
    todo.sort((a, b) => a.ids.length - b.ids.length);
    for (let start = 0; start < todo.length; start += this.batchSize) {
      const batch = todo.slice(start, start + this.batchSize);
      const vectors = await this.run(batch.map((b) => b.ids));
      batch.forEach((b, k) => (out[b.i] = vectors[k]!));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  private tokens(text: string, kind: EmbedKind): number[] {
    const max = this.description.maxLength;
    const ids = this.tokenizer.encode(prefixed(text, kind, this.description.prefixes).slice(0, max * 100)).ids;
    // keep the closing special token ([SEP], </s>) that the post-processor added
    return ids.length <= max ? ids : [...ids.slice(0, max - 1), ids[ids.length - 1]!];
  }

  /** Pads the batch to its longest, runs the model, pools each row. */
  private async run(batch: number[][]): Promise<Float32Array[]> {
    const { Tensor } = this.ort;
    const rows = batch.length;
    const cols = Math.max(...batch.map((ids) => ids.length));
    const ids = new BigInt64Array(rows * cols);
    const mask = new BigInt64Array(rows * cols);
    batch.forEach((row, r) =>
      row.forEach((id, c) => {
        ids[r * cols + c] = BigInt(id);
        mask[r * cols + c] = 1n;
      }),
    );
    const feeds: Record<string, Ort.Tensor> = { input_ids: new Tensor('int64', ids, [rows, cols]) };
    const names = this.session.inputNames;
    if (names.includes('attention_mask')) feeds.attention_mask = new Tensor('int64', mask, [rows, cols]);
    if (names.includes('token_type_ids')) feeds.token_type_ids = new Tensor('int64', new BigInt64Array(rows * cols), [rows, cols]);
    const result = await this.session.run(feeds);
    const t = result[this.output]!;
    const data = t.data as Float32Array;
    const out: Float32Array[] = [];
    if (t.dims.length === 2) {
      // already pooled (a sentence_embedding output)
      const d = t.dims[1]!;
      for (let r = 0; r < rows; r++) out.push(normalize(data.slice(r * d, (r + 1) * d)));
    } else if (t.dims.length === 3 && t.dims[1] === cols) {
      const d = t.dims[2]!;
      for (let r = 0; r < rows; r++) {
        const v = new Float32Array(d);
        const n = this.description.pooling === 'cls' ? 1 : batch[r]!.length;
        for (let c = 0; c < n; c++) {
          const at = (r * cols + c) * d;
          for (let k = 0; k < d; k++) v[k]! += data[at + k]!;
        }
        out.push(normalize(v));
      }
    } else {
      throw new PaperboyError('CONFIG_INVALID', `ONNX model ${this.description.modelFile}: output ${this.output} has shape [${t.dims.join(', ')}]; expected [batch, tokens, dimensions] or [batch, dimensions]`);
    }
    for (const v of Object.values(result)) v.dispose();
    return out;
  }
}
