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
// (default: a `paperboy_webbench_<pid>` database on the local server, created and dropped here); set it
// to "skip" to bench SQLite only. PAPERBOY_BENCH_SECONDS changes the run length;
// PAPERBOY_BENCH_CPU_PROF=<dir> starts the servers with --cpu-prof into that directory.
import { mkdirSync } from 'node:fs';
import { load } from './load.js';
import { catchUpIndex, cpuSeconds, ingest, out, percentile, pickTargets, prepareSqlite, sqliteDb, startServer, withPostgres } from './corpus.js';
/* global fetch -- Node 20's, which the lint config's globals for .js files don't list */

const CONNECTIONS = 50;
const WARMUP_SECONDS = 2;
const SECONDS = Number(process.env.PAPERBOY_BENCH_SECONDS ?? 10);
const SEARCH = '/search?q=language+model';
const CPU_PROF = process.env.PAPERBOY_BENCH_CPU_PROF;
// the load comes from one address: the per-address search limit would answer most searches 429
// pages, not meaning: without an embedder serve renders the pages ahead at once, instead of first
// training the built-in model and embedding the corpus (minutes of a core, under the measurement)
const SERVER = { env: { PAPERBOY_SEARCH_RATE_LIMIT: '0', PAPERBOY_EMBEDDER: 'none' }, cpuProf: CPU_PROF };

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
  const server = await startServer(db, SERVER);
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
