/**
 * A job that every node of a deployment schedules (the harvest, the related papers), run by one
 * node at a time. Several web nodes share one PostgreSQL database, and each runs serve's
 * schedule: without this, each would harvest arXiv at the same minute, against arXiv's request
 * to space requests 3 s apart, and each would recompute the same related lists.
 *
 * The lease is taken in the database before the job starts, renewed while it runs (every third
 * of its time), and given up when it ends; a node that crashes loses it when its time runs out.
 * A node that finds it held skips the run: the holder is doing the same work, into the same
 * database. If the holder dies, nobody renews the lease: afterHolder() tells the nodes that
 * skipped, once it has run out, so that one of them takes the job over.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobLeases } from '../ports/job-leases.js';

/** How the holder of a lease a node found held let it go (afterHolder). */
export type HolderOutcome = 'finished' | 'lost' | 'stopped';

export class JobLease {
  private watching = false;

  constructor(
    private readonly store: JobLeases,
    readonly name: string,
    /** who this is, for every lease it takes: unique per process (see serve.command.ts) */
    private readonly holder: string,
    private readonly seconds = 300,
  ) {}

  /** Seconds until the lease runs out, by the database's clock (0: it has; null: nobody holds it). */
  left(): Promise<number | null> {
    return this.store.leaseLeft(this.name);
  }

  /**
   * After a run was skipped because another node held the lease: waits until that holder gives
   * it up ('finished': its job ran to the end) or stops renewing it, so that it runs out ('lost':
   * the node died or was cut off, its job is to be taken over). Looks when the lease would run
   * out, by the database's clock, again while someone renews it; 'stopped' once `signal` aborts.
   */
  async afterHolder(signal: AbortSignal): Promise<HolderOutcome> {
    for (;;) {
      if (signal.aborted) return 'stopped';
      const left = await this.store.leaseLeft(this.name);
      if (left === null) return 'finished';
      if (left === 0) return 'lost';
      try {
        await sleep(Math.ceil(left * 1000) + 100, undefined, { signal, ref: false });
      } catch {
        return 'stopped';
      }
    }
  }

  /**
   * afterHolder, then `gone` with how the holder let the lease go ('finished' or 'lost'; nothing
   * once `signal` aborts). One wait at a time: called again while waiting, it does nothing.
   */
  watch(signal: AbortSignal, gone: (outcome: Exclude<HolderOutcome, 'stopped'>) => void): void {
    if (this.watching) return;
    this.watching = true;
    void this.afterHolder(signal).then((outcome) => {
      this.watching = false;
      if (outcome !== 'stopped') gone(outcome);
    });
  }

  /** Runs fn while holding the lease; `{ ran: false }`, without running it, when another holder has it. */
  async run<T>(fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (!(await this.store.takeLease(this.name, this.holder, this.seconds))) return { ran: false };
    const renew = setInterval(() => {
      this.store.takeLease(this.name, this.holder, this.seconds).catch(() => undefined);
    }, (this.seconds * 1000) / 3);
    renew.unref();
    try {
      return { ran: true, value: await fn() };
    } finally {
      clearInterval(renew);
      await this.store.releaseLease(this.name, this.holder).catch(() => undefined);
    }
  }
}
