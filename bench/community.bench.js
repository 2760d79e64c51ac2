// `npm run bench:community`: the community figures of issue 13, on SQLite and then PostgreSQL.
//   A store of DAYS days of PER_DAY papers each (FEATURED of them featured on Hugging Face),
//   written through the store's own writer, and 1,000,000 local votes over them (bulk-loaded in
//   SQL with their tallies and day versions, as the votes adapters keep them; one account votes
//   once per paper), then:
//     - the busiest day's page (its curated papers, ranked with the local votes), served by
//       `paperboy serve` in a child process, under bench/load.js (50 keep-alive connections, a
//       2 s warm-up then 10 s): p95 and requests/s;
//     - VoteService toggles, 50 concurrent callers on the busiest day's papers, in this process:
//       p95 and toggles/s;
//     - what a listing's local votes cost to read, by the tallies kept with the votes (what the
//       adapters do) and by counting the vote rows instead: the measurement behind decision 028;
//     - the vote endpoint through HTTP (decision 031): 50 signed-in readers (sessions made in the
//       database), each on its own keep-alive connection, toggling their votes on the busiest
//       day's papers with the JSON POST site.js sends (session cookie, CSRF token and the state
//       asked for, vote=1 or vote=0 from the last answer), a 2 s
//       warm-up then 10 s: p95 and votes/s. Target: p95 ≤ 10 ms on SQLite. Beside it, the floor: GET
//       /healthz (one tiny read) through the same 50 connections, the least any request costs here.
// Targets: daily page p95 ≤ 15 ms and ≥ 2,000 req/s. Exit 1 when a page figure misses its target
// by more than a third (p95 > 20 ms, < 1,333 req/s). PostgreSQL: a `paperboy_communitybench_<pid>` database on the local server (or
// PAPERBOY_BENCH_COMMUNITY_POSTGRES_URL; "skip" benches SQLite only). PAPERBOY_BENCH_CPU_PROF=<dir>
// starts the servers with --cpu-prof into that directory.
/* global performance, fetch -- Node 20's, which the lint config's globals for .js files don't list */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { openDatabase } from '../dist/adapters/db/open-store.js';
import { VoteService } from '../dist/services/vote.service.js';
import { catchUpIndex, cpuSeconds, out, percentile, startServer } from './corpus.js';
import { load } from './load.js';

const DAYS = 40;
const PER_DAY = 500;
const FEATURED = 40;
const VOTES = 1_000_000;
const SECONDS = Number(process.env.PAPERBOY_BENCH_SECONDS ?? 10);
const TARGET = { p95: 15, rps: 2000, vote: 10 };
const LIMIT = { p95: TARGET.p95 * (4 / 3), rps: TARGET.rps * (2 / 3) };

const dayOf = (d) => new Date(Date.UTC(2026, 4, 1) + d * 86_400_000).toISOString().slice(0, 10);
const BUSIEST = dayOf(DAYS - 1);
/** 2605.DDNNN: day DD's paper NNN (a valid new-style arXiv id) */
const idOf = (d, i) => `2605.${String(d).padStart(2, '0')}${String(i).padStart(3, '0')}`;

function paper(d, i) {
  const day = dayOf(d);
  const id = idOf(d, i);
  const at = `${day}T${String(i % 24).padStart(2, '0')}:00:00.000Z`;
  return {
    paper: {
      id, latestVersion: 1, versions: [{ version: 1, submittedAt: at, size: null }],
      title: `Paper ${id} on community ranking`, abstract: `We study ${id}. `.repeat(20), authors: ['Ada Lovelace', 'Alan Turing'],
      categories: ['cs.LG'], submittedAt: at, updatedAt: at, comments: null, journalRef: null, doi: null, license: null, reportNo: null,
      submitter: null, listedOn: day, codeUrl: null, projectUrl: null, deleted: false, provenance: {},
      hf: { upvotes: i < FEATURED ? (i * 7) % 50 : null, comments: null, githubStars: null, aiKeywords: null, aiSummary: null, featuredOn: i < FEATURED ? day : null, lastFeaturedOn: i < FEATURED ? day : null },
    },
    day,
  };
}

