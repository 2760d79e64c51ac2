/**
 * Scheduled harvests for `paperboy serve`: a cron pattern (after arXiv's daily announcement by
 * default) runs every source once; a source that failed is tried again after a delay that
 * doubles each time. One harvest runs at a time, and with a lease one in the whole deployment;
 * stop() waits for the running one to end.
 */
import { Cron } from 'croner';
import type { HarvestService, SourceRunReport } from '../../services/harvest.service.js';
import type { JobLease } from '../../services/job-lease.js';
import type { Log } from '../../ports/log.js';

export interface SchedulerOptions {
  pattern: string;
  timezone: string;
  /** first delay before a failed source is retried; doubles on each failure in a row */
  retryDelayMs: number;
  log: Log;
  /** runs after every harvest, with its reports, e.g. to make what it stored searchable */
  afterRun?: (reports: SourceRunReport[]) => Promise<unknown>;
  /**
   * taken for each run, harvest and afterRun together: while another node holds it, this one
   * skips its run (the nodes of a deployment share the database, and all run the schedule), and
   * harvests in its place if that node dies holding it (the lease runs out unrenewed)
   */
  lease?: JobLease;
}

export class HarvestScheduler {
  private cron: Cron | null = null;
  private running: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs: number;
  private readonly abort = new AbortController();

  constructor(
    private readonly harvest: HarvestService,
    private readonly opts: SchedulerOptions,
  ) {
    this.retryDelayMs = opts.retryDelayMs;
  }

  start(): void {
    this.cron = new Cron(this.opts.pattern, { timezone: this.opts.timezone, protect: true }, () => this.run());
    this.opts.log(`harvest scheduled "${this.opts.pattern}" (${this.opts.timezone}); next at ${this.cron.nextRun()?.toISOString() ?? 'never'}`);
  }

  /** Runs the given sources (default: all) unless a harvest is already running. */
  run(names?: string[]): Promise<void> {
    if (this.running) return this.running;
    this.running = this.runNow(names).finally(() => (this.running = null));
    return this.running;
  }

  private async runNow(names?: string[]): Promise<void> {
    if (!this.opts.lease) return this.harvestNow(names);
    const r = await this.opts.lease.run(() => this.harvestNow(names));
    if (r.ran) return;
    this.opts.log('harvest skipped: another node is harvesting into this database');
    // if that node dies mid-harvest (its lease runs out unrenewed), this one harvests in its place
    this.opts.lease.watch(this.abort.signal, (outcome) => {
      if (outcome !== 'lost') return;
      this.opts.log('harvest: the node harvesting stopped renewing its lease; harvesting in its place');
      void this.run(names);
    });
  }

  private async harvestNow(names?: string[]): Promise<void> {
    const reports = await this.harvest.runOnce(names, this.abort.signal);
    const failed = reports.filter((r) => r.error !== null).map((r) => r.source);
    for (const r of reports) this.opts.log(summary(r), runFields(r));
    await this.opts.afterRun?.(reports).catch((e: unknown) => this.opts.log(`after the harvest: ${(e as Error).message}`));
    if (failed.length > 0 && !this.abort.signal.aborted) this.scheduleRetry(failed);
    else this.retryDelayMs = this.opts.retryDelayMs;
  }

  private scheduleRetry(sources: string[]): void {
    const next = this.cron?.nextRun();
    const delay = this.retryDelayMs;
    // no point retrying after the next scheduled run: it will try anyway
    if (next && Date.now() + delay >= next.getTime()) return;
    this.opts.log(`retrying ${sources.join(', ')} in ${Math.round(delay / 1000)} s`);
    this.retryTimer = setTimeout(() => void this.run(sources), delay);
    this.retryDelayMs = delay * 2;
  }

  async stop(): Promise<void> {
    this.cron?.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }
}

/** The run's figures as log fields, for a log search (decision 036). */
function runFields(r: SourceRunReport) {
  return { job: 'harvest', source: r.source, pages: r.pages, new: r.new, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected, seconds: r.ms / 1000, error: r.error };
}

function summary(r: SourceRunReport): string {
  const counts = `new ${r.new}, updated ${r.updated}, unchanged ${r.unchanged}, rejected ${r.rejected}`;
  const outcome = r.stopped ? '; stopped' : r.error ? `; failed: ${r.error}` : '';
  return `harvest ${r.source}: ${r.pages} page(s) in ${(r.ms / 1000).toFixed(1)} s, ${counts}${outcome}`;
}
