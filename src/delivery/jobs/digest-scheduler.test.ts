import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../adapters/db/sqlite.store.js';
import { JobLease } from '../../services/job-lease.js';
import { DigestScheduler, type DigestRoundRequest } from './digest-scheduler.js';

describe('DigestScheduler', () => {
  let store: SqliteStore | null = null;
  const schedulers: DigestScheduler[] = [];
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
    await store?.close();
  });

  function node(holder: string, round: (r: DigestRoundRequest) => Promise<void>, logs: string[] = []) {
    const s = new DigestScheduler({
      pattern: '0 7 * * *',
      timezone: 'Europe/Berlin',
      sendEveryMs: 3_600_000,
      lease: new JobLease(store!, 'digests', holder),
      log: (m) => logs.push(m),
      round,
    });
    schedulers.push(s);
    return s;
  }

  async function setUp() {
    store = new SqliteStore(':memory:');
    await store.migrate();
  }

  const gate = () => {
    let open!: () => void;
    const p = new Promise<void>((r) => (open = r));
    return { p, open };
  };

  it('leaves a round to the node holding the lease; another node sharing the database skips it', async () => {
    await setUp();
    const g = gate();
    const rounds: string[] = [];
    const a = node('node-a', async (r) => {
      rounds.push(`a:${r.queue}`);
      await g.p;
    });
    const logsB: string[] = [];
    const b = node('node-b', async (r) => void rounds.push(`b:${r.queue}`), logsB);
    const running = a.run(true);
    await new Promise((r) => setTimeout(r, 20));
    await b.run(true);
    expect(logsB).toEqual(['digests skipped: another node is sending them']);
    g.open();
    await running;
    await b.run(false); // a gave the lease up
    expect(rounds).toEqual(['a:true', 'b:false']);
  });

  it('runs a queueing round again after a send-only round that a harvest interrupted', async () => {
    await setUp();
    const g = gate();
    const rounds: boolean[] = [];
    const s = node('node-a', async (r) => {
      rounds.push(r.queue);
      if (rounds.length === 1) await g.p;
    });
    const first = s.run(false);
    expect(s.run(true)).toBe(first); // one round at a time
    g.open();
    await first;
    await new Promise((r) => setTimeout(r, 50));
    expect(rounds).toEqual([false, true]);
  });

  it('stop() asks the round to stop, waits for it and for its lease to be given up', async () => {
    await setUp();
    let sawAbort = false;
    const s = node('node-a', async (r) => {
      await new Promise<void>((resolve) => r.signal.addEventListener('abort', () => resolve()));
      await new Promise((r) => setTimeout(r, 30)); // the messages in flight finish
      sawAbort = true;
    });
    s.start();
    void s.run(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(await store!.takeLease('digests', 'node-b', 60)).toBe(false);
    await s.stop();
    expect(sawAbort).toBe(true);
    expect(await store!.takeLease('digests', 'node-b', 60)).toBe(true);
    await s.run(true); // stopped: no new round
    expect(await store!.takeLease('digests', 'node-b', 60)).toBe(true);
  });

  it('logs a failed round and keeps its schedule', async () => {
    await setUp();
    const logs: string[] = [];
    const s = node('node-a', async () => {
      throw new Error('SMTP down');
    }, logs);
    s.start();
    await s.run(true);
    expect(logs[0]).toMatch(/^digests scheduled "0 7 \* \* \*" \(Europe\/Berlin\); next at \d{4}-\d\d-\d\dT0[56]:00:00/);
    expect(logs[1]).toMatch(/^digests failed: Error: SMTP down/);
  });
});
