// Runs one `paperboy` CLI command in this process and reports its wall time and peak RSS on
// stderr as JSON, so the benchmark measures the real command path in a process of its own.
import { main } from '../dist/delivery/cli/main.js';

const started = process.hrtime.bigint();
const code = await main(['node', 'paperboy', ...process.argv.slice(2)]);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stderr.write(`BENCH ${JSON.stringify({ code, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exitCode = code;
