// `npm run bench:digest`: the digest figures of issue 11, on SQLite and then PostgreSQL.
//   100,000 confirmed subscriptions over the 74,728-paper corpus and the Hugging Face days
//   (bench/corpus.js): a third daily trending, a third weekly trending, a third alerts with 1–3
//   topics drawn from realistic queries (bench/queries.js), half daily, half weekly. Then, each
//   in a child process of its own (bench/digest-worker.js):
//     - compose and queue: the busiest weekday's daily digests and its ISO week's weekly ones,
//       every subscription walked, each period ranked once, each distinct topic searched once;
//       seconds and peak RSS (targets: ≤ 60 s, ≤ 400 MB);
//     - send: PAPERBOY_BENCH_DIGEST_SEND (default 10,000) of those messages, rendered and sent
//       with nodemailer's pool into an smtp-server sink in this process; messages/s (target
//       ≥ 200/s).
// Exit 1 when a figure misses its target by a third (> 80 s, > 533 MB, < 133 messages/s). Each
// phase also prints the CPU seconds it used: on a machine shared with other work the wall-clock
// figures stretch, the CPU ones much less.
// SQLite runs on a copy of bench/out/web.db (made by bench/corpus.js, reused); PostgreSQL on
// PAPERBOY_BENCH_WEB_POSTGRES_URL (default: a `paperboy_digestbench` database created and dropped
// here; "skip" skips it).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { openDatabase } from '../dist/adapters/db/open-store.js';
import { isoWeekKey } from '../dist/core/periods.js';
import { catchUpIndex, ingest, out, pickTargets, prepareSqlite, root, serverEnv, sqliteDb, withPostgres } from './corpus.js';
import { TOPICS } from './queries.js';
// a fixed pseudo-random sequence (mulberry32): the same subscriptions every run
import { seededRandom as prng } from '../dist/core/seeded-random.js';

const SUBSCRIPTIONS = Number(process.env.PAPERBOY_BENCH_DIGEST_SUBSCRIPTIONS ?? 100_000);
const SEND = Number(process.env.PAPERBOY_BENCH_DIGEST_SEND ?? 10_000);
// a database of its own (bench:web's is dropped and made again by each of its runs)
process.env.PAPERBOY_BENCH_WEB_POSTGRES_URL ??= 'postgres://postgres@127.0.0.1:5432/paperboy_digestbench';
/** PAPERBOY_BENCH_DIGEST_STORES=sqlite (or postgres) runs one store only */
const STORES = process.env.PAPERBOY_BENCH_DIGEST_STORES ?? 'sqlite,postgres';
const TARGET = { seconds: 60, peakMB: 400, rate: 200 };
const LIMIT = { seconds: TARGET.seconds * (4 / 3), peakMB: TARGET.peakMB * (4 / 3), rate: TARGET.rate * (2 / 3) };

/** The subscriptions, through the inbox port as the subscribe form makes them: pending, then confirmed. */
async function seed(db) {
  const started = Date.now();
  const { store, inbox } = await openDatabase(db);
  try {
    await store.migrate();
    const random = prng(11);
    const now = '2025-01-01T00:00:00.000Z';
    const one = async (i) => {
      const kind = i % 3;
      const topics = kind < 2 ? [] : Array.from({ length: 1 + Math.floor(random() * 3) }, () => TOPICS[Math.floor(random() * TOPICS.length)]);
      const frequency = kind === 0 ? 'daily' : kind === 1 ? 'weekly' : i % 2 ? 'daily' : 'weekly';
      const id = `b${String(i).padStart(7, '0')}${Math.floor(random() * 1e9).toString(36)}`;
      const { subscription } = await inbox.requestSubscription({ id, email: `reader${i}@example.org`, frequency, topics: [...new Set(topics)], now });
      await inbox.confirm(subscription.id, now);
    };
    // a few at a time: PostgreSQL answers each on its own connection of the pool
    for (let i = 0; i < SUBSCRIPTIONS; i += 8) await Promise.all(Array.from({ length: Math.min(8, SUBSCRIPTIONS - i) }, (_, k) => one(i + k)));
  } finally {
    await store.close();
  }
  process.stderr.write(`  ${SUBSCRIPTIONS.toLocaleString('en')} confirmed subscriptions in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

/** An SMTP server that takes every message and keeps none. */
async function startSink() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${server.server.address().port}`, received: () => received, close: () => new Promise((r) => server.close(r)) };
}

