// `npm run bench:nodes` (issue 14): PostgreSQL with two web nodes on one server, over loopback.
//   The 74,728-paper corpus and the Hugging Face days in a fresh PostgreSQL database
//   (PAPERBOY_BENCH_NODES_POSTGRES_URL, default a `paperboy_nodesbench_<pid>` database created and
//   dropped here), two `paperboy serve` processes on it, and bench/load.js as the balancer in
//   front (round robin, 50 keep-alive connections; a node that fails a request is taken out, as a
//   balancer's health check would). It prints:
//     - the daily page, paper pages seen for the first time and a keyword search, on one node and
//       then on two (the same database, the same load),
//     - a node killed (SIGKILL) under load: what the requests in flight on it got, and that every
//       request answered after it was 200, with the survivor's latency,
//     - the jobs handed over: the killed node held the harvest's lease (a harvest from a Hugging
//       Face that never answers runs until stopped); how long until the survivor holds it, against
//       PAPERBOY_JOB_LEASE_SECONDS (15 s here), and the survivor's log line saying so.
//   Both nodes and the load generator share this machine's cores. Fails loudly when a request
//   answered after the kill was not 200, or the job was not taken over within lease + 10 s.
import { once } from 'node:events';
import { createServer } from 'node:http';
import pg from 'pg';
import { catchUpIndex, ingest, percentile, pickTargets, startServer, withPostgres } from './corpus.js';
import { load } from './load.js';
import { clearTimeout, setTimeout } from 'node:timers';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.PAPERBOY_BENCH_SECONDS ?? 10);
const LEASE_SECONDS = 15;
const SEARCH = '/search?q=language+model&mode=keyword';

// a Hugging Face that takes requests and never answers: a harvest from it holds its lease until stopped
const silent = createServer(() => undefined);
silent.listen(0, '127.0.0.1');
await once(silent, 'listening');
const NODE = {
  keep: /stopped renewing its lease/,
  env: {
    PAPERBOY_SEARCH_RATE_LIMIT: '0',
    PAPERBOY_API_RATE_LIMIT: '0',
    PAPERBOY_EMBEDDER: 'none',
    PAPERBOY_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
    PAPERBOY_SOURCES: 'hf-daily',
    PAPERBOY_HF_URL: `http://127.0.0.1:${silent.address().port}`,
    PAPERBOY_HARVEST_SCHEDULE: '* * * * * *',
    PAPERBOY_HARVEST_BACKFILL_DAYS: '0',
  },
};

const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '–');

/** A balancer over the nodes: round robin over those not taken out. */
function balancer(nodes) {
  const up = new Set(nodes.map((n) => n.base));
  let i = 0;
  return {
    up,
    base: () => {
      const live = [...up];
      return live[i++ % live.length];
    },
    onError: (base) => up.delete(base),
  };
}

async function run(label, nodes, nextPath, seconds = SECONDS) {
  const lb = balancer(nodes);
  const r = await load({ base: lb.base, onError: lb.onError, nextPath, connections: CONNECTIONS, seconds });
  r.latencies.sort((a, b) => a - b);
  const other = Object.entries(r.statuses).filter(([s]) => s !== '200').map(([s, n]) => `${n}×${s}`).join(' ');
  console.log(
    '  ' + label.padEnd(52) + fmt(percentile(r.latencies, 0.5)).padStart(8) + fmt(percentile(r.latencies, 0.95)).padStart(8) +
      fmt(r.latencies.length / r.duration, 0).padStart(9) + `  ${[other, r.errors ? `${r.errors} without an answer` : ''].filter(Boolean).join(', ')}`,
  );
  return { ...r, p95: percentile(r.latencies, 0.95), rps: r.latencies.length / r.duration };
}

/** Who holds the harvest's lease (its holder names the pid), read behind the nodes' backs. */
async function harvestHolder(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query("SELECT holder, expires_at > now() AS live FROM job_leases WHERE name = 'harvest'");
    return r.rows[0] ? { pid: Number(r.rows[0].holder.split(':')[1]), live: r.rows[0].live } : null;
  } finally {
    await client.end();
  }
}

