// `npm run bench:embed`: the built-in embeddings (issue 12, decision 021) on the 74,728-paper
// corpus (../shared/data/arxiv): training time (target ≤ 120 s) and embedding throughput
// (target ≥ 5,000 abstracts/s, one thread), each phase timed. Fails loudly when a figure is a
// third worse than its target. The model is written to bench/out/builtin.bin (for other benches).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { BuiltinEmbedder } from '../dist/adapters/embedding/builtin-embedder.js';
import { paperText, SifModel } from '../dist/core/embedding/sif-model.js';
import { out, root } from './corpus.js';

const CORPUS = join(root, '..', 'shared', 'data', 'arxiv', 'arxiv-cs-2025-2026.kaggle.jsonl.gz');
const TRAIN_TARGET_S = 120;
const EMBED_TARGET = 5_000;
const SLACK = 4 / 3;

const texts = [];
const lines = createInterface({ input: createReadStream(CORPUS).pipe(createGunzip()), crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const r = JSON.parse(line);
  texts.push(paperText(r.title ?? null, r.abstract ?? null));
}
console.log(`built-in embeddings on ${texts.length} papers (load ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);

const phases = new Map();
let phase = null;
let phaseStart = 0;
const started = performance.now();
const cpuStart = process.cpuUsage();
const model = SifModel.train(texts, {
  onProgress: (p) => {
    if (p === phase) return;
    const now = performance.now();
    if (phase) phases.set(phase, now - phaseStart);
    phase = p;
    phaseStart = now;
  },
});
const trainMs = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
phases.set(phase, performance.now() - phaseStart);
const embedder = new BuiltinEmbedder(model);
console.log(`training: ${(trainMs / 1000).toFixed(1)} s (target ≤ ${TRAIN_TARGET_S} s; ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU, what a load-free core would take): ${model.vocabularySize} terms, ${model.dimensions} dimensions, id ${embedder.id}`);
console.log(`  tokenising + vocabulary ${((trainMs - [...phases.values()].reduce((a, b) => a + b, 0)) / 1000).toFixed(1)} s, ${[...phases].map(([p, ms]) => `${p} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);

// embedding: every paper, in batches as a re-embed would
const t0 = performance.now();
let checksum = 0;
for (let i = 0; i < texts.length; i += 1000) {
  const vs = await embedder.embed(texts.slice(i, i + 1000), 'document');
  for (const v of vs) checksum += v[0];
}
const embedS = (performance.now() - t0) / 1000;
const rate = texts.length / embedS;
console.log(`embedding: ${Math.round(rate)} abstracts/s (target ≥ ${EMBED_TARGET}), ${embedS.toFixed(1)} s for all (checksum ${checksum.toFixed(3)})`);

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'builtin.bin'), embedder.toBuffer());

const failures = [];
if (trainMs / 1000 > TRAIN_TARGET_S * SLACK) failures.push(`training took ${(trainMs / 1000).toFixed(1)} s, a third over the ${TRAIN_TARGET_S} s target`);
if (rate < EMBED_TARGET / SLACK) failures.push(`embedding ran at ${Math.round(rate)} abstracts/s, a third under the ${EMBED_TARGET}/s target`);
if (failures.length > 0) {
  console.error(`\nFAIL: ${failures.join('; ')}\n`);
  process.exitCode = 1;
}
