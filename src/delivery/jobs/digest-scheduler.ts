/**
 * Scheduled digests for `paperboy serve` (issue 11, decision 018): at the configured local time
 * and after each harvest, a round queues the latest complete daily and weekly periods and sends
 * what is due; at start and between them, a sender loop sends what has come due again (retries,
 * rows a dead node left `sending`). Each round also deletes unconfirmed subscriptions older than a week.
 * Every node of a deployment runs this schedule; the job lease gives each round to one node.
 * stop() stops the timers, asks the running round to stop after the messages in flight, and
 * waits for it (and so for its lease to be given up) before the store may close.
 */
import { Cron } from 'croner';
import type { JobLease } from '../../services/job-lease.js';

export interface DigestRoundRequest {
  /** queue the due periods before sending (the daily time, after a harvest); else only send */
  queue: boolean;
  signal: AbortSignal;
}

export interface DigestSchedulerOptions {
  /** cron pattern of the daily round (core/digest-schedule.ts dailyCron) */
  pattern: string;
  timezone: string;
  /** how often the sender loop looks for messages due again */
  sendEveryMs: number;
  lease: JobLease;
  log: (message: string) => void;
  /** the work of one round; its failures are logged, and the next round tries again */
  round: (req: DigestRoundRequest) => Promise<void>;
}

export class DigestScheduler {
  private cron: Cron | null = null;
  private loop: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private queueAgain = false;
  private readonly abort = new AbortController();

  constructor(private readonly opts: DigestSchedulerOptions) {}

  start(): void {
    this.cron = new Cron(this.opts.pattern, { timezone: this.opts.timezone, protect: true }, () => void this.run(true));
    this.loop = setInterval(() => void this.run(false), this.opts.sendEveryMs);
    this.opts.log(`digests scheduled "${this.opts.pattern}" (${this.opts.timezone}); next at ${this.cron.nextRun()?.toISOString() ?? 'never'}`);
    // what came due while no node was running (retries, a crashed run's claims) goes out now
    void this.run(false);
  }

  /**
   * One round unless one is running; a request to queue that arrives during a send-only round
   * runs another round after it, so a harvest's new papers are never left for tomorrow.
   */
  run(queue: boolean): Promise<void> {
    if (this.abort.signal.aborted) return Promise.resolve();
    if (this.running) {
      if (queue) this.queueAgain = true;
      return this.running;
    }
    this.running = this.runNow(queue).finally(() => {
      this.running = null;
      if (this.queueAgain && !this.abort.signal.aborted) {
        this.queueAgain = false;
        void this.run(true);
      }
    });
    return this.running;
  }

  private async runNow(queue: boolean): Promise<void> {
    try {
      const r = await this.opts.lease.run(() => this.opts.round({ queue, signal: this.abort.signal }));
      if (!r.ran && queue) this.opts.log('digests skipped: another node is sending them');
    } catch (e) {
      this.opts.log(`digests failed: ${(e as Error).stack ?? String(e)}`);
    }
  }

  async stop(): Promise<void> {
    this.cron?.stop();
    if (this.loop) clearInterval(this.loop);
    this.abort.abort();
    while (this.running) await this.running;
  }
}
