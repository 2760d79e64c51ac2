// Runs one `paperboy` CLI command in this process, as bin/paperboy.js does, and reports on stderr
// as JSON, when the process exits: `seconds` from the command's start to its end, and for the
// whole process (start to exit, module loading and closing the store included) its
// `processSeconds`, `cpuSeconds` (user + system) and peak RSS.
import { main } from '../dist/delivery/cli/main.js';

const started = process.hrtime.bigint();
const code = await main(['node', 'paperboy', ...process.argv.slice(2)]);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.exitCode = code;
process.on('exit', () => {
  const u = process.resourceUsage();
  const report = { code, seconds, processSeconds: process.uptime(), cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssMB: u.maxRSS / 1024 };
  process.stderr.write(`BENCH ${JSON.stringify(report)}\n`);
});
