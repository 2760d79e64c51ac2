import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../adapters/db/sqlite.store.js';
import { JobLease } from './job-lease.js';

describe('JobLease', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = new SqliteStore(':memory:');
    await store.migrate();
  });
  afterEach(() => store.close());

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('holds the lease while the job runs, renewing it past its time, and gives it up at the end', async () => {
    const lease = new JobLease(store, 'related', 'node-a', 0.06); // 60 ms, renewed every 20 ms
    const r = await lease.run(async () => {
      await sleep(150); // well past 60 ms
      return store.takeLease('related', 'node-b', 60);
    });
    expect(r).toEqual({ ran: true, value: false }); // b could not take it while a ran
    expect(await store.takeLease('related', 'node-b', 60)).toBe(true); // given up at the end
  });

  it('skips the job while another holder has the lease', async () => {
    await store.takeLease('harvest', 'node-b', 60);
    let ran = false;
    expect(await new JobLease(store, 'harvest', 'node-a').run(async () => (ran = true))).toEqual({ ran: false });
    expect(ran).toBe(false);
  });

  it('tells a node that found the lease held whether the holder finished, died (the lease ran out unrenewed), or it stopped waiting', async () => {
    const watcher = new JobLease(store, 'related', 'node-b');
    const never = new AbortController().signal;
    // the holder runs 150 ms and gives the lease up
    const holder = new JobLease(store, 'related', 'node-a', 0.3);
    const running = holder.run(() => sleep(150));
    await sleep(10);
    expect(await watcher.afterHolder(never)).toBe('finished');
    await running;
    // the holder took it for 100 ms and died: nobody renews it
    await store.takeLease('related', 'node-a', 0.1);
    const started = Date.now();
    expect(await watcher.afterHolder(never)).toBe('lost');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(await watcher.run(async () => 'taken over')).toEqual({ ran: true, value: 'taken over' });
    // shutting down ends the wait
    await store.takeLease('related', 'node-a', 60);
    const stop = new AbortController();
    const waiting = watcher.afterHolder(stop.signal);
    stop.abort();
    expect(await waiting).toBe('stopped');
  });

  it('gives the lease up when the job fails, and passes the failure on', async () => {
    const lease = new JobLease(store, 'harvest', 'node-a');
    await expect(lease.run(() => Promise.reject(new Error('arXiv is down')))).rejects.toThrow('arXiv is down');
    expect(await store.takeLease('harvest', 'node-b', 60)).toBe(true);
  });
});