/** The papers, then a million votes (rows a (paper, account) pair repeats are dropped), their tallies and day versions. */
async function seed(url, dialect) {
  const db = await openDatabase(url, { create: true });
  await db.store.migrate();
  let stored = 0;
  for (let d = 0; d < DAYS; d++) await db.store.transaction((tx) => tx.savePapers(Array.from({ length: PER_DAY }, (_, i) => paper(d, i)), []));
  const started = performance.now();
  await rawExec(url, dialect, dialect === 'sqlite' ? SQLITE_SEED : POSTGRES_SEED);
  const all = [...(await db.votes.talliesOf(Array.from({ length: DAYS * PER_DAY }, (_, k) => idOf(Math.floor(k / PER_DAY), k % PER_DAY)))).values()];
  stored = all.reduce((n, t) => n + t.votes, 0);
  process.stderr.write(`  ${stored.toLocaleString('en-US')} votes loaded in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  await db.store.close();
  await catchUpIndex(url);
  return Object.assign(await openDatabase(url), { stored });
}

// vote n: account n / 25 + 1 (25 votes each, all on one day, never twice on a paper), on a featured
// paper one time in ten, else on one of the day's first VOTED other papers: votes go to few papers
const VOTED = 100;
const seedSelect = (paperId, series) => `
  SELECT ${paperId} AS paper_id, CAST(n / 25 + 1 AS TEXT) AS account_id, 'net-' || (n % 997) AS network,
         '2026-01-01T00:00:00.000Z' AS account_created_at, '2026-06-01T00:00:00.000Z' AS voted_at, 1000 AS weight
  FROM ${series}`;
const DAY_NO = `((n / 25) % ${DAYS})`;
const PAPER_NO = `(CASE WHEN n % 10 = 0 THEN (n / 10) % ${FEATURED} ELSE ${FEATURED} + (n * 7919) % ${VOTED} END)`;
const TALLIES = (day) => `
  INSERT INTO paper_votes (paper_id, votes, weight) SELECT paper_id, COUNT(*), SUM(weight) FROM votes GROUP BY paper_id;
  INSERT INTO vote_days (day, version) SELECT ${day}, COUNT(*) FROM votes v JOIN papers p ON p.id = v.paper_id GROUP BY p.day;`;
const SQLITE_SEED = `
  WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < ${VOTES - 1})
  INSERT OR IGNORE INTO votes (paper_id, account_id, network, account_created_at, voted_at, weight)
  ${seedSelect(`printf('2605.%02d%03d', ${DAY_NO}, ${PAPER_NO})`, 's')};
  ${TALLIES('p.day')}`;
const POSTGRES_SEED = `
  INSERT INTO votes (paper_id, account_id, network, account_created_at, voted_at, weight)
  ${seedSelect(`'2605.' || lpad(${DAY_NO}::text, 2, '0') || lpad(${PAPER_NO}::text, 3, '0')`, `generate_series(0::bigint, ${VOTES - 1}) AS g(n)`)}
  ON CONFLICT DO NOTHING;
  ${TALLIES("to_char(p.day, 'YYYY-MM-DD')")}
  ANALYZE;`;

async function rawExec(url, dialect, sql) {
  if (dialect === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(url);
    try {
      db.exec('BEGIN');
      db.exec(sql);
      db.exec('COMMIT');
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** What a listing's local votes cost to read, from the tallies and from the vote rows (median of 50, ms). */
async function readCosts(db, url, dialect) {
  const median = async (fn) => {
    const t = [];
    for (let i = 0; i < 50; i++) {
      const s = performance.now();
      await fn();
      t.push(performance.now() - s);
    }
    return t.sort((a, b) => a - b)[25];
  };
  const tallies = await median(() => db.votes.talliesBetween(BUSIEST, BUSIEST));
  const counting = `SELECT v.paper_id, COUNT(*) AS votes, SUM(v.weight) AS weight FROM papers p JOIN votes v ON v.paper_id = p.id
                    WHERE p.day = ${dialect === 'sqlite' ? '?' : '$1::date'} GROUP BY v.paper_id`;
  let counted;
  if (dialect === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(url, { readonly: true });
    const st = raw.prepare(counting);
    counted = await median(async () => st.all(BUSIEST));
    raw.close();
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    counted = await median(() => client.query(counting, [BUSIEST]));
    await client.end();
  }
  return { tallies, counted };
}

/** 50 callers toggling votes at once through VoteService, each on papers of the busiest day. */
async function toggles(db) {
  const service = new VoteService(db.votes);
  const latencies = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async (_, c) => {
      for (let k = 0; k < 40; k++) {
        const s = performance.now();
        await service.toggle(idOf(DAYS - 1, (c * 13 + k) % PER_DAY), {
          accountId: `toggler-${c}`, accountCreatedAt: '2026-01-01T00:00:00Z', network: `198.51.${c % 4}.0/24`,
        });
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), perSecond: latencies.length / seconds };
}

const VOTERS = 50;

/** 50 readers with a session each, made in the database as a sign-in makes them; their session secrets. */
async function voters(url, dialect) {
  const secrets = Array.from({ length: VOTERS }, () => randomBytes(32).toString('base64url'));
  const hash = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
  const at = '2026-01-01T00:00:00.000Z';
  const accounts = secrets.map((_, c) => `('bench-voter-${c}', 'voter${c}@bench.example', 'voter${c}@bench.example', 'voter ${c}', 'reader', '${at}', '${at}')`).join(',\n');
  const sessions = secrets.map((s, c) => `('${hash(s)}', 'bench-voter-${c}', '${at}', '2099-01-01T00:00:00.000Z')`).join(',\n');
  await rawExec(url, dialect, `INSERT INTO accounts (id, email, email_key, display_name, role, created_at, updated_at) VALUES ${accounts};
    INSERT INTO sessions (hash, account_id, created_at, expires_at) VALUES ${sessions};`);
  return secrets;
}

/**
 * The vote endpoint through HTTP: each reader opens a paper page (their CSRF cookie and token),
 * then toggles votes by the JSON POST site.js sends, one request at a time on its own keep-alive
 * connection, for `seconds`.
 */
async function voteEndpoint(base, pid, secrets, seconds) {
  const { hostname, port } = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: VOTERS });
  const request = (method, path, headers, body) =>
    new Promise((resolve, reject) => {
      const req = http.request({ hostname, port, path, method, agent, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const clients = await Promise.all(
    secrets.map(async (secret, c) => {
      const paperId = idOf(DAYS - 1, c % 20);
      const page = await request('GET', `/papers/${paperId}`, { cookie: `paperboy-session=${secret}` });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
      const csrf = /paperboy-csrf=([^;]+)/.exec(String(page.headers['set-cookie'] ?? ''))?.[1];
      if (page.status !== 200 || !token || !csrf) throw new Error(`reader ${c}: no CSRF token on ${paperId} (${page.status})`);
      // site.js asks for the state it wants (vote=1, then vote=0 from the answer), as here
      return { paperId, voted: false, headers: { cookie: `paperboy-session=${secret}; paperboy-csrf=${csrf}`, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, csrf: `_csrf=${encodeURIComponent(token)}` };
    }),
  );
  // what is measured: a vote (POST), or a paper page as the signed-in reader or as nobody gets it (GET)
  const vote = async (cl) => {
    const r = await request('POST', `/papers/${cl.paperId}/vote`, cl.headers, `${cl.csrf}&vote=${cl.voted ? 0 : 1}`);
    if (r.status === 200) cl.voted = JSON.parse(r.text).voted;
    return r;
  };
  const send = {
    vote,
    mine: (cl) => request('GET', `/papers/${cl.paperId}`, { cookie: cl.headers.cookie }),
    shared: (cl) => request('GET', `/papers/${cl.paperId}`, {}),
    // the floor: the cheapest request the server answers (one tiny read), through the same client
    health: () => request('GET', '/healthz', {}),
  };
  const run = async (ms, what = 'vote') => {
    const latencies = [];
    const statuses = {};
    const cpu = { server: cpuSeconds(pid), client: process.cpuUsage() };
    const until = performance.now() + ms;
    await Promise.all(
      clients.map(async (cl) => {
        while (performance.now() < until) {
          const s = performance.now();
          const r = await send[what](cl);
          latencies.push(performance.now() - s);
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        }
      }),
    );
    // CPU per request of the server and of this process (the clients), which share the machine's cores
    const client = process.cpuUsage(cpu.client);
    const cpuMs = { server: cpu.server === null ? NaN : ((cpuSeconds(pid) - cpu.server) * 1000) / latencies.length, client: (client.user + client.system) / 1000 / latencies.length };
    return { latencies: latencies.sort((a, b) => a - b), statuses, seconds: ms / 1000, cpuMs };
  };
  const figures = (r) => ({ p50: percentile(r.latencies, 0.5), p95: percentile(r.latencies, 0.95), perSecond: r.latencies.length / r.seconds, cpuMs: r.cpuMs, other: Object.keys(r.statuses).filter((s) => s !== '200') });
  await run(2000);
  const votes = figures(await run(seconds * 1000));
  // decision 031: a signed-in reader's paper page is rendered for them; nobody's is the shared cached one
  await run(1000, 'mine');
  const mine = figures(await run((seconds / 2) * 1000, 'mine'));
  await run(1000, 'shared');
  const shared = figures(await run((seconds / 2) * 1000, 'shared'));
  await run(1000, 'health');
  const floor = figures(await run((seconds / 2) * 1000, 'health'));
  agent.destroy();
  return { ...votes, mine, shared, floor };
}

const cpuText = (c) => `${c.server.toFixed(3)} ms/req in the server, ${c.client.toFixed(3)} ms/req in the clients`;

async function benchStore(title, url, dialect) {
  process.stderr.write(`${title}: seeding ${DAYS * PER_DAY} papers…\n`);
  const db = await seed(url, dialect);
  await db.store.migrate();
  const costs = await readCosts(db, url, dialect);
  const vote = await toggles(db);
  await db.store.close();
  const secrets = await voters(url, dialect);
  const server = await startServer(url, { cpuProf: process.env.PAPERBOY_BENCH_CPU_PROF, env: { PAPERBOY_EMBEDDER: 'none', PAPERBOY_VOTE_RATE_LIMIT: '0' } });
  try {
    const path = () => `/papers/date/${BUSIEST}`;
    const first = await fetch(server.base + path());
    const body = await first.text();
    if (first.status !== 200 || !/votes? here/.test(body)) throw new Error(`GET ${path()} answered ${first.status} without local votes: ${body.slice(0, 300)}`);
    await load({ base: server.base, nextPath: path, connections: 50, seconds: 2 });
    const cpu = cpuSeconds(server.pid);
    const r = await load({ base: server.base, nextPath: path, connections: 50, seconds: SECONDS });
    const cpuPerReq = cpu === null ? null : ((cpuSeconds(server.pid) - cpu) * 1000) / r.latencies.length;
    r.latencies.sort((a, b) => a - b);
    const page = { p50: percentile(r.latencies, 0.5), p95: percentile(r.latencies, 0.95), rps: r.latencies.length / r.duration, other: Object.keys(r.statuses).filter((s) => s !== '200') };
    console.log(`\n${title}: ${(DAYS * PER_DAY).toLocaleString('en-US')} papers, ${db.stored.toLocaleString('en-US')} votes stored`);
    console.log(`  daily page ${BUSIEST}: p50 ${page.p50.toFixed(1)} ms, p95 ${page.p95.toFixed(1)} ms, ${page.rps.toFixed(0)} req/s` +
      `${cpuPerReq === null ? '' : `, server CPU ${cpuPerReq.toFixed(2)} ms/req`}${page.other.length ? `, other statuses ${page.other.join(' ')}` : ''}`);
    console.log(`  vote toggles, 50 concurrent callers: p50 ${vote.p50.toFixed(1)} ms, p95 ${vote.p95.toFixed(1)} ms, ${vote.perSecond.toFixed(0)} toggles/s`);
    const endpoint = await voteEndpoint(server.base, server.pid, secrets, SECONDS);
    console.log(`  vote endpoint (POST /papers/<id>/vote, JSON), ${VOTERS} concurrent readers over HTTP: p50 ${endpoint.p50.toFixed(1)} ms, p95 ${endpoint.p95.toFixed(1)} ms, ${endpoint.perSecond.toFixed(0)} votes/s, CPU ${cpuText(endpoint.cpuMs)}` +
      `${endpoint.other.length ? `, other statuses ${endpoint.other.join(' ')}` : ''}`);
    console.log(`  the floor, GET /healthz (one tiny read) from the same ${VOTERS} readers: p50 ${endpoint.floor.p50.toFixed(1)} ms, p95 ${endpoint.floor.p95.toFixed(1)} ms, ${endpoint.floor.perSecond.toFixed(0)} req/s, CPU ${cpuText(endpoint.floor.cpuMs)}`);
    console.log(`  paper page, ${VOTERS} readers at once: signed in (rendered per reader, no-store) p50 ${endpoint.mine.p50.toFixed(1)} ms, p95 ${endpoint.mine.p95.toFixed(1)} ms, ${endpoint.mine.perSecond.toFixed(0)} req/s;` +
      ` anonymous (shared, cached) p50 ${endpoint.shared.p50.toFixed(1)} ms, p95 ${endpoint.shared.p95.toFixed(1)} ms, ${endpoint.shared.perSecond.toFixed(0)} req/s`);
    console.log(`  a day's local votes read: from the tallies ${costs.tallies.toFixed(2)} ms, by counting the vote rows ${costs.counted.toFixed(2)} ms (median of 50)`);
    return { title, page, endpoint };
  } finally {
    await server.stop();
  }
}

