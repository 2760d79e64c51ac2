// `npm run bench:stall`: does one client's request stall everyone (issue 10, section 1)? On the
// 74,728-paper corpus (bench/corpus.js, shared with bench:web), served by `paperboy serve`, on
// SQLite and then PostgreSQL:
//   - quiet: /healthz and the daily page of the busiest weekday, two keep-alive connections each;
//   - under attack: the same while four clients send the costliest searches we know (short
//     prefixes OR-ed, date order, the deepest page, every URL different so that no cache helps),
//     each sending its next one as soon as the last is answered.
// It prints p50/p95/p99 of /healthz and of the daily page in both runs, and what the attackers
// got (answers, cut off with QUERY_TIMEOUT, refused as busy). The target is p95 ≤ 50 ms under
// attack; the bench exits 1, saying so, when a p95 misses it by a third (> 66.7 ms).
// The server runs with its default time budget (PAPERBOY_QUERY_TIMEOUT_MS, 3 s) and without the
// per-address search limit (the attack comes from one address and would otherwise mostly get
// 429s: this measures what holds when the limit does not). PAPERBOY_BENCH_SECONDS sets the length
// of the attack run (default 20); PAPERBOY_BENCH_WEB_POSTGRES_URL as for bench:web ("skip": SQLite only).
import { setTimeout } from 'node:timers';
import { load } from './load.js';
import { catchUpIndex, cpuSeconds, ingest, percentile, pickTargets, prepareSqlite, sqliteDb, startServer, withPostgres } from './corpus.js';
/* global fetch -- Node 20's, which the lint config's globals for .js files don't list */

const SECONDS = Number(process.env.PAPERBOY_BENCH_SECONDS ?? 20);
const QUIET_SECONDS = 5;
const ATTACKERS = 4;
const CONNECTIONS = 2;
const TARGET_P95_MS = 50;
const LOUD_P95_MS = (TARGET_P95_MS * 4) / 3;
const SERVER = {
  env: { PAPERBOY_SEARCH_RATE_LIMIT: '0', PAPERBOY_API_RATE_LIMIT: '0', PAPERBOY_PAGES_AHEAD: 'false' },
  pagesAhead: false,
};

/** The k-th attacker's i-th request: each a search the response cache has never seen. */
function attackPath(k, i) {
  switch (k % 4) {
    case 0:
      return `/feeds/search.json?q=a*+the*+con*&v=${i}`;
    case 1:
      return `/api/v1/search?q=a*+the*+con*&sort=date&offset=${10_000 - (i % 100)}&limit=100`;
    case 2:
      return `/search?q=a*+the*+con*+in*&sort=date&page=${400 + (i % 100)}`;
    default:
      return `/feeds/search.rss?q=the*+a*+con*+m*&sort=relevance&v=${i}`;
  }
}

/** Four clients sending costly searches until stop(); what they got. */
function attack(base) {
  let stopped = false;
  let n = 0;
  const got = { answers: 0, ok: 0, cut: 0, busy: 0, limited: 0, other: {} };
  const client = async (k) => {
    while (!stopped) {
      const res = await fetch(base + attackPath(k, n++));
      const body = await res.text();
      got.answers++;
      if (res.status === 200) got.ok++;
      else if (res.status === 503 && /narrow it/.test(body)) got.cut++;
      else if (res.status === 503 && /busy/.test(body)) got.busy++;
      else if (res.status === 429) got.limited++;
      else got.other[res.status] = (got.other[res.status] ?? 0) + 1;
    }
  };
  const clients = Array.from({ length: ATTACKERS }, (_, k) => client(k));
  return {
    got,
    async stop() {
      stopped = true;
      await Promise.all(clients);
    },
  };
}

/** /healthz and the daily page measured at once, CONNECTIONS each, for `seconds`. */
async function bystanders(base, daily, seconds) {
  const [health, page] = await Promise.all(
    [() => '/healthz', () => daily].map((nextPath) => load({ base, nextPath, connections: CONNECTIONS, seconds })),
  );
  return { health: summary(health), page: summary(page) };
}

