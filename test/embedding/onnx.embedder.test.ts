/**
 * The ONNX embedder over a tiny sentence-transformer the test builds (test/support/tiny-onnx-model.ts)
 * with the real all-MiniLM-L6-v2 tokenizer: no weights can be downloaded here. The whole path runs:
 * the worker thread, the tokenizer, truncation, padded batches, onnxruntime, pooling. Needs
 * `npm run build` (the worker runs from dist/).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { afterAll, describe, expect, it } from 'vitest';
import { BGE_QUERY_PREFIX } from '../../src/adapters/embedding/onnx-model.js';
import { OnnxEmbedder, resolveModelFolder } from '../../src/adapters/embedding/onnx.embedder.js';
import { embedderContract } from '../contracts/embedder.contract.js';
import { TOKENIZER_DIR, writeTinyModel } from '../support/tiny-onnx-model.js';

const root = mkdtempSync(join(tmpdir(), 'paperboy-onnx-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const minilm = writeTinyModel(join(root, 'tiny-minilm'), { dimensions: 16 });
// named bge: the bge query instruction; mean pooling as its 1_Pooling says (CLS of a lookup table is one vector for every text)
const bge = writeTinyModel(join(root, 'bge-tiny-en'), { dimensions: 24, seed: 7, modelPath: 'onnx/model.onnx', pooling: 'mean' });

embedderContract('onnx (tiny model, MiniLM tokenizer)', { make: () => OnnxEmbedder.create({ folder: minilm.dir, batchSize: 4 }), batchSize: 4, kindsDiffer: false });
embedderContract('onnx (tiny bge-named model, query prefix)', { make: () => OnnxEmbedder.create({ folder: bge.dir, batchSize: 4 }), batchSize: 4, kindsDiffer: true });

const TEXTS_FOR_ORDER = ['graphs', 'a much longer description of diffusion models for video', 'x'];

const tokenizer = new Tokenizer(JSON.parse(readFileSync(join(TOKENIZER_DIR, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(TOKENIZER_DIR, 'tokenizer_config.json'), 'utf8')));

/** What the model should give: the table rows of the text's tokens, averaged, unit length. */
function expected(text: string, table: Float32Array, d: number, only?: number): number[] {
  const ids = tokenizer.encode(text).ids.slice(0, only);
  const v = new Array<number>(d).fill(0);
  for (const id of ids) for (let k = 0; k < d; k++) v[k]! += table[id * d + k]!;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

describe('ONNX embedder', () => {
  it('mean-pools the token vectors of the real tokenizer, whatever the padding of the batch', async () => {
    const e = await OnnxEmbedder.create({ folder: minilm.dir, batchSize: 8 });
    const texts = ['KV cache eviction', 'Token merging in vision transformers speeds up inference on long videos', 'a'];
    const vs = await e.embed(texts, 'document');
    texts.forEach((t, i) => Array.from(vs[i]!).forEach((x, k) => expect(x).toBeCloseTo(expected(t, minilm.table, 16)[k]!, 5)));
    await e.close();
  });

  it('names the model and a hash of its file, and the prefixes when they are not the model\'s own', async () => {
    const hash = createHash('sha256').update(readFileSync(join(minilm.dir, 'model.onnx'))).digest('hex').slice(0, 12);
    const e = await OnnxEmbedder.create({ folder: minilm.dir, name: 'sentence-transformers/all-MiniLM-L6-v2' });
    expect(e.id).toBe(`onnx:sentence-transformers/all-MiniLM-L6-v2:${hash}`);
    expect(e.dimensions).toBe(16);
    expect(e.description.maxLength).toBe(512);
    await e.close();
    const p = await OnnxEmbedder.create({ folder: minilm.dir, queryPrefix: 'query: ', documentPrefix: 'passage: ' });
    expect(p.id).toMatch(new RegExp(`^onnx:tiny-minilm:${hash}\\+p[0-9a-f]{8}$`));
    const [q] = await p.embed(['graph networks'], 'query');
    Array.from(q!).forEach((x, k) => expect(x).toBeCloseTo(expected('query: graph networks', minilm.table, 16)[k]!, 5));
    await p.close();
  });

  it('puts bge\'s instruction before queries only', async () => {
    const e = await OnnxEmbedder.create({ folder: bge.dir });
    expect(e.description.prefixes).toEqual({ query: BGE_QUERY_PREFIX, document: '' });
    const [q, d] = [(await e.embed(['protein folding'], 'query'))[0]!, (await e.embed(['protein folding'], 'document'))[0]!];
    Array.from(q).forEach((x, k) => expect(x).toBeCloseTo(expected(BGE_QUERY_PREFIX + 'protein folding', bge.table, 24)[k]!, 5));
    Array.from(d).forEach((x, k) => expect(x).toBeCloseTo(expected('protein folding', bge.table, 24)[k]!, 5));
    await e.close();
  });

  it('pools the [CLS] vector where 1_Pooling says so', async () => {
    const cls = writeTinyModel(join(root, 'cls-model'), { pooling: 'cls' });
    const e = await OnnxEmbedder.create({ folder: cls.dir });
    expect(e.description.pooling).toBe('cls');
    const [a, b] = await e.embed(['one text', 'another, longer text'], 'document');
    const row = Array.from(cls.table.subarray(101 * 16, 102 * 16)); // [CLS] is token 101
    const n = Math.hypot(...row);
    Array.from(a!).forEach((x, k) => expect(x).toBeCloseTo(row[k]! / n, 5));
    expect(Array.from(b!)).toEqual(Array.from(a!));
    await e.close();
  });

  it('cuts a text at the model\'s maximum length, keeping [SEP], and a megabyte costs no more than that', async () => {
    const short = writeTinyModel(join(root, 'short-model'), { maxSeqLength: 8 });
    const e = await OnnxEmbedder.create({ folder: short.dir });
    expect(e.description.maxLength).toBe(8);
    const [a, b, huge] = await e.embed(['one two three four five six seven eight nine', 'one two three four five six different words here', 'word '.repeat(200_000)], 'document');
    expect(Array.from(a!)).toEqual(Array.from(b!));
    const ids = tokenizer.encode('one two three four five six').ids; // [CLS] + 6 words + [SEP]: 8
    expect(ids).toHaveLength(8);
    Array.from(a!).forEach((x, k) => expect(x).toBeCloseTo(expected('one two three four five six', short.table, 16)[k]!, 5));
    expect(huge!.length).toBe(16);
    await e.close();
  });

  it('answers a query sent during a long re-embedding before the documents are done', async () => {
    const e = await OnnxEmbedder.create({ folder: minilm.dir, batchSize: 4 });
    const done: string[] = [];
    const docs = e.embed(Array.from({ length: 2000 }, (_, i) => `paper number ${i} about ${TEXTS_FOR_ORDER[i % 3]}`), 'document').then((vs) => {
      done.push('documents');
      return vs;
    });
    const query = e.embed(['kv cache eviction'], 'query').then(() => done.push('query'));
    await Promise.all([docs, query]);
    expect(done).toEqual(['query', 'documents']);
    const vs = await docs;
    const [again] = await e.embed(['paper number 1999 about ' + TEXTS_FOR_ORDER[1999 % 3]], 'document');
    expect(Array.from(vs[1999]!)).toEqual(Array.from(again!)); // in order, though sent by length
    await e.close();
  });

  it('fails the calls under way, and every later one, naming the model, when its thread dies', async () => {
    const e = await OnnxEmbedder.create({ folder: minilm.dir });
    const under = e.embed(Array.from({ length: 200 }, (_, i) => `text ${i}`), 'document');
    await (e as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(under).rejects.toThrow(/ONNX embedder onnx:tiny-minilm:[0-9a-f]{12}: its thread stopped/);
    await expect(e.embed(['later'], 'query')).rejects.toThrow(/its thread stopped/);
    await e.close();
    await e.close();
  });

  it('says what is missing from a model folder', async () => {
    await expect(OnnxEmbedder.create({ folder: join(root, 'nowhere') })).rejects.toThrow(/nowhere: no such folder/);
    const broken = writeTinyModel(join(root, 'broken')).dir;
    unlinkSync(join(broken, 'tokenizer.json'));
    await expect(OnnxEmbedder.create({ folder: broken })).rejects.toThrow(/broken: no tokenizer.json/);
    const noModel = join(root, 'no-model');
    mkdirSync(noModel);
    await expect(OnnxEmbedder.create({ folder: noModel })).rejects.toThrow(/neither model.onnx nor onnx\/model.onnx/);
  });

  it('finds PAPERBOY_ONNX_MODEL as a folder, or as a hub id under the model directory', () => {
    expect(resolveModelFolder(minilm.dir, '/unused')).toEqual({ folder: minilm.dir, name: 'tiny-minilm' });
    const modelDir = join(root, 'models');
    writeTinyModel(join(modelDir, 'BAAI', 'bge-small-en-v1.5'));
    expect(resolveModelFolder('BAAI/bge-small-en-v1.5', modelDir)).toEqual({ folder: join(modelDir, 'BAAI', 'bge-small-en-v1.5'), name: 'BAAI/bge-small-en-v1.5' });
    expect(() => resolveModelFolder('thenlper/gte-small', modelDir)).toThrow(/paperboy models pull thenlper\/gte-small/);
    expect(() => resolveModelFolder('../../nowhere-at-all', modelDir)).toThrow(/not a Hugging Face id/);
  });
});
