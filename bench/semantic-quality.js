// Quality of the similar papers and of the alert floor from the built-in embeddings (decision
// 025), on the 74,728-paper corpus, after `npm run build`: `node bench/semantic-quality.js`.
//
// Similar papers: the proxy of decision 007, the share of a paper's first six listed papers that
// share its primary arXiv category, on every 70th paper, for the lexical lists (007's
// signatures), the vectors' nearest neighbours, and the two fused by reciprocal rank.
// Alert floor: the cosine of a paper's title (as a topic) with its own paper (what an on-topic
// alert reaches), against the cosine of SciFact's biomedical claims with their nearest paper in
// this cs corpus (a topic with nothing in the store: what a floor must keep out).
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { SifModel } from '../dist/core/embedding/sif-model.js';
import { RelatedGraph, signature } from '../dist/core/related.js';
import { terms } from '../dist/core/tokenize.js';
import { ExactVectorIndex } from '../dist/adapters/vector-index/exact.vector-index.js';

const CORPUS = new URL('../../shared/data/arxiv/arxiv-cs-2025-2026.kaggle.jsonl.gz', import.meta.url).pathname;
const SCIFACT = new URL('../../shared/eval/scifact/queries.jsonl', import.meta.url).pathname;
const EVERY = 70;
const TOP = 6;

const papers = [];
const rl = createInterface({ input: createReadStream(CORPUS).pipe(createGunzip()), crlfDelay: Infinity });
for await (const line of rl) {
  const r = JSON.parse(line);
  papers.push({ id: r.id, title: r.title ?? '', abstract: r.abstract ?? '', cat: (r.categories ?? '').split(' ')[0] });
}
papers.sort((a, b) => (a.id < b.id ? -1 : 1));
const text = (p) => `${p.title.trim()}.\n${p.abstract.trim()}`;
console.log(`${papers.length} papers`);

// SKIP_RELATED=1 measures the alert floor only
const related = !process.env.SKIP_RELATED;

