/**
 * Sending digests (issue 11, decision 018), step two: the outbox's due messages are claimed
 * under a lease (a row left in `sending` by a dead sender comes back when its lease runs out),
 * each rendered from the papers reserved for it and handed to the mailer, a bounded number at a
 * time and at most so many per second. Accepted: sent. A temporary failure (4xx, connection
 * lost, timeout): tried again after an exponential, jittered wait. A permanent one (5xx), or
 * too many tries: failed, and its papers go back to the reader's pool. A message whose
 * subscription is gone, unsubscribed or paused, or whose address is suppressed, is not sent
 * (failed, with the reason).
 */
import { DEFAULT_BACKOFF, retryDelayMs, type Backoff } from '../core/digest-schedule.js';
import type { Paper } from '../core/paper.js';
import type { DigestOutbox, OutboxMessage } from '../ports/digest-outbox.js';
import { MailError, type Mailer } from '../ports/mailer.js';
import type { PaperReads } from '../ports/paper-reads.js';
import type { Subscription, Subscriptions } from '../ports/subscriptions.js';
import { renderMessage, type DigestMail } from './digest-mail.js';

export interface SenderDeps {
  subscriptions: Pick<Subscriptions, 'subscription' | 'addressState'>;
  outbox: Pick<DigestOutbox, 'claimDue' | 'markSent' | 'markRetry' | 'markFailed' | 'outboxCounts'>;
  papers: Pick<PaperReads, 'getPapers'>;
  mail: Pick<DigestMail, 'render'>;
  mailer: Pick<Mailer, 'send'>;
  now: () => Date;
  random?: () => number;
}

export interface SendOptions {
  /** messages in flight at once (PAPERBOY_MAIL_CONCURRENCY) */
  concurrency: number;
  /** messages started per second at most (PAPERBOY_MAIL_RATE); 0: no limit */
  rate: number;
  /** how long a claim holds: a row still `sending` after it is another sender's to retry */
  leaseMs: number;
  /** tries before a temporarily failing message is given up (failed) */
  maxAttempts: number;
  backoff?: Backoff;
  /**
   * also wait for rows another sender left in `sending` (claimed but not marked) to come due
   * and send them: what `digest send` does, so that a run after a crash finishes the crashed
   * one's messages; the serve loop picks them up on a later round instead
   */
  waitForStranded?: boolean;
  signal?: AbortSignal;
  /** after each message: the tally so far */
  onMessage?: (tally: SendTally) => void;
}

export interface SendTally {
  sent: number;
  /** put back to be tried later */
  retry: number;
  /** failed for good, or not sent (gone, unsubscribed, paused, suppressed) */
  failed: number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

/** A claimed message with the papers it carries (read for its whole claim at once). */
interface Claimed {
  message: OutboxMessage;
  papers: ReadonlyMap<string, Paper>;
  /** its subscription, or why it must not go out: started when claimed, side by side with the others */
  check: Promise<Subscription | string>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

export class DigestSender {
  private readonly random: () => number;
  /** keys this process is sending right now */
  private readonly inFlight = new Set<string>();

  constructor(private readonly deps: SenderDeps) {
    this.random = deps.random ?? Math.random;
  }

  /** Sends every due message, claiming as it goes, until none is due (or the signal aborts). */
  async sendDue(opts: SendOptions): Promise<SendTally> {
    const tally: SendTally = { sent: 0, retry: 0, failed: 0 };
    const pace = pacer(opts.rate);
    let strandedSince: number | null = null;
    while (!opts.signal?.aborted) {
      const claimedAny = await this.drain(opts, pace, tally);
      if (!opts.waitForStranded || opts.signal?.aborted) break;
      if ((await this.deps.outbox.outboxCounts()).sending === 0) break;
      if (claimedAny) strandedSince = null;
      strandedSince ??= Date.now();
      if (Date.now() - strandedSince > 2 * opts.leaseMs + 5_000) break; // a live sender holds them
      await sleep(Math.min(500, opts.leaseMs));
    }
    return tally;
  }

