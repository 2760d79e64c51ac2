import { afterEach, describe, expect, it } from 'vitest';
import type { HarvestSource } from '../../ports/source.js';
import { HarvestService } from '../../services/harvest.service.js';
import { IngestService } from '../../services/ingest.service.js';
import { JobLease } from '../../services/job-lease.js';
import { SqliteStore } from '../../adapters/db/sqlite.store.js';
import { HarvestScheduler } from './scheduler.js';

describe('HarvestScheduler', () => {
  let scheduler: HarvestScheduler | null = null;
  let store: SqliteStore | null = null;
  afterEach(async () => {
    await scheduler?.stop();
    await store?.close();
  });

  async function setUp(sources: HarvestSource[], retryDelayMs = 20, holder?: string) {
    store = new SqliteStore(':memory:');
    await store.migrate();
    const logs: string[] = [];
    const harvest = new HarvestService(store, new IngestService(store), sources);
    const lease = holder ? new JobLease(store, 'harvest', holder) : undefined;
    scheduler = new HarvestScheduler(harvest, { pattern: '0 2 * * *', timezone: 'UTC', retryDelayMs, log: (m) => logs.push(m), lease });
    return { logs, scheduler };
  }

  const source = (name: string, behave: () => Promise<void>, calls: string[]): HarvestSource => ({
    name,
    async *pages() {
      calls.push(name);
      await behave();
      yield { label: 'p', records: [], errors: [], cursor: { n: calls.length } };
    },
  });

  it('runs one harvest at a time', async () => {
    const calls: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { scheduler } = await setUp([source('hf-daily', () => gate, calls)]);
    const a = scheduler.run();
    const b = scheduler.run();
    expect(b).toBe(a);
    release();
    await a;
    expect(calls).toEqual(['hf-daily']);
  });

  it('leaves a harvest to the node holding the lease: another node sharing the database skips it', async () => {
    const calls: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { scheduler: nodeA, logs: logsA } = await setUp([source('hf-daily', () => gate, calls)], 20, 'node-a');
    const logsB: string[] = [];
    const harvestB = new HarvestService(store!, new IngestService(store!), [source('hf-daily', async () => {}, calls)]);
    const nodeB = new HarvestScheduler(harvestB, { pattern: '0 2 * * *', timezone: 'UTC', retryDelayMs: 20, log: (m) => logsB.push(m), lease: new JobLease(store!, 'harvest', 'node-b') });
    const a = nodeA.run();
    await new Promise((r) => setTimeout(r, 20)); // a has the lease and is harvesting
    await nodeB.run();
    expect(logsB).toEqual(['harvest skipped: another node is harvesting into this database']);
    release();
    await a;
    expect(calls).toEqual(['hf-daily']); // once, by a
    expect(logsA.some((m) => m.startsWith('harvest hf-daily: 1 page(s)'))).toBe(true);
    await nodeB.run(); // a is done and gave the lease up: b harvests
    expect(calls).toEqual(['hf-daily', 'hf-daily']);
    await nodeB.stop();
  });

  it('harvests in the place of a node that died holding the lease (it ran out unrenewed), not of one that finished', async () => {
    const calls: string[] = [];
    const { scheduler: nodeB, logs } = await setUp([source('hf-daily', async () => {}, calls)], 20, 'node-b');
    await store!.takeLease('harvest', 'node-a', 0.3); // node a took it, then died: never renewed nor given up
    await nodeB.run();
    expect(calls).toEqual([]);
    expect(logs).toEqual(['harvest skipped: another node is harvesting into this database']);
    await until(() => calls.length > 0);
    expect(calls).toEqual(['hf-daily']);
    expect(logs).toContain('harvest: the node harvesting stopped renewing its lease; harvesting in its place');

    // a node that finishes gives the lease up: nothing to take over
    await store!.takeLease('harvest', 'node-a', 0.3);
    await nodeB.run();
    await store!.releaseLease('harvest', 'node-a');
    await new Promise((r) => setTimeout(r, 600));
    expect(calls).toEqual(['hf-daily']);
  });

  it('retries only the failed source, later, until it succeeds', async () => {
    const calls: string[] = [];
    let failures = 2;
    const flaky = source('arxiv', async () => {
      if (failures-- > 0) throw new Error('503 Service Unavailable');
    }, calls);
    const { scheduler, logs } = await setUp([flaky, source('hf-daily', async () => {}, calls)]);
    scheduler.start();
    await scheduler.run();
    expect(calls).toEqual(['arxiv', 'hf-daily']);
    // 20 ms, then 40 ms: waited for as long as a busy machine needs, then a little more to see no third retry
    await until(() => calls.length >= 4 && logs.some((l) => /harvest arxiv: 1 page\(s\)/.test(l)));
    await new Promise((r) => setTimeout(r, 150));
    expect(calls).toEqual(['arxiv', 'hf-daily', 'arxiv', 'arxiv']);
    expect(logs.filter((l) => l.startsWith('retrying arxiv'))).toHaveLength(2);
    expect(logs.some((l) => /harvest arxiv: 1 page\(s\)/.test(l))).toBe(true);
    expect(logs[0]).toMatch(/harvest scheduled "0 2 \* \* \*" \(UTC\); next at \d{4}-\d\d-\d\dT02:00:00/);
  });
});

/** Waits until `done` holds, for at most 5 s. */
async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
