// What the web benchmarks share (bench/web.bench.js, bench/stall.bench.js): the 74,728-paper
// corpus (../shared/data/arxiv) and the Hugging Face days 2025-03 → 2026-06 stored through
// `paperboy ingest` (on SQLite kept in bench/out/web.db and reused while the schema is the same;
// PAPERBOY_BENCH_FRESH=1 ingests again), its search index and related papers brought up to date,
// the pages worth measuring picked through the store port, and `paperboy serve` started on it in
// a child process, offline and quiet.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../dist/adapters/db/open-store.js';
import { RelatedService } from '../dist/services/related.service.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'data');
const corpus = join(shared, 'arxiv', 'arxiv-cs-2025-2026.kaggle.jsonl.gz');
const hfDir = join(shared, 'hf-daily-papers');
export const out = join(root, 'bench', 'out');
export const sqliteDb = join(out, 'web.db');
const sqliteDone = `${sqliteDb}.done`;
const bin = join(root, 'bin', 'paperboy.js');

const PAPER_IDS = 5_000;

// keep the servers offline and quiet: the harvest schedule fires once a year, at unreachable hosts
export const serverEnv = {
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
export function ingest(db) {
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
export function prepareSqlite() {
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
export async function catchUpIndex(db) {
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
export async function pickTargets(db) {
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

/** The message of one of serve's log lines (JSON, pino), or the line itself. */
function messageOf(line) {
  try {
    return String(JSON.parse(line).msg ?? '');
  } catch {
    return line;
  }
}

/**
 * `paperboy serve --port 0` in a child process; resolves to its base URL once it listens (and,
 * unless `pagesAhead` is false, once it has rendered the paper pages ahead). `env` adds settings;
 * `cpuProf` is a directory for --cpu-prof; the messages `keep` matches are kept whole (`kept()`),
 * while the log keeps only its last 256 kB (a line per request).
 */
export async function startServer(db, { env = {}, cpuProf, pagesAhead = true, keep = null } = {}) {
  const args = [...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : []), bin, 'serve', '--port', '0', '--db', db];
  const child = spawn(process.execPath, args, { env: { ...serverEnv, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  // serve logs a JSON line per request (decision 036): each line is looked at once, as it comes,
  // and only the last 256 kB are kept, so that a long run neither grows this string nor rescans it
  let recent = [];
  let partial = '';
  const log = () => recent.join('').slice(-256 * 1024);
  let ahead = null;
  const kept = [];
  const base = await new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      const text = partial + d.toString();
      const lines = text.split('\n');
      partial = lines.pop();
      for (const line of lines) {
        if (keep?.test(line)) kept.push(messageOf(line));
        // the request lines (most of them) are not parsed: the load generator shares this process
        if (!/Paperboy on|ahead/.test(line)) continue;
        const msg = messageOf(line);
        const m = /^Paperboy on (http:\/\/localhost:\d+)\//.exec(msg);
        if (m) resolve(m[1]);
        if (/^paper pages rendered ahead: |^rendering paper pages ahead failed/.test(msg)) ahead = msg;
      }
      // the last lines, trimmed now and then (copying the kept 256 kB at every chunk, a line per
      // request, was most of the load generator's CPU)
      for (const line of lines) recent.push(`${line}\n`);
      if (recent.length > 8192) recent = recent.slice(-4096);
    });
    child.once('exit', (code) => reject(new Error(`paperboy serve exited (${code}):\n${log().slice(-3000)}`)));
  });
  // serve renders the paper pages ahead once listening (decision 009): measured once it is done
  const started = Date.now();
  while (pagesAhead && ahead === null) {
    if (child.exitCode !== null || Date.now() - started > 30 * 60_000) throw new Error(`paperboy serve did not render the pages ahead:\n${log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  if (pagesAhead) process.stderr.write(`  ${ahead}\n`);
  return {
    base,
    pid: child.pid,
    log,
    kept: () => kept,
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
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s on Linux)
  } catch {
    return null;
  }
}

export function percentile(sorted, q) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/**
 * Runs fn on a fresh PostgreSQL database at `url` (default: PAPERBOY_BENCH_WEB_POSTGRES_URL, else a
 * `paperboy_webbench_<pid>` database on the local server, so that two benchmarks running at once
 * never drop each other's), created here and dropped after; null when the setting is "skip" or
 * no server answers.
 */
export async function withPostgres(fn, url = process.env.PAPERBOY_BENCH_WEB_POSTGRES_URL ?? `postgres://postgres@127.0.0.1:5432/paperboy_webbench_${process.pid}`) {
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

