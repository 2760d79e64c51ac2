// `npm run bench:embedders`: what the model embedders (issue 12, decision 022) add around the model.
//   - ONNX: 3,000 SciFact abstracts (title + text) through the ONNX embedder (worker thread,
//     tokenizer, truncation to 256 tokens, batches, pooling) over the tiny 384-d model the tests
//     build (test/support/tiny-onnx-model.ts, no weights can be downloaded here), beside the peer:
//     the same MiniLM tokenizer alone on this thread. Ratio target ≥ 0.4 (the tiny model's own
//     work is a lookup: everything else is ours). PAPERBOY_BENCH_ONNX_MODEL=<folder> also times a
//     real model (no target: its inference is the figure).
//   - OpenAI-compatible: the same abstracts through the OpenAI embedder (batches of 64) against a
//     loopback server computing vectors from the words, beside the peer: the same batches posted
//     with bare fetch. Ratio target ≥ 0.8.
// Exit 1 when a ratio misses its target by a third. Prints the load average: on a shared
// machine the figures are indicative.
/* global performance, fetch -- Node 20's, which the lint config's globals for .js files don't list */
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Tokenizer } from '@huggingface/tokenizers';
import { OnnxEmbedder } from '../dist/adapters/embedding/onnx.embedder.js';
import { OpenAiEmbedder } from '../dist/adapters/embedding/openai.embedder.js';
import { out, root } from './corpus.js';

const N = 3000;
const TARGET = { onnxRatio: 0.4, openaiRatio: 0.8 };
let failed = false;
const check = (name, value, target) => {
  const ok = value >= target * (2 / 3);
  if (!ok) failed = true;
  console.log(`  ${name}: ${value.toFixed(2)} (target ≥ ${target}${ok ? '' : `; FAIL: below ${(target * (2 / 3)).toFixed(2)}`})`);
};
const rate = (n, ms) => Math.round(n / (ms / 1000));

const texts = readFileSync(join(root, '..', 'shared', 'eval', 'scifact', 'corpus.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .slice(0, N)
  .map((l) => {
    const j = JSON.parse(l);
    return `${j.title}. ${j.text}`;
  });
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${N} SciFact abstracts)`);

// the test's model writer, TypeScript, made runnable here (it finds ../shared from bench/out as from test/support)
await build({ entryPoints: [join(root, 'test', 'support', 'tiny-onnx-model.ts')], outfile: join(out, 'tiny-onnx-model.mjs'), platform: 'node', format: 'esm', logLevel: 'warning' });
const { writeTinyModel, TOKENIZER_DIR } = await import(join(out, 'tiny-onnx-model.mjs'));
const modelDir = join(tmpdir(), `paperboy-bench-onnx-${process.pid}`);
const { dir } = writeTinyModel(modelDir, { dimensions: 384, maxSeqLength: 256 });

console.log('ONNX embedder');
const tok = new Tokenizer(JSON.parse(readFileSync(join(TOKENIZER_DIR, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(TOKENIZER_DIR, 'tokenizer_config.json'), 'utf8')));
let t = performance.now();
for (const x of texts) tok.encode(x);
const tokMs = performance.now() - t;
console.log(`  peer, the MiniLM tokenizer alone: ${rate(N, tokMs)} abstracts/s`);
async function timeOnnx(folder) {
  const e = await OnnxEmbedder.create({ folder });
  await e.embed(texts.slice(0, 64), 'document'); // warm
  const started = performance.now();
  for (let i = 0; i < texts.length; i += 256) await e.embed(texts.slice(i, i + 256), 'document');
  const ms = performance.now() - started;
  await e.close();
  return ms;
}
const onnxMs = await timeOnnx(dir);
console.log(`  tiny model (384-d, 256 tokens, worker thread): ${rate(N, onnxMs)} abstracts/s`);
check('ratio to the tokenizer alone', tokMs / onnxMs, TARGET.onnxRatio);
if (process.env.PAPERBOY_BENCH_ONNX_MODEL) {
  const ms = await timeOnnx(process.env.PAPERBOY_BENCH_ONNX_MODEL);
  console.log(`  ${process.env.PAPERBOY_BENCH_ONNX_MODEL}: ${rate(N, ms)} abstracts/s`);
}
rmSync(modelDir, { recursive: true, force: true });

console.log('OpenAI-compatible embedder (loopback server)');
const DIMS = 384;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const { input } = JSON.parse(body);
    const data = input.map((text, index) => {
      const v = new Array(DIMS).fill(0);
      for (const w of text.split(/\W+/)) for (let i = 0; i < w.length; i++) v[(w.charCodeAt(i) * 31 + i) % DIMS] += 1;
      return { index, embedding: v };
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}`;
t = performance.now();
for (let i = 0; i < texts.length; i += 64) {
  const res = await fetch(`${url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', input: texts.slice(i, i + 64) }) });
  await res.json();
}
const rawMs = performance.now() - t;
console.log(`  peer, bare fetch of the same batches: ${rate(N, rawMs)} texts/s`);
const e = await OpenAiEmbedder.create({ url, model: 'm', dimensions: DIMS });
t = performance.now();
await e.embed(texts, 'document');
const oaMs = performance.now() - t;
await e.close();
server.close();
console.log(`  OpenAI embedder (batches of 64, checked, unit length): ${rate(N, oaMs)} texts/s`);
check('ratio to bare fetch', rawMs / oaMs, TARGET.openaiRatio);
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
if (failed) {
  console.error('bench:embedders: a figure is a third below its target');
  process.exit(1);
}
