/**
 * The background work `serve` starts without awaiting it (the related papers and the pages
 * rendered ahead, each under its lease): tracked, so that shutting down can wait for each to
 * end and give its lease up before the store closes. Untracked, a job that was between two
 * steps when the signal came either took its next lease on a closed store ("The database
 * connection is not open") or released its lease after the pool had ended, leaving it held
 * for its whole term: a node restarted at once then skipped the job.
 */
export class BackgroundJobs {
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  /** Starts job unless stopping; its failures are the job's to log (job must not reject). */
  start(job: () => Promise<void>): Promise<void> {
    if (this.stopping) return Promise.resolve();
    const p: Promise<void> = job().finally(() => this.running.delete(p));
    this.running.add(p);
    return p;
  }

  /** Whether stop() was called: a job checks it between steps, so as not to start the next one. */
  get stopped(): boolean {
    return this.stopping;
  }

  /** Refuses new jobs and waits for those running (whose own stop() the caller has asked for). */
  async stop(): Promise<void> {
    this.stopping = true;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
