/**
 * `paperboy digest send [--period YYYY-MM-DD|YYYY-Www] [--dry-run [--out <dir>]]`: queues the
 * period's digests (by default the latest complete day and ISO week, in PAPERBOY_TIMEZONE) and
 * sends every due message, then prints what happened. A run after a crash finishes the crashed
 * one's messages (it waits for their claims to lapse); a rerun queues and sends nothing.
 * --dry-run composes the same digests into .eml files and changes nothing in the database.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Container } from '../../container.js';
import { digestParts, openMailer } from '../../container-digest.js';
import { DIGEST_FREQUENCIES, latestCompletePeriod, type DigestPeriod } from '../../core/digest-schedule.js';
import type { QueueReport } from '../../services/digest.service.js';
import type { SendTally } from '../../services/digest-sender.js';
import type { Io } from './main.js';
import { createCounter } from './progress.js';

export interface DigestSendOpts {
  /** parsed by the caller (a malformed one fails before the database opens) */
  period?: DigestPeriod;
  dryRun?: boolean;
  out?: string;
  db?: string;
  json?: boolean;
}

export interface DigestSendReport {
  periods: QueueReport[];
  queued: number;
  sent: number;
  retry: number;
  failed: number;
  /** --dry-run: where the .eml files are */
  out?: string;
  /** how long the run took, start to end */
  seconds: number;
}

export async function runDigestSend(c: Container, opts: DigestSendOpts, io: Io): Promise<number> {
  const started = performance.now();
  const tty = io.stderr.isTTY ? (io.stderr as NodeJS.WriteStream) : null;
  const out = opts.dryRun ? resolve(opts.out ?? 'digests-dry-run') : undefined;
  if (out) mkdirSync(out, { recursive: true });
  const mailer = await openMailer(c.config, out);
  try {
    const parts = digestParts(c, mailer);
    const now = new Date();
    const periods = opts.period ? [opts.period] : DIGEST_FREQUENCIES.map((f) => latestCompletePeriod(f, now, c.config.PAPERBOY_TIMEZONE));
    // a topic alert searches the period's new papers: index what a harvest or ingest left waiting
    if (!out) await c.search.refresh();
    const report: DigestSendReport = { periods: [], queued: 0, sent: 0, retry: 0, failed: 0, ...(out ? { out } : {}), seconds: 0 };
    for (const period of periods) {
      const counter = createCounter(`${out ? 'composing' : 'queueing'} ${period.frequency} ${period.key}`, 'subscriptions', null, tty);
      const queueOpts = { size: parts.size, onBatch: (n: number) => counter.update(n) };
      const r = out ? await parts.digests.preview(period, queueOpts, parts.mail, mailer) : await parts.digests.queuePeriod(period, queueOpts);
      counter.stop();
      report.periods.push(r);
      report.queued += r.queued;
    }
    if (!out) Object.assign(report, await send(c, parts, tty));
    report.seconds = Math.round(performance.now() - started) / 1000;
    print(report, opts, io);
    return 0;
  } finally {
    await mailer.close();
  }
}

async function send(c: Container, parts: ReturnType<typeof digestParts>, tty: NodeJS.WriteStream | null): Promise<SendTally> {
  const counts = await c.inbox.outboxCounts();
  const counter = createCounter('sending', 'messages', counts.queued + counts.sending, tty);
  const tally = await parts.sender.sendDue({ ...parts.send, waitForStranded: true, onMessage: (t) => counter.update(t.sent + t.retry + t.failed) });
  counter.stop();
  return tally;
}

function print(r: DigestSendReport, opts: DigestSendOpts, io: Io): void {
  if (opts.json) {
    io.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  for (const p of r.periods)
    io.stdout.write(
      p.papers === 0
        ? `${p.frequency} ${p.period}: no papers, nothing to send\n`
        : `${p.frequency} ${p.period}: ${p.papers} papers, ${p.subscriptions} subscriptions, ${opts.dryRun ? 'composed' : 'queued'} ${p.queued}\n`,
    );
  const took = `in ${r.seconds.toFixed(1)} s`;
  if (r.out) io.stdout.write(`dry run: wrote ${r.queued} .eml files to ${r.out} ${took}; the database is unchanged\n`);
  else io.stdout.write(`queued ${r.queued}, sent ${r.sent}, retry ${r.retry}, failed ${r.failed} ${took}\n`);
}
