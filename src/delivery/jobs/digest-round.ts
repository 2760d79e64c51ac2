/**
 * One round of serve's digest schedule (delivery/jobs/digest-scheduler.ts runs it under the
 * lease): delete subscriptions left unconfirmed for a week, queue the latest complete daily and
 * weekly periods (when asked: at the daily time and after a harvest), and send what is due.
 * Without SMTP_URL only the first step runs: nothing can be sent.
 */
import type { Container } from '../../container.js';
import type { DigestParts } from '../../container-digest.js';
import { DIGEST_FREQUENCIES, latestCompletePeriod } from '../../core/digest-schedule.js';
import type { DigestRoundRequest } from './digest-scheduler.js';
import type { Log } from '../../ports/log.js';

/** What a round sent, for /metrics (delivery/http/metrics.ts). */
export type DigestsSent = (t: { sent: number; retry: number; failed: number }) => void;

/** How long a subscription may wait for its confirmation before it is deleted. */
export const PENDING_TTL_MS = 7 * 86_400_000;

export function digestRound(c: Pick<Container, 'config' | 'inbox' | 'search'>, parts: DigestParts | null, log: Log, sent?: DigestsSent) {
  return async ({ queue, signal }: DigestRoundRequest): Promise<void> => {
    const now = new Date();
    const started = Date.now();
    const expired = await c.inbox.expirePending(new Date(now.getTime() - PENDING_TTL_MS).toISOString());
    if (expired > 0) log(`subscriptions: ${expired} unconfirmed for over a week deleted`);
    if (!parts) return;
    if (queue)
      for (const frequency of DIGEST_FREQUENCIES) {
        if (signal.aborted) return;
        const r = await parts.digests.queuePeriod(latestCompletePeriod(frequency, now, c.config.PAPERBOY_TIMEZONE), { size: parts.size });
        if (r.queued > 0)
          log(`digests ${r.frequency} ${r.period}: queued ${r.queued} for ${r.subscriptions} subscriptions (${r.papers} papers)`, {
            job: 'digests-queue',
            frequency: r.frequency,
            period: r.period,
            queued: r.queued,
            subscriptions: r.subscriptions,
          });
      }
    const t = await parts.sender.sendDue({ ...parts.send, signal });
    sent?.(t);
    const seconds = (Date.now() - started) / 1000;
    if (t.sent + t.retry + t.failed > 0)
      log(`digests: sent ${t.sent}, retry ${t.retry}, failed ${t.failed} in ${seconds.toFixed(1)} s`, { job: 'digests', sent: t.sent, retry: t.retry, failed: t.failed, seconds });
  };
}