const failures = [];
await withPostgres(async (url) => {
  ingest(url);
  await catchUpIndex(url);
  const targets = await pickTargets(url);
  const a = await startServer(url, NODE); // renders the paper pages ahead
  const papers = targets.all;
  let next = 0;
  const fresh = () => (next < papers.length ? `/papers/${papers[next++]}` : undefined);
  const daily = () => `/papers/date/${targets.day.day}`;
  try {
    console.log(`\nPostgreSQL, ${targets.papers.toLocaleString('en-US')} papers: ${CONNECTIONS} connections, ${SECONDS} s a run`);
    console.log('  ' + 'run'.padEnd(52) + 'p50 ms'.padStart(8) + 'p95 ms'.padStart(8) + 'req/s'.padStart(9));
    await run('warm-up (daily page, one node)', [a], daily, 2);
    const one = [await run(`one node: daily page ${targets.day.day}`, [a], daily), await run('one node: paper pages, first views', [a], fresh), await run('one node: keyword search "language model"', [a], () => SEARCH)];

    const b = await startServer(url, { ...NODE, pagesAhead: false });
    try {
      const nodes = [a, b];
      await run('warm-up (daily page, two nodes)', nodes, daily, 2);
      const two = [await run('two nodes: daily page', nodes, daily), await run('two nodes: paper pages, first views', nodes, fresh), await run('two nodes: keyword search', nodes, () => SEARCH)];

      // a node killed under load: the one holding the harvest's lease
      let holder = await harvestHolder(url);
      for (let tries = 0; !holder?.live && tries < 100; tries++) {
        await new Promise((r) => setTimeout(r, 100));
        holder = await harvestHolder(url);
      }
      const victim = nodes.find((n) => n.pid === holder?.pid);
      if (!victim) throw new Error(`neither node holds the harvest's lease (holder: ${JSON.stringify(holder)})`);
      const survivor = nodes.find((n) => n !== victim);
      let killedAt = 0;
      let takenAt = null;
      // from the kill on, who holds the harvest's lease, until the survivor does
      const watching = (async () => {
        while (killedAt === 0) await new Promise((r) => setTimeout(r, 50));
        while (Date.now() - killedAt < (LEASE_SECONDS + 30) * 1000) {
          const h = await harvestHolder(url);
          if (h?.pid === survivor.pid && h.live) return (takenAt = Date.now());
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      const kill = setTimeout(() => {
        killedAt = Date.now();
        process.kill(victim.pid, 'SIGKILL');
      }, (SECONDS * 1000) / 2);
      const lb = balancer(nodes);
      const killRun = await load({
        base: lb.base,
        onError: lb.onError,
        nextPath: () => daily(),
        connections: CONNECTIONS,
        seconds: SECONDS * 2,
      });
      clearTimeout(kill);
      const bad = Object.entries(killRun.statuses).filter(([s]) => s !== '200');
      const notOk = bad.reduce((n, [, k]) => n + k, 0);
      console.log(`\n  a node killed under load (daily page, ${SECONDS * 2} s, the kill at ${SECONDS / 2} s):`);
      console.log(`    ${killRun.latencies.length} answered, ${notOk === 0 ? 'every one 200' : `${bad.map(([s, n]) => `${n}×${s}`).join(' ')} not 200`}; ${killRun.errors} sent to the killed node got no answer (in flight at the kill, or sent before the balancer took it out: a balancer retries those)`);
      if (notOk > 0) failures.push(`${notOk} answers under the kill were not 200`);
      const after = await run('the survivor alone afterwards: daily page', [survivor], daily);
      const afterPapers = await run('the survivor alone afterwards: paper pages, first views', [survivor], fresh);
      if (after.statuses[200] !== after.latencies.length || afterPapers.statuses[200] !== afterPapers.latencies.length) failures.push('the survivor answered something other than 200');

      // the jobs handed over: the survivor takes the harvest's lease once the killed node's runs out
      await watching;
      const said = survivor.kept().join('; ') || null;
      const handover = takenAt === null ? null : (takenAt - killedAt) / 1000;
      console.log(`\n  jobs handed over: the survivor held the harvest's lease ${handover === null ? 'never' : `${fmt(handover)} s`} after the kill (lease ${LEASE_SECONDS} s)`);
      console.log(`    the survivor said: ${said ?? '(nothing about taking a job over)'}`);
      if (handover === null || handover > LEASE_SECONDS + 10) failures.push(`the harvest was not taken over within ${LEASE_SECONDS + 10} s of the kill`);

      console.log('\n  side by side, p95 ms / req/s:      one node        two nodes');
      ['daily page', 'paper pages, first views', 'keyword search'].forEach((label, k) =>
        console.log('  ' + label.padEnd(30) + `${fmt(one[k].p95)} / ${fmt(one[k].rps, 0)}`.padStart(16) + `${fmt(two[k].p95)} / ${fmt(two[k].rps, 0)}`.padStart(17)),
      );
      console.log('  targets (issue 14, 50 connections): daily page and paper page p95 ≤ 20 ms');
      await survivor.stop();
      await victim.stop();
    } finally {
      await b.stop();
    }
  } finally {
    await a.stop();
  }
}, process.env.PAPERBOY_BENCH_NODES_POSTGRES_URL ?? `postgres://postgres@127.0.0.1:5432/paperboy_nodesbench_${process.pid}`);
silent.closeAllConnections();
silent.close();
if (failures.length > 0) {
  console.error(`\nFAILED: ${failures.join('; ')}`);
  process.exit(1);
}
