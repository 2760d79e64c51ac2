// One measured phase of bench/digest.bench.js, in a process of its own (so that its peak RSS is
// the phase's, not the seeding's): `queue` composes and reserves the daily and weekly digests of
// two periods for every subscription; `send` sends due messages into the SMTP sink named by
// SMTP_URL until `limit` are done. Prints one JSON line: seconds, peak RSS and the reports.
/* global performance, AbortController -- Node 20's, which the lint config's globals for .js files don't list */
import { loadConfig } from '../dist/config.js';
import { createContainer } from '../dist/container.js';
import { digestParts, openMailer } from '../dist/container-digest.js';
import { parseDigestPeriod } from '../dist/core/digest-schedule.js';

const [phase, db, ...rest] = process.argv.slice(2);
const config = loadConfig(process.env);
const c = await createContainer(config, { db });
const mailer = await openMailer(config);
const parts = digestParts(c, mailer);
const peakMB = () => process.resourceUsage().maxRSS / 1024;
/** CPU seconds this process used since `from` (user + system): the figure a busy machine does not change much */
const cpuSince = (from) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};
try {
  if (phase === 'queue') {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const reports = [];
    for (const key of rest) reports.push(await parts.digests.queuePeriod(parseDigestPeriod(key), { size: parts.size }));
    console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSince(cpu), peakMB: peakMB(), reports }));
  } else {
    const limit = Number(rest[0]);
    const stop = new AbortController();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const tally = await parts.sender.sendDue({
      ...parts.send,
      signal: stop.signal,
      onMessage: (t) => {
        if (t.sent + t.retry + t.failed >= limit) stop.abort();
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpuSince(cpu);
    console.log(JSON.stringify({ seconds, cpuSeconds, peakMB: peakMB(), tally, rate: tally.sent / seconds, ratePerCpu: tally.sent / cpuSeconds }));
  }
} finally {
  await mailer.close();
  await c.close();
}
