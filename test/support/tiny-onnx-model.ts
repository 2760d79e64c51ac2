/**
 * A tiny sentence-transformer in ONNX form, built by the test itself (no weights can be
 * downloaded here): an embedding table over the real all-MiniLM-L6-v2 vocabulary (30,522
 * tokens, ../shared/models/all-MiniLM-L6-v2-tokenizer), looked up by a Gather of input_ids and
 * given out as last_hidden_state [batch, sequence, dimensions], so that the real tokenizer, the
 * padding, the attention mask and the pooling all run as they would on MiniLM. The table is
 * pseudo-random from a seed: each token its own direction.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const TOKENIZER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'models', 'all-MiniLM-L6-v2-tokenizer');
export const VOCAB_SIZE = 30522;

export interface TinyModelOptions {
  dimensions?: number;
  seed?: number;
  /** where the .onnx file goes, inside the folder (default model.onnx) */
  modelPath?: string;
  /** written as 1_Pooling/config.json */
  pooling?: 'mean' | 'cls';
  /** written as sentence_bert_config.json */
  maxSeqLength?: number;
}

/** Writes a model folder at `dir` (created); returns it and the embedding table ([token × dimensions]). */
export function writeTinyModel(dir: string, o: TinyModelOptions = {}): { dir: string; table: Float32Array; dimensions: number } {
  const dims = o.dimensions ?? 16;
  const table = new Float32Array(VOCAB_SIZE * dims);
  let s = o.seed ?? 12;
  for (let i = 0; i < table.length; i++) {
    // mulberry32
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    table[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  const dyn = (name: string) => ({ dimParam: name });
  const input = (name: string) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [dyn('batch'), dyn('sequence')] } } },
    });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'paperboy-test',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny-sentence-transformer',
      node: [{ opType: 'Gather', input: ['embeddings', 'input_ids'], output: ['last_hidden_state'], attribute: [{ name: 'axis', i: 0, type: onnx.AttributeProto.AttributeType.INT }] }],
      initializer: [
        {
          name: 'embeddings',
          dims: [VOCAB_SIZE, dims],
          dataType: onnx.TensorProto.DataType.FLOAT,
          rawData: new Uint8Array(table.buffer),
        },
      ],
      input: [input('input_ids'), input('attention_mask'), input('token_type_ids')],
      output: [
        onnx.ValueInfoProto.create({
          name: 'last_hidden_state',
          type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [dyn('batch'), dyn('sequence'), { dimValue: dims }] } } },
        }),
      ],
    },
  });
  const modelFile = join(dir, o.modelPath ?? 'model.onnx');
  mkdirSync(dirname(modelFile), { recursive: true });
  writeFileSync(modelFile, onnx.ModelProto.encode(model).finish());
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'config.json', 'special_tokens_map.json']) copyFileSync(join(TOKENIZER_DIR, f), join(dir, f));
  if (o.pooling) {
    mkdirSync(join(dir, '1_Pooling'), { recursive: true });
    writeFileSync(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ word_embedding_dimension: dims, pooling_mode_cls_token: o.pooling === 'cls', pooling_mode_mean_tokens: o.pooling === 'mean' }));
  }
  if (o.maxSeqLength) writeFileSync(join(dir, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: o.maxSeqLength, do_lower_case: false }));
  return { dir, table, dimensions: dims };
}
