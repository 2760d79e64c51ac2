/**
 * serve's digests (issue 11): the scheduler, its lease and its round, on the container, with
 * the SMTP mailer when SMTP_URL is set (else only unconfirmed subscriptions are expired).
 * Imported by serve alone, and nodemailer only when there is an SMTP server to send to.
 */
import type { Container } from '../../container.js';
import type { JobLease } from '../../services/job-lease.js';
import { dailyCron } from '../../core/digest-schedule.js';
import { digestRound, type DigestsSent } from './digest-round.js';
import type { Log } from '../../ports/log.js';
import { DigestScheduler } from './digest-scheduler.js';

/** How often the sender loop looks for messages due again (retries, a dead node's claims). */
const SEND_EVERY_MS = 60_000;

export async function startDigests(c: Container, lease: JobLease, log: Log, sent?: DigestsSent): Promise<{ scheduler: DigestScheduler; notice: string | null; close(): Promise<void> }> {
  const { config } = c;
  let parts = null;
  if (config.SMTP_URL) {
    const { digestParts, openMailer } = await import('../../container-digest.js');
    parts = digestParts(c, await openMailer(config));
  }
  const scheduler = new DigestScheduler({
    pattern: dailyCron(config.PAPERBOY_DIGEST_TIME),
    timezone: config.PAPERBOY_TIMEZONE,
    sendEveryMs: SEND_EVERY_MS,
    lease,
    log,
    round: digestRound(c, parts, log, sent),
  });
  // said once serve listens, so that a refusal to listen stays the one line it prints
  const notice = parts ? null : 'digests: SMTP_URL is not set, nothing will be sent (unconfirmed subscriptions still expire)';
  return { scheduler, notice, close: async () => parts?.mailer.close() };
}