mkdirSync(out, { recursive: true });
const sqlitePath = join(out, 'community.db');
for (const s of ['', '-wal', '-shm']) rmSync(sqlitePath + s, { force: true });
const rows = [await benchStore('SQLite', sqlitePath, 'sqlite')];
const pgUrl = process.env.PAPERBOY_BENCH_COMMUNITY_POSTGRES_URL ?? `postgres://postgres@127.0.0.1:5432/paperboy_communitybench_${process.pid}`;
if (pgUrl !== 'skip') {
  const admin = new pg.Client({ connectionString: Object.assign(new URL(pgUrl), { pathname: '/postgres' }).toString() });
  const name = new URL(pgUrl).pathname.slice(1);
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    rows.push(await benchStore('PostgreSQL', pgUrl, 'postgres'));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
console.log(`\ntargets: daily page p95 ≤ ${TARGET.p95} ms and ≥ ${TARGET.rps.toLocaleString('en-US')} req/s; vote endpoint p95 ≤ ${TARGET.vote} ms on SQLite`);
const misses = rows.flatMap((r) => [
  ...(r.page.p95 > LIMIT.p95 ? [`${r.title} daily page p95 ${r.page.p95.toFixed(1)} ms > ${LIMIT.p95.toFixed(0)} ms`] : []),
  ...(r.page.rps < LIMIT.rps ? [`${r.title} daily page ${r.page.rps.toFixed(0)} req/s < ${LIMIT.rps.toFixed(0)}`] : []),
  ...(r.title === 'SQLite' && r.endpoint.p95 > TARGET.vote * (4 / 3) ? [`${r.title} vote endpoint p95 ${r.endpoint.p95.toFixed(1)} ms > ${(TARGET.vote * (4 / 3)).toFixed(0)} ms`] : []),
  ...(r.endpoint.other.length ? [`${r.title} vote endpoint answered ${r.endpoint.other.join(' ')}`] : []),
]);
if (misses.length > 0) {
  console.error(`\nFAIL: a figure misses its target by more than a third: ${misses.join('; ')}`);
  process.exitCode = 1;
} else console.log('\nOK: every page figure within a third of its target');
