// `npm run bench:web`: the web speed figures of issue 3, on SQLite and then PostgreSQL.
//   the 74,728-paper corpus (../shared/data/arxiv) and the Hugging Face days 2025-03 → 2026-06
//   (../shared/data/hf-daily-papers), stored through `paperboy ingest`, served by `paperboy serve`
//   in a child process; bench/load.js (50 keep-alive connections, browser-like requests, a 2 s
//   warm-up then 10 s) measures
//     - the daily page of the busiest weekday,
//     - paper pages shown for the first time: every request asks for a paper nobody asked for
//       before (the warm-up uses other papers); serve renders every paper page ahead of reading
//       (decision 009), and the bench waits for it to be done before measuring, so each one is
//       read from the store as rendered ahead; the run ends early if the corpus runs out of papers,
//     - the same, rendered on request: the requests carry a theme cookie, which pages are not
//       rendered ahead for, so each one is read from the store, rendered and compressed then,
//     - paper pages seen before: 5,000 papers, all already rendered once (one id would only
//       measure a cache),
//     - keyword search for "language model".
// It prints p50/p95/p99 latency and requests/s and the targets; it asserts no timing.
// The SQLite database is kept in bench/out/web.db and reused (delete it, or set
// PAPERBOY_BENCH_FRESH=1, to ingest again). PostgreSQL runs on PAPERBOY_BENCH_WEB_POSTGRES_URL
// (default: a `paperboy_webbench` database on the local server, created and dropped here); set it
// to "skip" to bench SQLite only. PAPERBOY_BENCH_SECONDS changes the run length;
// PAPERBOY_BENCH_CPU_PROF=<dir> starts the servers with --cpu-prof into that directory.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { load } from './load.js';
import { openDatabase } from '../dist/adapters/db/open-store.js';
import { RelatedService } from '../dist/services/related.service.js';
/* global fetch -- Node 20's, which the lint config's globals for .js files don't list */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'data');
const corpus = join(shared, 'arxiv', 'arxiv-cs-2025-2026.kaggle.jsonl.gz');
const hfDir = join(shared, 'hf-daily-papers');
const out = join(root, 'bench', 'out');
const sqliteDb = join(out, 'web.db');
const sqliteDone = `${sqliteDb}.done`;
const bin = join(root, 'bin', 'paperboy.js');

const CONNECTIONS = 50;
const WARMUP_SECONDS = 2;
const SECONDS = Number(process.env.PAPERBOY_BENCH_SECONDS ?? 10);
const PAPER_IDS = 5_000;
const SEARCH = '/search?q=language+model';
const CPU_PROF = process.env.PAPERBOY_BENCH_CPU_PROF;

// keep the servers offline and quiet: the harvest schedule fires once a year, at unreachable hosts
const serverEnv = {
  ...process.env,
  PAPERBOY_DEMO_DATA: 'false',
  PAPERBOY_HARVEST_SCHEDULE: '0 2 1 1 *',
  PAPERBOY_ARXIV_OAI_URL: 'http://127.0.0.1:9/oai',
  PAPERBOY_ARXIV_API_URL: 'http://127.0.0.1:9/api/query',
  PAPERBOY_HF_URL: 'http://127.0.0.1:9',
};

const children = new Set();
const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });

function hfFiles() {
  return readdirSync(hfDir)
    .filter((f) => /^(2025-(0[3-9]|1[0-2])|2026-0[1-6])-\d{2}\.json$/.test(f))
    .sort()
    .map((f) => join(hfDir, f));
}

