// Hybrid search speed for `npm run bench:search` (issue 12; decision 024), as `serve` runs it:
// createContainer(serving) with the built-in embeddings, so a search is the site's search —
// hybrid on the main thread (query embedding, HNSW search, fusion, highlighting), its keyword
// search and store reads on the read pool. The model is learned from the stored corpus and every
// paper embedded here, once, timed (training ≤ 120 s, ≥ 5,000 abstracts/s); then, per store:
// single-client p50/p95 and queries/s at 16 concurrent clients, hybrid end to end (query
// embedding included) beside keyword through the same path, and what a hybrid query costs the
// main thread alone. Targets: p95 ≤ 30 ms single client, ≥ 200 queries/s at 16 clients; a figure
// a third worse (p95 > 40 ms, < 133 queries/s) fails the run.
import Database from 'better-sqlite3';
import { BuiltinEmbedder } from '../dist/adapters/embedding/builtin-embedder.js';
import { ThreadedVectorIndex } from '../dist/adapters/vector-index/threaded.vector-index.js';
import { loadConfig } from '../dist/config.js';
import { createContainer } from '../dist/container.js';
import { paperText, SifModel } from '../dist/core/embedding/sif-model.js';
import { parseQuery } from '../dist/core/query.js';
import { meaningText, SEARCH_LIMITS } from '../dist/services/search.service.js';
import { IndexSemanticRetriever } from '../dist/services/semantic-retriever.js';

export const TARGETS = { p95: 30, qps: 200 };
const FAIL = { p95: (TARGETS.p95 * 4) / 3, qps: (TARGETS.qps * 2) / 3 };
const CLIENTS = 16;
const TOP = 10;

const now = () => process.hrtime.bigint();
const msSince = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The built-in model learned from the SQLite corpus, every paper embedded, the HNSW index built (in its thread, as serve has it). */
export async function buildVectors(sqliteDb) {
  const db = new Database(sqliteDb, { readonly: true });
  const rows = db.prepare('SELECT id, title, abstract FROM papers WHERE deleted = 0').all();
  db.close();
  const texts = rows.map((r) => paperText(r.title, r.abstract));
  let t = now();
  const embedder = new BuiltinEmbedder(SifModel.train(texts));
  const trainS = msSince(t) / 1000;
  t = now();
  const vectors = await embedder.embed(texts, 'document');
  const embedS = msSince(t) / 1000;
  t = now();
  // in a thread of its own, as serve holds it
  const index = await ThreadedVectorIndex.open({ kind: 'hnsw', dimensions: embedder.dimensions });
  await index.upsert(rows.map((r, i) => ({ id: r.id, vector: vectors[i] })));
  const indexS = msSince(t) / 1000;
  console.log(
    `\nBuilt-in embeddings (${embedder.dimensions} dims) on ${rows.length} papers: training ${trainS.toFixed(1)} s (target ≤ 120), ` +
      `embedding ${(rows.length / embedS).toFixed(0)} abstracts/s (target ≥ 5,000), HNSW built in ${indexS.toFixed(1)} s`,
  );
  const failures = [];
  if (trainS > 120 * (4 / 3)) failures.push(`training took ${trainS.toFixed(1)} s (target ≤ 120 s)`);
  if (rows.length / embedS < 5000 * (2 / 3)) failures.push(`embedding ran at ${(rows.length / embedS).toFixed(0)} abstracts/s (target ≥ 5,000)`);
  return { retriever: new IndexSemanticRetriever(embedder, index), close: () => index.close(), failures };
}

async function sequential(queries, run) {
  for (const q of queries) await run(q); // warm-up: pages, workers, the query vectors' code paths
  const ms = [];
  const started = now();
  for (const q of queries) {
    const t = now();
    await run(q);
    ms.push(msSince(t));
  }
  const seconds = msSince(started) / 1000;
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50), p95: pct(ms, 95), qps: queries.length / seconds };
}

/**
 * Queries/s with `clients` requests in flight at every moment, each query twice, after one pass
 * at that concurrency unmeasured: the steady state of a site under load, its connection pools
 * grown to it (a first burst opens each worker's PostgreSQL connections).
 */
async function concurrent(queries, run, clients) {
  const pass = async (work) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < work.length) await run(work[next++]);
      }),
    );
  };
  await pass(queries);
  const work = [...queries, ...queries];
  const started = now();
  await pass(work);
  return work.length / (msSince(started) / 1000);
}

const fmt = (label, m, qps) =>
  `  ${label.padEnd(40)}p50 ${m.p50.toFixed(2).padStart(7)} ms   p95 ${m.p95.toFixed(2).padStart(7)} ms   ${m.qps.toFixed(0).padStart(5)} q/s 1 client   ${qps.toFixed(0).padStart(5)} q/s ${CLIENTS} clients`;

/** Hybrid and keyword search as `serve` runs them, on one store; returns the failures. */
export async function modesBench(label, db, queries, retriever) {
  const config = loadConfig({ PAPERBOY_DEMO_DATA: 'false', PAPERBOY_PAGES_AHEAD: 'false' });
  const c = await createContainer(config, { db, serving: true, semantic: retriever });
  const failures = [];
  try {
    const site = c.site.search;
    const run = (mode) => (q) => site.search({ q, mode, limit: TOP });
    const hybrid = await sequential(queries, run('hybrid'));
    const hybridQps = await concurrent(queries, run('hybrid'), CLIENTS);
    const keyword = await sequential(queries, run('keyword'));
    const keywordQps = await concurrent(queries, run('keyword'), CLIENTS);
    // the main thread's share of a hybrid query: embedding the query and the vector search (at
    // the depth a hybrid search asks first), fusion and highlighting aside
    const k = SEARCH_LIMITS.meaningDepth * 1.25;
    const main = await sequential(queries, (q) => retriever.search(meaningText(parseQuery(q)), k));
    console.log(`\n${label}: search as serve runs it (read pool of ${c.site.pool?.size ?? '?'} workers; top ${TOP})`);
    console.log(fmt('hybrid, end to end (query embedded)', hybrid, hybridQps));
    console.log(fmt('keyword, end to end', keyword, keywordQps));
    console.log(`  hybrid / keyword: p95 ${(hybrid.p95 / keyword.p95).toFixed(2)}×, ${CLIENTS}-client throughput ${(hybridQps / keywordQps).toFixed(2)}×`);
    console.log(`  main thread per hybrid query (embed + HNSW, k ${k}): p50 ${main.p50.toFixed(2)} ms, p95 ${main.p95.toFixed(2)} ms`);
    console.log(`  targets: hybrid p95 ≤ ${TARGETS.p95} ms, ≥ ${TARGETS.qps} queries/s at ${CLIENTS} clients`);
    if (hybrid.p95 > FAIL.p95) failures.push(`${label}: hybrid p95 ${hybrid.p95.toFixed(1)} ms (target ≤ ${TARGETS.p95} ms)`);
    if (hybridQps < FAIL.qps) failures.push(`${label}: hybrid ${hybridQps.toFixed(0)} queries/s at ${CLIENTS} clients (target ≥ ${TARGETS.qps})`);
  } finally {
    await c.close();
  }
  return failures;
}