// lexical lists (decision 007), document frequencies from the same tokenizer
let t0 = Date.now();
const graph = new RelatedGraph();
if (related) {
  const df = new Map();
  for (const p of papers) for (const s of new Set(terms(`${p.title} ${p.abstract}`))) df.set(s, (df.get(s) ?? 0) + 1);
  const stats = { papers: papers.length, df };
  for (const p of papers) graph.add(p.id, signature(p.title, p.abstract, stats));
  graph.seal();
  console.log(`lexical signatures in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

t0 = Date.now();
// MODEL_CACHE=<file>: train once, reuse on the next runs
const cache = process.env.MODEL_CACHE;
const model = cache && existsSync(cache) ? SifModel.fromBuffer(readFileSync(cache)) : SifModel.train(papers.map(text));
if (cache && !existsSync(cache)) writeFileSync(cache, model.toBuffer());
console.log(`built-in model trained in ${((Date.now() - t0) / 1000).toFixed(1)} s (${model.dimensions} dims)`);
t0 = Date.now();
const index = await ExactVectorIndex.open({ dimensions: model.dimensions });
const vectors = papers.map((p) => model.embed(text(p)));
await index.upsert(papers.map((p, i) => ({ id: p.id, vector: vectors[i] })));
console.log(`embedded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

if (related) {
const catOf = new Map(papers.map((p) => [p.id, p.cat]));
const share = (id, list) => list.slice(0, TOP).filter((x) => catOf.get(x) === catOf.get(id)).length / TOP;
const sums = { lexical: 0, vectors: 0, rrf: 0, rrfVectorsFirst: 0 };
let n = 0;
for (let i = 0; i < papers.length; i += EVERY) {
  const id = papers[i].id;
  const lex = graph.nearest(i, 20).map((h) => graph.id(h.index));
  const vec = (await index.search(vectors[i], 21)).filter((h) => h.id !== id).map((h) => h.id);
  const rrf = (wLex, wVec) => {
    const s = new Map();
    lex.forEach((x, r) => s.set(x, (s.get(x) ?? 0) + wLex / (60 + r)));
    vec.forEach((x, r) => s.set(x, (s.get(x) ?? 0) + wVec / (60 + r)));
    return [...s.entries()].sort((a, b) => b[1] - a[1]).map(([x]) => x);
  };
  sums.lexical += share(id, lex);
  sums.vectors += share(id, vec);
  sums.rrf += share(id, rrf(1, 1));
  sums.rrfVectorsFirst += share(id, rrf(1, 2));
  n++;
}
console.log(`similar papers, share of the first ${TOP} in the paper's primary category (${n} papers):`);
for (const [k, v] of Object.entries(sums)) console.log(`  ${k.padEnd(16)} ${(v / n).toFixed(3)}`);

}

// the alert floor
const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
const onTopic = [];
const onGap = [];
for (let i = 0; i < papers.length; i += EVERY) {
  const q = model.embed(papers[i].title);
  onTopic.push(dot(q, vectors[i]));
  const hits = await index.search(q, 50);
  onGap.push(dot(q, vectors[i]) - hits[49].score);
}
const claims = readFileSync(SCIFACT, 'utf8').trim().split('\n').map((l) => JSON.parse(l).text);
const noise = [];
const noiseGap = [];
for (const c of claims) {
  const v = model.embed(c);
  if (v.every((x) => x === 0)) continue;
  const hits = await index.search(v, 50);
  noise.push(hits[0].score);
  noiseGap.push(hits[0].score - hits[49].score);
}
// a period with nothing on the topic: 1,000 papers sharing no category with the title's paper
// (seeded); its nearest is what an alert would send without a floor
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const cats = papers.map((p) => p.cat);
const periodNoise = [];
for (let i = 0; i < papers.length; i += EVERY) {
  const q = model.embed(papers[i].title);
  let best = -1;
  for (let picked = 0; picked < 1000; ) {
    const j = Math.floor(rand() * papers.length);
    if (cats[j] === cats[i]) continue;
    picked++;
    best = Math.max(best, dot(q, vectors[j]));
  }
  periodNoise.push(best);
}
console.log(`a title against a 1,000-paper period of other categories, its nearest (${periodNoise.length}): p50 ${pct(periodNoise, 0.5).toFixed(3)} p90 ${pct(periodNoise, 0.9).toFixed(3)} p95 ${pct(periodNoise, 0.95).toFixed(3)}`);
for (const floor of [0.5, 0.55, 0.6, 0.65, 0.7]) console.log(`  floor ${floor.toFixed(2)}: on-topic kept ${(onTopic.filter((x) => x >= floor).length / onTopic.length).toFixed(3)}, other-category nearest let through ${(periodNoise.filter((x) => x >= floor).length / periodNoise.length).toFixed(3)}`);
console.log(`margin over the 50th nearest: on-topic p5 ${pct(onGap, 0.05).toFixed(3)} p10 ${pct(onGap, 0.1).toFixed(3)} p50 ${pct(onGap, 0.5).toFixed(3)}; off-topic p50 ${pct(noiseGap, 0.5).toFixed(3)} p90 ${pct(noiseGap, 0.9).toFixed(3)} p95 ${pct(noiseGap, 0.95).toFixed(3)}`);
for (const m of [0.05, 0.1, 0.15, 0.2]) console.log(`  margin ${m}: on-topic kept ${(onGap.filter((x) => x >= m).length / onGap.length).toFixed(3)}, off-topic let through ${(noiseGap.filter((x) => x >= m).length / noiseGap.length).toFixed(3)}`);
const f = (x) => x.toFixed(3);
console.log(`alert floor: a title with its own paper (${onTopic.length}): p5 ${f(pct(onTopic, 0.05))} p10 ${f(pct(onTopic, 0.1))} p50 ${f(pct(onTopic, 0.5))}`);
console.log(`             a biomedical claim with its nearest cs paper (${noise.length}): p50 ${f(pct(noise, 0.5))} p90 ${f(pct(noise, 0.9))} p95 ${f(pct(noise, 0.95))} max ${f(Math.max(...noise))}`);
for (const floor of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]) {
  const kept = onTopic.filter((x) => x >= floor).length / onTopic.length;
  const leaked = noise.filter((x) => x >= floor).length / noise.length;
  console.log(`  floor ${floor.toFixed(2)}: on-topic kept ${f(kept)}, off-topic let through ${f(leaked)}`);
}
