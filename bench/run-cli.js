// Runs one `paperboy` CLI command in this process, as bin/paperboy.js does, and reports on stderr
// as JSON, when the process exits: `seconds` from the command's start to its end, and for the
// whole process (start to exit, module loading and closing the store included) its
// `processSeconds`, `cpuSeconds` (user + system, every thread), `mainThreadCpuSeconds` and peak RSS.
import { readFileSync } from 'node:fs';
import { main } from '../dist/delivery/cli/main.js';

/** CPU seconds of this process's main thread (Linux /proc; null elsewhere): with a worker, the critical path. */
function mainThreadCpu() {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

const started = process.hrtime.bigint();
const code = await main(['node', 'paperboy', ...process.argv.slice(2)]);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.exitCode = code;
process.on('exit', () => {
  const u = process.resourceUsage();
  const report = { code, seconds, processSeconds: process.uptime(), cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6, mainThreadCpuSeconds: mainThreadCpu(), maxRssMB: u.maxRSS / 1024 };
  process.stderr.write(`BENCH ${JSON.stringify(report)}\n`);
});