/** `paperboy ingest` of the corpus and the HF days; exit 1 (some records rejected) is expected. */
function ingest(db) {
  const files = hfFiles();
  process.stderr.write(`ingesting the corpus and ${files.length} Hugging Face days into ${db.startsWith('postgres') ? 'PostgreSQL' : db}…\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [bin, 'ingest', corpus, ...files, '--db', db, '--json'], {
    encoding: 'utf8',
    env: serverEnv,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`paperboy ingest failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const summary = JSON.parse(r.stdout.trim().split('\n').pop());
  process.stderr.write(`  new ${summary.new}, updated ${summary.updated}, rejected ${summary.rejected} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return summary;
}

/** The schema the cached database was made with: a changed migration means ingesting again. */
function schemaFingerprint() {
  return createHash('sha1').update(readFileSync(join(root, 'dist', 'adapters', 'db', 'migrations.js'))).digest('hex').slice(0, 12);
}

/** The SQLite database, from bench/out/ when it was made with this schema, else ingested anew. */
function prepareSqlite() {
  const marker = `schema ${schemaFingerprint()}`;
  const cached = existsSync(sqliteDone) ? readFileSync(sqliteDone, 'utf8') : '';
  if (process.env.PAPERBOY_BENCH_FRESH || !cached.startsWith(marker))
    ['', '-wal', '-shm', '.done'].forEach((s) => rmSync(sqliteDb + s, { force: true }));
  if (existsSync(sqliteDone)) {
    process.stderr.write(`reusing ${sqliteDb} (${cached.trim()})\n`);
    return;
  }
  const summary = ingest(sqliteDb);
  writeFileSync(sqliteDone, `${marker}, ${summary.new} papers\n`);
}

/**
 * Brings the keyword index and the related papers up to date before the server starts (what
 * `paperboy index` does): searches index a few thousand pending papers each, and serve computes
 * related papers in the background, so a fresh ingest would otherwise be worked on during the
 * measurement.
 */
async function catchUpIndex(db) {
  const { store, index } = await openDatabase(db);
  try {
    await store.migrate();
    let started = Date.now();
    const r = await index.refresh();
    process.stderr.write(`  search index: ${r.indexed} papers indexed in ${((Date.now() - started) / 1000).toFixed(1)} s, ${r.pending} pending\n`);
    started = Date.now();
    const related = await new RelatedService(store, index).refresh();
    process.stderr.write(
      related
        ? `  related papers: computed for ${related.papers} papers in ${related.seconds.toFixed(1)} s\n`
        : `  related papers: up to date\n`,
    );
  } finally {
    await store.close();
  }
}

const hash = (s) => createHash('sha1').update(s).digest().readUInt32BE(0);

/** The busiest weekday, every paper id and a spread of 5,000 of them, read through the store port. */
async function pickTargets(db) {
  const { store } = await openDatabase(db);
  try {
    await store.migrate(); // the store answers only once it knows its schema is current (serve would migrate anyway)
    const days = await store.dayCounts('2025-03-01', '2026-06-30');
    const weekdays = days.filter((d) => ![0, 6].includes(new Date(`${d.day}T00:00:00Z`).getUTCDay()));
    const busiest = weekdays.reduce((a, b) => (b.papers > a.papers ? b : a));
    const signals = await store.rankingSignals('2025-03-01', '2026-06-30');
    // every paper, in an order that mixes days (a fixed shuffle: the same order every run)
    const all = signals.map((s) => s.id).sort((a, b) => hash(a) - hash(b) || (a < b ? -1 : 1));
    const step = Math.max(1, Math.floor(all.length / PAPER_IDS));
    const ids = all.filter((_, i) => i % step === 0);
    return { day: busiest, ids, all, papers: signals.length };
  } finally {
    await store.close();
  }
}

/** `paperboy serve --port 0` in a child process; resolves to its base URL once it listens. */
async function startServer(db) {
  const args = [...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []), bin, 'serve', '--port', '0', '--db', db];
  const child = spawn(process.execPath, args, { env: serverEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let log = '';
  const base = await new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      log += d.toString();
      const m = /Paperboy on (http:\/\/localhost:\d+)\//.exec(log);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`paperboy serve exited (${code}):\n${log.slice(-3000)}`)));
  });
  // serve renders the paper pages ahead once listening (decision 009): measured once it is done
  const started = Date.now();
  while (!/paper pages rendered ahead: .*|rendering paper pages ahead failed/.test(log)) {
    if (child.exitCode !== null || Date.now() - started > 30 * 60_000) throw new Error(`paperboy serve did not render the pages ahead:\n${log.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  process.stderr.write(`  ${/paper pages rendered ahead: .*|rendering paper pages ahead failed.*/.exec(log)[0]}\n`);
  return {
    base,
    pid: child.pid,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(t);
      }
      children.delete(child);
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc; null elsewhere. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s on Linux)
  } catch {
    return null;
  }
}

function percentile(sorted, q) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** One run of the load generator. */
function run(base, nextPath, seconds, headers) {
  return load({ base, nextPath, connections: CONNECTIONS, seconds, headers });
}

/**
 * Checks the page answers 200 with what it should show before measuring it (a bench of 404 pages
 * or of an empty search would measure nothing); returns its size, or null with a note printed.
 */
async function check(base, path, shows) {
  const res = await fetch(base + path);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${body.slice(0, 300)}`);
  if (shows && !shows.test(body)) {
    console.log(`  GET ${path} answered 200 but without ${shows}: not measured`);
    return null;
  }
  return body.length;
}

/**
 * A warm-up run on `warmPath` (default: `nextPath`), then the measured run on `nextPath`;
 * `label` may be a function of the number of responses.
 */
async function measure(server, label, nextPath, { shows, warmPath = nextPath, headers } = {}) {
  const bytes = await check(server.base, warmPath(), shows);
  if (bytes === null) return null;
  await run(server.base, warmPath, WARMUP_SECONDS, headers);
  const cpuBefore = cpuSeconds(server.pid);
  const { latencies, statuses, errors, duration } = await run(server.base, nextPath, SECONDS, headers);
  const cpu = cpuBefore === null ? null : cpuSeconds(server.pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const row = {
    label: typeof label === 'function' ? label(latencies.length) : label,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    rps: latencies.length / duration,
    responses: latencies.length,
    other: Object.entries(statuses).filter(([s]) => s !== '200').map(([s, n]) => `${n}×${s}`).join(' '),
    errors,
    kb: bytes / 1024,
    cpuMsPerRequest: cpu === null ? null : (cpu * 1000) / latencies.length,
  };
  printRow(row);
  return row;
}

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '–');

function printHeader(title) {
  console.log(`\n${title}  (${CONNECTIONS} connections, ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up)`);
  console.log(
    '  ' + 'run'.padEnd(46) + 'p50 ms'.padStart(8) + 'p95 ms'.padStart(8) + 'p99 ms'.padStart(8) + 'req/s'.padStart(9) +
      'page kB'.padStart(9) + 'server CPU/req'.padStart(16) + '  other',
  );
}

function printRow(r) {
  const other = [r.other, r.errors ? `${r.errors} errors/timeouts` : ''].filter(Boolean).join(', ');
  console.log(
    '  ' + r.label.padEnd(46) + fmt(r.p50).padStart(8) + fmt(r.p95).padStart(8) + fmt(r.p99).padStart(8) +
      fmt(r.rps, 0).padStart(9) + fmt(r.kb, 0).padStart(9) +
      (r.cpuMsPerRequest === null ? '–' : `${fmt(r.cpuMsPerRequest, 2)} ms`).padStart(16) + (other ? `  ${other}` : ''),
  );
}

async function benchStore(title, db, targets) {
  await catchUpIndex(db);
  const server = await startServer(db);
  try {
    printHeader(`${title}: ${targets.papers.toLocaleString('en-US')} papers`);
    const rows = [];
    rows.push(await measure(server, `daily page ${targets.day.day} (${targets.day.papers})`, () => `/papers/date/${targets.day.day}`));
    // first views: the warm-up takes papers from the end of the list, the measured run from the
    // start, each paper once; first as readers without a theme cookie get them (rendered ahead),
    // then with one (rendered on request: a theme's pages are cached apart)
    for (const [what, headers] of [['first views', undefined], ['first views on request', { cookie: 'theme=dark' }]]) {
      let first = 0;
      let last = targets.all.length;
      const fresh = () => (first < last ? `/papers/${targets.all[first++]}` : undefined);
      const warm = () => (first < last ? `/papers/${targets.all[--last]}` : undefined);
      const label = (n) => `paper pages, ${what} (${n.toLocaleString('en-US')})`;
      rows.push(await measure(server, label, fresh, { warmPath: warm, headers }));
    }
    // the spread of 5,000 papers, every one already rendered once (the response cache holds them all)
    for (const id of targets.ids) await fetch(`${server.base}/papers/${id}`).then((r) => r.arrayBuffer());
    let i = 0;
    rows.push(await measure(server, `paper pages, seen before (${targets.ids.length})`, () => `/papers/${targets.ids[i++ % targets.ids.length]}`));
    // a results page highlights the matched words; "search unavailable" or no results would not
    rows.push(await measure(server, 'search "language model"', () => SEARCH, { shows: /<mark>/i }));
    return rows;
  } finally {
    await server.stop();
  }
}

async function withPostgres(fn) {
  const url = process.env.PAPERBOY_BENCH_WEB_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/paperboy_webbench';
  if (url === 'skip') return null;
  const name = new URL(url).pathname.slice(1);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (e) {
    console.log(`\nPostgreSQL: no server answers at ${adminUrl.host} (${e.message}): skipped`);
    return null;
  }
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    return await fn(url);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function printSideBySide(sqlite, postgres) {
  console.log('\nside by side (p95 ms / req/s)');
  console.log('  ' + 'run'.padEnd(46) + 'SQLite'.padStart(18) + 'PostgreSQL'.padStart(18));
  const cell = (r) => (r ? `${fmt(r.p95)} / ${fmt(r.rps, 0)}` : 'not measured');
  ['daily page', 'paper pages, first views', '… rendered on request', 'paper pages, seen before', 'search "language model"'].forEach((label, k) =>
    console.log('  ' + label.padEnd(46) + cell(sqlite[k]).padStart(18) + (postgres ? cell(postgres[k]) : 'skipped').padStart(18)),
  );
}

mkdirSync(out, { recursive: true });
if (CPU_PROF) mkdirSync(CPU_PROF, { recursive: true });
prepareSqlite();
const targets = await pickTargets(sqliteDb);
const sqliteRows = await benchStore('SQLite', sqliteDb, targets);
const pgRows = await withPostgres(async (url) => {
  ingest(url);
  return benchStore('PostgreSQL', url, targets);
});
printSideBySide(sqliteRows, pgRows);
console.log('\ntargets (issue 3): daily page and paper page p95 ≤ 15 ms and ≥ 2,000 req/s; search "language model" p95 ≤ 40 ms');
console.log('note: the load generator and the server share this machine’s cores; "server CPU/req" is the server process alone.');
