// `npm run bench:cli`: how fast the command line answers, as a user runs it (issue 10, section 5).
// `paperboy stats`, `paperboy config` and `paperboy search` on the 74,728-paper corpus, each
// timed from process start to exit (median of RUNS runs after one warm-up), beside a bare
// `node -e 0` measured in the same rounds: the part of each figure that is Node's own start.
// Target: ≤ 300 ms each; the bench fails (exit 1) when one is over it by a third (> 400 ms).
//
// Each run also reports the CPU time (user + sys) the process used, which a busy machine inflates
// far less than the wall time: bash starts the command and reads both from its own clock and its
// `times` (getrusage of its children), so the figures are the command's alone.
//
// The corpus database is bench/out/cli-corpus.db, made once (ingest, then a first search builds
// the index); PAPERBOY_BENCH_CLI_DB names another (an existing corpus database) instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = join(root, '..', 'shared', 'data', 'arxiv', 'arxiv-cs-2025-2026.kaggle.jsonl.gz');
const out = join(root, 'bench', 'out');
const db = process.env.PAPERBOY_BENCH_CLI_DB || join(out, 'cli-corpus.db');
const bin = join(root, 'bin', 'paperboy.js');
const RUNS = Number(process.env.PAPERBOY_BENCH_CLI_RUNS || 9);
const TARGET_MS = 300;
const LIMIT_MS = TARGET_MS * (4 / 3);
const env = { ...process.env, PAPERBOY_DEMO_DATA: 'false' };

// wall time from bash's clock around the command alone; `times`' second line is its children's CPU
const TIMED = 's=$EPOCHREALTIME; "$@"; r=$?; e=$EPOCHREALTIME; { echo "$s $e"; times; } >&3; exit $r';

function run(args) {
  const r = spawnSync('bash', ['-c', TIMED, 'bash', process.execPath, ...args], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const [clock, , children] = r.output[3].trim().split('\n');
  const [start, end] = clock.split(' ').map((t) => Number(t.replace(',', '.')));
  const [user, sys] = children.trim().split(/\s+/).map(seconds);
  return { ms: (end - start) * 1000, cpuMs: (user + sys) * 1000, stdout: r.stdout };
}

/** bash's `times` format, 0m0.123s */
function seconds(t) {
  const m = /^(\d+)m([\d.,]+)s$/.exec(t);
  if (!m) throw new Error(`unexpected \`times\` output: ${t}`);
  return Number(m[1]) * 60 + Number(m[2].replace(',', '.'));
}

function prepare() {
  if (existsSync(db)) return;
  mkdirSync(out, { recursive: true });
  process.stderr.write(`making ${db} from the corpus (once)…\n`);
  run([bin, 'ingest', corpus, '--db', db]);
  run([bin, 'search', 'warm', '--db', db]); // indexes every paper: later searches find the index current
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

prepare();
const papers = JSON.parse(run([bin, 'stats', '--db', db, '--json']).stdout).papers;
const commands = [
  ['stats', [bin, 'stats', '--db', db]],
  ['config', [bin, 'config']],
  ['search "language model"', [bin, 'search', 'language model', '--db', db]],
];
const peer = ['node -e 0 (Node alone)', ['-e', '0']];

// one warm-up each (the OS's file cache), then rounds that run every command once, so that a
// busy spell of the machine weighs on all of them alike
for (const [, args] of [...commands, peer]) run(args);
const times = new Map([...commands, peer].map(([label]) => [label, []]));
for (let round = 0; round < RUNS; round++) for (const [label, args] of [...commands, peer]) times.get(label).push(run(args));

const wall = (label) => median(times.get(label).map((t) => t.ms));
const cpu = (label) => median(times.get(label).map((t) => t.cpuMs));
const node = wall(peer[0]);
const nodeCpu = cpu(peer[0]);
console.log(`paperboy CLI start to exit, ${papers.toLocaleString('en')} papers, median of ${RUNS} runs (${new Date().toISOString()}, load ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores)`);
console.log(
  `${'command'.padEnd(26)} ${'wall ms'.padStart(8)} ${'min'.padStart(6)} ${'over Node'.padStart(10)} ${'× Node'.padStart(7)}   ${'CPU ms'.padStart(7)} ${'over Node'.padStart(10)} ${'× Node'.padStart(7)}`,
);
const over = [];
for (const [label] of [...commands, peer]) {
  const m = wall(label);
  const c = cpu(label);
  console.log(
    `${label.padEnd(26)} ${m.toFixed(0).padStart(8)} ${Math.min(...times.get(label).map((t) => t.ms)).toFixed(0).padStart(6)} ${(m - node).toFixed(0).padStart(10)} ${(m / node).toFixed(2).padStart(7)}   ` +
      `${c.toFixed(0).padStart(7)} ${(c - nodeCpu).toFixed(0).padStart(10)} ${(c / nodeCpu).toFixed(2).padStart(7)}`,
  );
  if (label !== peer[0] && m > LIMIT_MS) over.push(`${label}: ${m.toFixed(0)} ms`);
}
if (over.length > 0) {
  console.error(`\nFAIL: over the ${TARGET_MS} ms target by more than a third (> ${LIMIT_MS.toFixed(0)} ms): ${over.join(', ')}`);
  console.error(`(Node alone took ${node.toFixed(0)} ms here: on a loaded machine compare the "over Node" and CPU columns)`);
  process.exitCode = 1;
} else console.log(`\nOK: every command within ${LIMIT_MS.toFixed(0)} ms (target ${TARGET_MS} ms)`);
