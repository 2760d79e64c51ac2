// `npm run bench:digest-send`: the send pass of the digests alone, quickly, on SQLite and then
// PostgreSQL (issue 11's "≥ 200 messages/s with pooling"; bench:digest measures it too, after
// seeding 100,000 subscriptions and queueing their digests, which takes many minutes).
//   A slice of the real corpus (the first PAPERBOY_BENCH_SEND_PAPERS, default 20,000, papers of
//   ../shared/data/arxiv, so that the messages carry real titles and abstracts) is stored through
//   `paperboy ingest`; PAPERBOY_BENCH_SEND_MESSAGES (default 4,000) confirmed subscriptions of its
//   busiest weekday (two thirds trending, one third alerts of 1–3 topics from bench/queries.js)
//   get their digests queued (not timed), then a sender in a child process of its own
//   (bench/digest-worker.js `send`, the container's DigestSender with nodemailer's pool,
//   PAPERBOY_MAIL_CONCURRENCY connections, no rate limit) sends them all into an smtp-server sink
//   in this process. Prints messages/s of wall-clock time and per CPU second of the sender
//   process (the fairer figure on a shared machine), with the load.
// Exit 1 when the wall-clock rate is below 133 messages/s (the 200/s target less a third).
// PAPERBOY_BENCH_CPU_PROF=<dir> writes a CPU profile of each sender there.
// PostgreSQL runs on PAPERBOY_BENCH_SEND_POSTGRES_URL (default: a `paperboy_sendbench` database
// created and dropped here; "skip" skips it).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { SMTPServer } from 'smtp-server';
import { openDatabase } from '../dist/adapters/db/open-store.js';
import { root, serverEnv, withPostgres } from './corpus.js';
import { TOPICS } from './queries.js';
// a fixed pseudo-random sequence (mulberry32): the same subscriptions every run
import { seededRandom as prng } from '../dist/core/seeded-random.js';

const PAPERS = Number(process.env.PAPERBOY_BENCH_SEND_PAPERS ?? 20_000);
const MESSAGES = Number(process.env.PAPERBOY_BENCH_SEND_MESSAGES ?? 4_000);
const STORES = process.env.PAPERBOY_BENCH_DIGEST_STORES ?? 'sqlite,postgres';
process.env.PAPERBOY_BENCH_WEB_POSTGRES_URL = process.env.PAPERBOY_BENCH_SEND_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/paperboy_sendbench';
const TARGET = 200;
const LIMIT = TARGET * (2 / 3);
const corpus = join(root, '..', 'shared', 'data', 'arxiv', 'arxiv-cs-2025-2026.kaggle.jsonl.gz');
const bin = join(root, 'bin', 'paperboy.js');
const dir = join(tmpdir(), `paperboy-sendbench-${process.pid}`);
mkdirSync(dir, { recursive: true });
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** The corpus's first PAPERS records, as a .jsonl file `paperboy ingest` reads. */
async function slice() {
  const file = join(dir, 'slice.kaggle.jsonl');
  const lines = [];
  const rl = createInterface({ input: createReadStream(corpus).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    lines.push(line);
    if (lines.length >= PAPERS) break;
  }
  rl.close();
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function ingest(db, file) {
  const r = spawnSync(process.execPath, [bin, 'ingest', file, '--db', db, '--json'], { encoding: 'utf8', env: serverEnv, maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`paperboy ingest failed (${r.status}):\n${r.stderr.slice(-2000)}`);
}

/** The busiest weekday of the slice, and its subscriptions (daily: trending, or alerts). */
async function seed(db) {
  const { store, inbox, index } = await openDatabase(db);
  try {
    await store.migrate();
    await index.refresh();
    const days = await store.dayCounts('2000-01-01', '2100-01-01');
    const weekdays = days.filter((d) => ![0, 6].includes(new Date(`${d.day}T00:00:00Z`).getUTCDay()));
    const busiest = weekdays.reduce((a, b) => (b.papers > a.papers ? b : a));
    const random = prng(7);
    const now = '2025-01-01T00:00:00.000Z';
    const one = async (i) => {
      const topics = i % 3 === 2 ? [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => TOPICS[Math.floor(random() * TOPICS.length)]))] : [];
      const { subscription } = await inbox.requestSubscription({ id: `s${String(i).padStart(7, '0')}`, email: `reader${i}@example.org`, frequency: 'daily', topics, now });
      await inbox.confirm(subscription.id, now);
    };
    for (let i = 0; i < MESSAGES; i += 8) await Promise.all(Array.from({ length: Math.min(8, MESSAGES - i) }, (_, k) => one(i + k)));
    return busiest;
  } finally {
    await store.close();
  }
}

/** An SMTP server that takes every message and keeps none; counts messages and bytes. */
async function startSink() {
  let received = 0;
  let bytes = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', (d) => (bytes += d.length));
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${server.server.address().port}`, received: () => received, bytes: () => bytes, close: () => new Promise((r) => server.close(r)) };
}

/** A phase of bench/digest-worker.js in a child process (asynchronously: the sink here goes on answering). */
async function worker(args, env) {
  // PAPERBOY_BENCH_CPU_PROF=<dir>: a V8 CPU profile of each sender, to see where its time goes
  const prof = process.env.PAPERBOY_BENCH_CPU_PROF && args[0] === 'send' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PAPERBOY_BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, join(root, 'bench', 'digest-worker.js'), ...args], {
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

async function bench(label, db, file) {
  const started = Date.now();
  ingest(db, file);
  const day = await seed(db);
  const sink = await startSink();
  try {
    const queued = await worker(['queue', db, day.day], { SMTP_URL: sink.url });
    const messages = queued.reports.reduce((n, r) => n + r.queued, 0);
    process.stderr.write(`  ${label}: set up in ${((Date.now() - started) / 1000).toFixed(0)} s: ${day.papers} papers on ${day.day}, ${messages} messages queued\n`);
    const sent = await worker(['send', db, String(messages)], { SMTP_URL: sink.url });
    const kb = sink.bytes() / Math.max(1, sink.received()) / 1024;
    console.log(
      `${label}: ${sent.tally.sent} sent in ${sent.seconds.toFixed(1)} s = ${sent.rate.toFixed(0)} messages/s (target ≥ ${TARGET}/s), ` +
        `${sent.ratePerCpu.toFixed(0)} per CPU second of the sender (${sent.cpuSeconds.toFixed(1)} s CPU); sink received ${sink.received()}, ${kb.toFixed(0)} kB each; ${uptime()}`,
    );
    if (sent.tally.sent !== messages || sink.received() !== messages) throw new Error(`${label}: ${messages} queued, ${sent.tally.sent} sent, ${sink.received()} received`);
    return sent.rate < LIMIT ? [`${label} ${sent.rate.toFixed(0)}/s < ${LIMIT.toFixed(0)}/s`] : [];
  } finally {
    await sink.close();
  }
}

const file = await slice();
console.log(`digest send: ${MESSAGES.toLocaleString('en')} subscriptions over the corpus's first ${PAPERS.toLocaleString('en')} papers; ${uptime()}`);
const misses = [];
if (STORES.includes('sqlite')) {
  const db = join(dir, 'send.db');
  misses.push(...(await bench('SQLite', db, file)));
}
if (STORES.includes('postgres')) misses.push(...((await withPostgres((url) => bench('PostgreSQL', url, file))) ?? []));
if (misses.length > 0) {
  console.error(`\nFAIL: a send rate misses its target by more than a third: ${misses.join('; ')}`);
  process.exitCode = 1;
} else console.log('\nOK: every send rate within a third of its target');