function summary({ latencies, statuses, errors }) {
  latencies.sort((a, b) => a - b);
  const other = Object.entries(statuses).filter(([s]) => s !== '200').map(([s, n]) => `${n}×${s}`);
  if (errors) other.push(`${errors} errors`);
  return {
    n: latencies.length,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    max: latencies[latencies.length - 1],
    other: other.join(' '),
  };
}

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');

function printRow(label, s) {
  console.log(
    '  ' + label.padEnd(34) + fmt(s.p50).padStart(8) + fmt(s.p95).padStart(8) + fmt(s.p99).padStart(8) + fmt(s.max).padStart(9) +
      String(s.n).padStart(9) + (s.other ? `  not 200: ${s.other}` : ''),
  );
}

async function benchStore(title, db, targets) {
  await catchUpIndex(db);
  const server = await startServer(db, SERVER);
  try {
    const daily = `/papers/date/${targets.day.day}`;
    const first = await fetch(server.base + daily);
    await first.arrayBuffer();
    if (first.status !== 200) throw new Error(`GET ${daily} answered ${first.status}`);
    console.log(`\n${title}: ${targets.papers.toLocaleString('en-US')} papers; daily page ${targets.day.day} (${targets.day.papers} papers)`);
    console.log('  ' + 'run'.padEnd(34) + 'p50 ms'.padStart(8) + 'p95 ms'.padStart(8) + 'p99 ms'.padStart(8) + 'max ms'.padStart(9) + 'answers'.padStart(9));
    const quiet = await bystanders(server.base, daily, QUIET_SECONDS);
    printRow('/healthz, quiet', quiet.health);
    printRow('daily page, quiet', quiet.page);
    const attackers = attack(server.base);
    await new Promise((r) => setTimeout(r, 1000)); // the attack under way before measuring
    const cpuBefore = cpuSeconds(server.pid);
    const loud = await bystanders(server.base, daily, SECONDS);
    const cpu = cpuBefore === null ? null : cpuSeconds(server.pid) - cpuBefore;
    await attackers.stop();
    printRow(`/healthz, ${ATTACKERS} clients attacking`, loud.health);
    printRow(`daily page, ${ATTACKERS} clients attacking`, loud.page);
    // the machine's own noise shows in the quiet run: the ratio is the attack's doing
    console.log(`  p95 under attack / quiet: /healthz ${fmt(loud.health.p95 / quiet.health.p95, 2)}×, daily page ${fmt(loud.page.p95 / quiet.page.p95, 2)}×`);
    const g = attackers.got;
    const other = Object.entries(g.other).map(([s, n]) => `${n}×${s}`).join(' ');
    console.log(
      `  attackers: ${g.answers} answers: ${g.ok} whole, ${g.cut} cut off over budget (503 QUERY_TIMEOUT), ${g.busy} refused as busy` +
        `${g.limited ? `, ${g.limited} rate-limited` : ''}${other ? `, other: ${other}` : ''}` +
        (cpu === null ? '' : `; server CPU ${fmt(cpu / SECONDS, 2)} cores`),
    );
    return { title, quiet, loud, attack: g };
  } finally {
    await server.stop();
  }
}

prepareSqlite();
const targets = await pickTargets(sqliteDb);
const results = [await benchStore('SQLite', sqliteDb, targets)];
const pgResult = await withPostgres(async (url) => {
  ingest(url);
  return benchStore('PostgreSQL', url, targets);
});
if (pgResult) results.push(pgResult);

console.log(`\ntarget (issue 10): /healthz and the daily page p95 ≤ ${TARGET_P95_MS} ms while ${ATTACKERS} clients attack; the bench fails above ${fmt(LOUD_P95_MS)} ms`);
console.log('note: the load generator, the attackers and the server share this machine’s cores.');
const missed = results.flatMap((r) =>
  [
    ['/healthz', r.loud.health],
    ['daily page', r.loud.page],
  ]
    .filter(([, s]) => !(s.p95 <= LOUD_P95_MS) || s.other)
    .map(([what, s]) => `${r.title} ${what}: p95 ${fmt(s.p95)} ms${s.other ? `, not 200: ${s.other}` : ''}`),
);
if (missed.length > 0) {
  console.error(`\nFAILED: under attack, missed the ${TARGET_P95_MS} ms target by more than a third, or failed to answer:\n  ${missed.join('\n  ')}`);
  process.exitCode = 1;
}