/** A phase in a child process; asynchronously, for the sink in this process must go on answering. */
async function worker(args, env) {
  const child = spawn(process.execPath, [join(root, 'bench', 'digest-worker.js'), ...args], {
    // no rate limit: the figure is how fast it can send (PAPERBOY_MAIL_RATE, 20/s by default,
    // would cap it); the default pool of PAPERBOY_MAIL_CONCURRENCY connections unless set
    env: { ...serverEnv, PUBLIC_URL: 'https://papers.example.org/', MAIL_FROM: 'Paperboy <digest@papers.example.org>', PAPERBOY_MAIL_RATE: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d.toString()));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`bench/digest-worker.js ${args[0]} exited ${code}`);
  return JSON.parse(stdout.trim().split('\n').pop());
}

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim().replace(/^.*(load average)/, '$1');

/** `seeded`: the database has the subscriptions already (a kept SQLite copy) */
async function bench(label, db, { seeded = false } = {}) {
  const { day } = await pickTargets(db);
  const periods = [day.day, isoWeekKey(day.day)];
  if (!seeded) await seed(db);
  const sink = await startSink();
  try {
    console.log(`\n${label}: ${SUBSCRIPTIONS.toLocaleString('en')} subscriptions, periods ${periods.join(' and ')} (${day.papers} papers on ${day.day})`);
    const queued = await worker(['queue', db, ...periods], { SMTP_URL: sink.url });
    const messages = queued.reports.reduce((n, r) => n + r.queued, 0);
    for (const r of queued.reports) console.log(`  ${r.frequency} ${r.period}: ${r.papers} papers, ${r.subscriptions} subscriptions walked, ${r.queued} queued`);
    console.log(`  compose and queue: ${queued.seconds.toFixed(1)} s (target ≤ ${TARGET.seconds} s; ${queued.cpuSeconds.toFixed(1)} s of CPU), peak RSS ${queued.peakMB.toFixed(0)} MB (target ≤ ${TARGET.peakMB} MB), ${messages} messages; ${uptime()}`);
    const sent = await worker(['send', db, String(SEND)], { SMTP_URL: sink.url });
    console.log(`  send: ${sent.tally.sent} sent in ${sent.seconds.toFixed(1)} s = ${sent.rate.toFixed(0)} messages/s (target ≥ ${TARGET.rate}/s; ${sent.ratePerCpu.toFixed(0)} per CPU second of the sender), sink received ${sink.received()}, peak RSS ${sent.peakMB.toFixed(0)} MB; ${uptime()}`);
    const misses = [];
    if (queued.seconds > LIMIT.seconds) misses.push(`${label} queue ${queued.seconds.toFixed(1)} s > ${LIMIT.seconds.toFixed(0)} s`);
    if (queued.peakMB > LIMIT.peakMB) misses.push(`${label} peak RSS ${queued.peakMB.toFixed(0)} MB > ${LIMIT.peakMB.toFixed(0)} MB`);
    if (sent.rate < LIMIT.rate) misses.push(`${label} send ${sent.rate.toFixed(0)}/s < ${LIMIT.rate.toFixed(0)}/s`);
    return misses;
  } finally {
    await sink.close();
  }
}

/** Copies a SQLite database with its WAL (none of them open). */
function copyDb(from, to) {
  for (const s of ['', '-wal', '-shm']) rmSync(to + s, { force: true });
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}

// the corpus with its index and the subscriptions, made once and kept (seeding 100,000 through the
// port takes minutes); each run measures on a fresh copy of it, its outbox empty
async function sqliteBench() {
  prepareSqlite();
  const seededDb = join(out, 'digest-seeded.db');
  const marker = `${readFileSync(`${sqliteDb}.done`, 'utf8').trim()}; ${SUBSCRIPTIONS} subscriptions`;
  if (!existsSync(`${seededDb}.done`) || readFileSync(`${seededDb}.done`, 'utf8') !== marker) {
    rmSync(`${seededDb}.done`, { force: true });
    copyDb(sqliteDb, seededDb);
    await catchUpIndex(seededDb);
    await seed(seededDb);
    writeFileSync(`${seededDb}.done`, marker);
  } else process.stderr.write(`reusing ${seededDb} (${marker})\n`);
  const copy = join(out, 'digest.db');
  copyDb(seededDb, copy);
  const result = await bench('SQLite', copy, { seeded: true });
  for (const s of ['', '-wal', '-shm']) rmSync(copy + s, { force: true });
  return result;
}

const misses = [];
if (STORES.includes('sqlite')) misses.push(...(await sqliteBench()));
if (STORES.includes('postgres'))
  misses.push(
    ...((await withPostgres(async (url) => {
      ingest(url);
      await catchUpIndex(url);
      return bench('PostgreSQL', url);
    })) ?? []),
  );
if (misses.length > 0) {
  console.error(`\nFAIL: a figure misses its target by more than a third: ${misses.join('; ')}`);
  process.exitCode = 1;
} else console.log('\nOK: every figure within a third of its target');
