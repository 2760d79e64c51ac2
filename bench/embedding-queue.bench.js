// `npm run bench:embedding-queue` (issue 14, decision 042): what the embedding job costs after a
// harvest. The 74,728-paper corpus (../shared/data/arxiv) is ingested into SQLite and PostgreSQL
// and walked once by the job; then a harvest-sized change (1,000 new papers, 500 with a new
// abstract) is ingested, and the job runs again. Printed beside it, the peer: the reads the job
// made before decision 042 to find the same work (vectorCounts twice, a walk of every paper).
// The embedder is a stand-in that costs nothing, so that only the finding and the writing are
// measured. Fails loudly when the ratio of the two loses a third of what it was when decision 042
// was made (SQLite 14.5×, PostgreSQL 3.0×, on 75k papers; it grows with the archive).
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { createGunzip } from 'node:zlib';
import { openDatabase } from '../dist/adapters/db/open-store.js';
import { EmbeddingJob } from '../dist/services/embedding-job.js';
import { out, root, serverEnv, withPostgres } from './corpus.js';

const CORPUS = join(root, '..', 'shared', 'data', 'arxiv', 'arxiv-cs-2025-2026.kaggle.jsonl.gz');
const bin = join(root, 'bin', 'paperboy.js');
const BATCH = 256;
/** A stand-in embedder: a unit vector that depends on the text's length. */
const embedder = {
  id: 'bench-queue-256',
  dimensions: 256,
  embed: async (texts) =>
    texts.map((t) => {
      const v = new Float32Array(256);
      v[t.length % 256] = 1;
      return v;
    }),
  close: async () => {},
};

mkdirSync(out, { recursive: true });
const harvestFile = join(out, 'embedding-queue-harvest.jsonl');
await writeHarvest(harvestFile);

const ingest = (file, db) => JSON.parse(execFileSync('node', [bin, 'ingest', file, '--db', db, '--json'], { env: serverEnv }).toString());
const ms = (t) => Math.round(performance.now() - t);

async function measure(label, db) {
  ingest(CORPUS, db);
  let o = await openDatabase(db, {});
  let t = performance.now();
  const first = await new EmbeddingJob(o.vectors).run(embedder, { batch: BATCH });
  const walk = ms(t);
  await o.store.close();
  const h = ingest(harvestFile, db);
  o = await openDatabase(db, {});
  // the peer: the reads a run made before decision 042 to find the same papers
  t = performance.now();
  await o.vectors.vectorCounts(embedder.id);
  const counts = ms(t);
  t = performance.now();
  let found = 0;
  for (let after = ''; ; ) {
    const page = await o.vectors.papersToEmbed(embedder.id, after, BATCH);
    found += page.length;
    if (page.length < BATCH) break;
    after = page.at(-1).id;
  }
  const scan = ms(t);
  const before = 2 * counts + scan;
  t = performance.now();
  const run = await new EmbeddingJob(o.vectors).run(embedder, { batch: BATCH });
  const after = ms(t);
  t = performance.now();
  const idle = await new EmbeddingJob(o.vectors).run(embedder, { batch: BATCH });
  const nothing = ms(t);
  await o.store.close();
  if (run.embedded !== h.new + h.updated || !run.complete || idle.embedded !== 0) throw new Error(`${label}: the run after the harvest embedded ${run.embedded} of ${h.new + h.updated}`);
  console.log(`\n${label}: ${first.embedded} papers, first run (the walk) ${(walk / 1000).toFixed(1)} s`);
  console.log(`  harvest ingested: ${h.new} new, ${h.updated} updated`);
  console.log(`  before decision 042, finding them: vectorCounts ${counts} ms × 2 + a walk of every paper ${scan} ms (${found} found) = ${before} ms`);
  console.log(`  the run after the harvest (queue, ${run.embedded} embedded and stored): ${after} ms — ${(before / Math.max(after, 1)).toFixed(1)}× less`);
  console.log(`  a run with nothing changed: ${nothing} ms`);
  return { label, before, after };
}

/** The ratio (reads before / run now) measured with decision 042; a third less fails the bench. */
const BASELINE = { SQLite: 14.5, PostgreSQL: 3.0 };
const results = [];
const sqlite = join(out, 'embedding-queue.db');
for (const f of [sqlite, `${sqlite}-wal`, `${sqlite}-shm`]) rmSync(f, { force: true });
results.push(await measure('SQLite', sqlite));
const pgResult = await withPostgres((url) => measure('PostgreSQL', url), process.env.PAPERBOY_BENCH_QUEUE_POSTGRES_URL ?? `postgres://postgres@127.0.0.1:5432/paperboy_queuebench_${process.pid}`);
if (pgResult) results.push(pgResult);
rmSync(harvestFile, { force: true });

const loud = results.filter((r) => r.before / Math.max(r.after, 1) < (BASELINE[r.label] * 2) / 3);
if (loud.length > 0) {
  const said = loud.map((r) => `${r.label} ${(r.before / Math.max(r.after, 1)).toFixed(1)}× (was ${BASELINE[r.label]}×)`).join('; ');
  console.error(`\nFAILED: the run after a harvest lost a third of its lead over the archive walk it replaces: ${said}`);
  process.exit(1);
}

/** 1,000 papers of the corpus renumbered as new, and 500 with a sentence added to their abstract. */
async function writeHarvest(file) {
  const lines = createInterface({ input: createReadStream(CORPUS).pipe(createGunzip()), crlfDelay: Infinity });
  const records = [];
  for await (const line of lines) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    const i = records.length;
    if (i < 1000) records.push({ ...r, id: `2612.${String(90000 + i).padStart(5, '0')}` });
    else records.push({ ...r, abstract: `${r.abstract} We also release the code.` });
    if (records.length === 1500) break;
  }
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