  /**
   * Workers take claimed messages from a shared buffer, the one that finds it empty claiming
   * the next few: small claims, so that a claimed row waits little under its lease, and only
   * the rows in flight when a sender dies can have reached the server unmarked. Ends when a
   * claim comes back empty; true when anything was claimed.
   */
  private async drain(opts: SendOptions, pace: () => Promise<void>, tally: SendTally): Promise<boolean> {
    const concurrency = Math.max(1, Math.floor(opts.concurrency));
    const buffer: Claimed[] = [];
    let claiming: Promise<number> | null = null;
    let claimedAny = false;
    const claim = async () => {
      const claimed = await this.deps.outbox.claimDue(this.deps.now().toISOString(), concurrency * 2, opts.leaseMs);
      // a message of ours whose lease ran out while its send was still going is left to that send
      const mine = claimed.filter((m) => !this.inFlight.has(m.key));
      // each message's checks start now, all at once, while the workers send what came before
      // (a claim is a few messages, sent within moments: still checked at send time)
      const checks = mine.map((m) => this.subscriptionToSend(m));
      for (const c of checks) c.catch(() => {}); // a failed check fails its message when awaited, in deliver
      // the papers of the whole claim in one read, not one per message
      const papers = mine.length > 0 ? await this.deps.papers.getPapers([...new Set(mine.flatMap((m) => m.items.map((i) => i.paperId)))]) : new Map<string, Paper>();
      buffer.push(...mine.map((message, i) => ({ message, papers, check: checks[i]! })));
      claimedAny ||= claimed.length > 0;
      return claimed.length;
    };
    const worker = async () => {
      while (!opts.signal?.aborted) {
        let c = buffer.shift();
        if (!c) {
          claiming ??= claim().finally(() => (claiming = null));
          const got = await claiming;
          c = buffer.shift();
          if (!c) {
            if (got === 0) return;
            continue;
          }
        }
        this.inFlight.add(c.message.key);
        try {
          tally[await this.deliver(c, opts, pace)]++;
        } finally {
          this.inFlight.delete(c.message.key);
        }
        opts.onMessage?.(tally);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    // stopped with claims not yet tried: due again now, not when their lease runs out
    for (const { message: m } of buffer.splice(0)) await this.deps.outbox.markRetry(m.key, 'not tried: the sender stopped', this.deps.now().toISOString());
    return claimedAny;
  }

  private async deliver({ message: m, papers, check }: Claimed, opts: SendOptions, pace: () => Promise<void>): Promise<keyof SendTally> {
    const now = () => this.deps.now().toISOString();
    const checked = await check;
    if (typeof checked === 'string') {
      await this.deps.outbox.markFailed(m.key, checked, now());
      return 'failed';
    }
    try {
      const email = await renderMessage(this.deps.mail, papers, { subscription: checked, period: m.period, messageId: m.messageId, items: m.items });
      if (!email) {
        await this.deps.outbox.markFailed(m.key, 'not sent: none of its papers is stored any more', now());
        return 'failed';
      }
      await pace();
      await this.deps.mailer.send(email);
    } catch (e) {
      return this.failed(m, e, opts);
    }
    await this.deps.outbox.markSent(m.key, now());
    return 'sent';
  }

  /** The message's subscription, or why it must not go out: checked at send time, for things change after queueing. */
  private async subscriptionToSend(m: OutboxMessage): Promise<Subscription | string> {
    // both reads at once: they are independent, and each is a round trip on PostgreSQL
    const [sub, address] = await Promise.all([this.deps.subscriptions.subscription(m.subscriptionId), this.deps.subscriptions.addressState(m.email)]);
    if (!sub) return 'not sent: the subscription is gone';
    if (sub.status !== 'active') return `not sent: the subscription is ${sub.status}`;
    if (address.suppressed) return 'not sent: the address is suppressed (hard bounce or complaint)';
    return sub;
  }

  private async failed(m: OutboxMessage, e: unknown, opts: SendOptions): Promise<keyof SendTally> {
    const now = this.deps.now();
    const permanent = e instanceof MailError && e.kind === 'permanent';
    const reason = `${e instanceof MailError ? `${e.kind} (${e.responseCode ?? 'no reply'})` : 'error'}: ${(e as Error).message ?? String(e)}`.slice(0, 1000);
    // m.attempts counts this try: claimDue added it
    if (permanent || m.attempts >= opts.maxAttempts) {
      await this.deps.outbox.markFailed(m.key, permanent ? reason : `gave up after ${m.attempts} tries: ${reason}`, now.toISOString());
      return 'failed';
    }
    const wait = retryDelayMs(m.attempts, this.random(), opts.backoff ?? DEFAULT_BACKOFF);
    await this.deps.outbox.markRetry(m.key, reason, new Date(now.getTime() + wait).toISOString());
    return 'retry';
  }
}

/** Spaces starts 1/rate s apart (shared by every worker of a sender); no wait at rate 0. */
function pacer(rate: number): () => Promise<void> {
  if (!(rate > 0)) return async () => {};
  const gap = 1000 / rate;
  let nextAt = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, nextAt);
    nextAt = at + gap;
    if (at > now) await sleep(at - now);
  };
}
