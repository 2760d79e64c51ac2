// `npm run bench:ingest`: the ingest speed and memory targets of issue 2, on SQLite and PostgreSQL.
//   1. the 74,728-paper corpus (../shared/data/arxiv) into an empty store: papers/s
//   2. the same file again, unchanged: papers/s and the speed-up over 1.
//   3. a 1,000,000-paper stream made from the corpus by renumbering ids: papers/s and peak RSS.
// PostgreSQL runs against PAPERBOY_BENCH_POSTGRES_URL (default: a `paperboy_bench` database on
// the local server, created and dropped here); set it to "skip" to bench SQLite only.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'data', 'arxiv', 'arxiv-cs-2025-2026.kaggle.jsonl.gz');
const out = join(root, 'bench', 'out');
const million = join(out, 'million.jsonl');
const CORPUS_PAPERS = 74_728;
const MILLION = 1_000_000;

function runCli(args) {
  const r = spawnSync(process.execPath, [join(root, 'bench', 'run-cli.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, PAPERBOY_DEMO_DATA: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = r.stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line || r.status !== 0) throw new Error(`paperboy ${args.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return { ...JSON.parse(line.slice(6)), summary: JSON.parse(r.stdout.trim().split('\n').pop()) };
}

/** Writes 1,000,000 real records, the corpus over and over, paper n renumbered to 30MM.NNNNN (unused ids). */
async function makeMillion() {
  if (existsSync(million)) return;
  process.stderr.write('generating the 1,000,000-paper stream…\n');
  const lines = [];
  for await (const line of createInterface({ input: createReadStream(corpus).pipe(createGunzip()) })) lines.push(line);
  const w = createWriteStream(million);
  for (let n = 0; n < MILLION; n++) {
    const line = lines[n % lines.length];
    const month = String(Math.floor(n / 90_000) + 1).padStart(2, '0');
    const renumbered = line.replace(/^\{\s*"id"\s*:\s*"[^"]+"/, `{"id": "30${month}.${10_000 + (n % 90_000)}"`);
    if (renumbered === line) throw new Error(`no id to renumber at the start of line ${n % lines.length + 1}`);
    if (!w.write(renumbered + '\n')) await once(w, 'drain');
  }
  w.end();
  await once(w, 'finish');
}

function bench(label, db) {
  const rows = [];
  const first = runCli(['ingest', corpus, '--db', db, '--json']);
  if (first.summary.new !== CORPUS_PAPERS) throw new Error(`expected ${CORPUS_PAPERS} new, got ${JSON.stringify(first.summary)}`);
  const again = runCli(['ingest', corpus, '--db', db, '--json']);
  if (again.summary.unchanged !== CORPUS_PAPERS) throw new Error(`expected all unchanged, got ${JSON.stringify(again.summary)}`);
  rows.push([`${label}: corpus, first ingest`, CORPUS_PAPERS / first.seconds, first.seconds, first.maxRssMB]);
  rows.push([`${label}: corpus, unchanged re-ingest`, CORPUS_PAPERS / again.seconds, again.seconds, again.maxRssMB]);
  return { rows, speedup: first.seconds / again.seconds };
}

async function withPostgres(fn) {
  const url = process.env.PAPERBOY_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/paperboy_bench';
  if (url === 'skip') return null;
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  const name = new URL(url).pathname.slice(1);
  try {
    await admin.connect();
  } catch (e) {
    process.stderr.write(`PostgreSQL not reachable (${e.message}): skipping its figures\n`);
    return null;
  }
  const reset = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  };
  try {
    return await fn(url, reset);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function print(title, rows) {
  console.log(`\n${title}`);
  console.log('  ' + 'run'.padEnd(44) + 'papers/s'.padStart(10) + 'seconds'.padStart(10) + 'peak RSS'.padStart(12));
  for (const [label, rate, seconds, rss] of rows)
    console.log('  ' + label.padEnd(44) + Math.round(rate).toString().padStart(10) + seconds.toFixed(1).padStart(10) + `${Math.round(rss)} MB`.padStart(12));
}

mkdirSync(out, { recursive: true });
await makeMillion();

const sqliteDb = join(out, 'bench.db');
const clean = () => ['', '-wal', '-shm'].forEach((s) => rmSync(sqliteDb + s, { force: true }));
clean();
const sqlite = bench('SQLite', sqliteDb);
clean();
const m = runCli(['ingest', million, '--db', sqliteDb, '--json']);
if (m.summary.new !== MILLION) throw new Error(`expected ${MILLION} new papers, got ${JSON.stringify(m.summary)}`);
sqlite.rows.push(['SQLite: 1,000,000-paper stream', MILLION / m.seconds, m.seconds, m.maxRssMB]);
clean();
print('SQLite', sqlite.rows);
console.log(`  unchanged re-ingest is ${sqlite.speedup.toFixed(1)}x faster than the first ingest`);

await withPostgres(async (url, reset) => {
  await reset();
  const pgRes = bench('PostgreSQL', url);
  await reset();
  const pm = runCli(['ingest', million, '--db', url, '--json']);
  if (pm.summary.new !== MILLION) throw new Error(`expected ${MILLION} new papers, got ${JSON.stringify(pm.summary)}`);
  pgRes.rows.push(['PostgreSQL: 1,000,000-paper stream', MILLION / pm.seconds, pm.seconds, pm.maxRssMB]);
  print('PostgreSQL', pgRes.rows);
  console.log(`  unchanged re-ingest is ${pgRes.speedup.toFixed(1)}x faster than the first ingest`);
});
console.log('\ntargets: SQLite corpus ≥ 10,000 papers/s; 1,000,000-paper stream peak RSS ≤ 300 MB; unchanged re-ingest ≥ 3x faster');
