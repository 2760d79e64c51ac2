// `npm run build && node bench/search.bench.js`: keyword search speed (issue 3) on SQLite and
// PostgreSQL with the 74,728-paper corpus of ../shared/data loaded.
//   1. `paperboy ingest` of the corpus into an empty store (its own process): seconds, papers/s;
//   2. bringing the keyword index up to date (SearchIndex.refresh): seconds;
//   3. searches through SearchService (parse, index, highlight), one at a time after a warm-up:
//      p50 / p95 / max for "language model" (target: p95 ≤ 40 ms on SQLite) and a mix of queries.
// PostgreSQL runs against PAPERBOY_BENCH_POSTGRES_URL (default: a `paperboy_search_bench`
// database on the local server, created and dropped here); "skip" benches SQLite only.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../dist/adapters/db/open-store.js';
import { SearchService } from '../dist/services/search.service.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'data', 'arxiv', 'arxiv-cs-2025-2026.kaggle.jsonl.gz');
const out = join(root, 'bench', 'out');
const RUNS = 200;
const MIX = [
  'language model',
  '"kv cache" eviction',
  'diffusion transformer video generation',
  'transform* cat:cs.CL year:2025',
  'reinforcement learning from human feedback',
  'author:bengio',
  'graph neural networks -survey',
  'retrieval augmented generation from:2025-06-01 to:2025-12-31',
];

function ingest(db) {
  const r = spawnSync(process.execPath, [join(root, 'bench', 'run-cli.js'), 'ingest', corpus, '--db', db, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, PAPERBOY_DEMO_DATA: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = r.stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line || r.status !== 0) throw new Error(`paperboy ingest failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return JSON.parse(line.slice(6)).seconds;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function timed(search, q, runs) {
  for (let i = 0; i < 10; i++) await search.search({ q, limit: 20 });
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await search.search({ q, limit: 20 });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return ms.sort((a, b) => a - b);
}

async function bench(label, db) {
  const ingestSeconds = ingest(db);
  const { store, index } = await openDatabase(db);
  await store.migrate();
  const t = process.hrtime.bigint();
  const refreshed = await index.refresh();
  const indexSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  const search = new SearchService(index);
  console.log(`\n${label}`);
  console.log(`  ingest ${ingestSeconds.toFixed(1)} s (${Math.round(74_728 / ingestSeconds)} papers/s), index ${refreshed.indexed} papers in ${indexSeconds.toFixed(1)} s`);
  console.log('  ' + 'query'.padEnd(62) + 'total'.padStart(7) + 'p50 ms'.padStart(9) + 'p95 ms'.padStart(9) + 'max ms'.padStart(9));
  for (const q of MIX) {
    const ms = await timed(search, q, q === MIX[0] ? RUNS : 50);
    const total = (await search.search({ q })).total;
    console.log('  ' + q.padEnd(62) + String(total).padStart(7) + [50, 95, 100].map((p) => pct(ms, p).toFixed(1).padStart(9)).join(''));
  }
  await store.close();
}

mkdirSync(out, { recursive: true });
const sqliteDb = join(out, 'search.db');
const clean = () => ['', '-wal', '-shm'].forEach((s) => rmSync(sqliteDb + s, { force: true }));
clean();
await bench('SQLite', sqliteDb);
clean();

const url = process.env.PAPERBOY_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/paperboy_search_bench';
if (url !== 'skip') {
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  const name = new URL(url).pathname.slice(1);
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      await bench('PostgreSQL', url);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } catch (e) {
    process.stderr.write(`PostgreSQL: ${e.message}\n`);
  } finally {
    await admin.end().catch(() => {});
  }
}
console.log('\ntarget: "language model" p95 ≤ 40 ms on SQLite (issue 3)');
