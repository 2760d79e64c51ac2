/**
 * The OperationsStatus contract (issue 14): what /metrics and `paperboy doctor` read of a store,
 * run on every adapter (test/sqlite.store.test.ts, test/postgres.store.test.ts). The figures are
 * made by the other ports, as the application makes them: papers through ingest, digests through
 * leases through JobLeases.
 */
import { describe, expect, it } from 'vitest';
import { IngestService } from '../../src/services/ingest.service.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';
import { activeSubscription, at, reservation } from './inbox-fixtures.js';

function record(id: string) {
  return { id, version: 1, source: 'oai-pmh' as const, title: `Paper ${id} on sparse attention`, abstract: 'We study attention.', categories: ['cs.CL'], listedOn: '2026-08-20' };
}

export function operationsContract(harness: StoreHarness): void {
  describe(`OperationsStatus contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    storePerTest(harness, (o) => {
      opened = o;
    });

    it('counts the papers the keyword index has not taken in yet, and none once it is refreshed', async () => {
      expect(await opened.operations.searchBacklog()).toBe(0);
      const ingest = new IngestService(opened.store);
      await ingest.applyPage('arxiv', { label: 'page 1', cursor: { token: 'a' }, errors: [], records: ['2608.00001', '2608.00002', '2608.00003'].map(record) });
      expect(await opened.operations.searchBacklog()).toBe(3);
      await opened.index.refresh();
      expect(await opened.operations.searchBacklog()).toBe(0);
      await ingest.applyPage('arxiv', { label: 'page 2', cursor: { token: 'b' }, errors: [], records: [{ ...record('2608.00002'), version: 2, title: 'A new title' }] });
      expect(await opened.operations.searchBacklog()).toBe(1);
    });

    it('says when each source last stored a page', async () => {
      expect(await opened.operations.lastHarvests()).toEqual([]);
      const before = Date.now();
      await new IngestService(opened.store).applyPage('hf-daily', { label: 'day', cursor: { day: '2026-08-20' }, errors: [], records: [] });
      const [h, ...rest] = await opened.operations.lastHarvests();
      expect(rest).toEqual([]);
      expect(h!.source).toBe('hf-daily');
      expect(Date.parse(h!.at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(h!.at)).toBeLessThanOrEqual(Date.now() + 1000);
    });


    it('counts the digests waiting, being sent and failed, not those sent', async () => {
      expect(await opened.operations.outboxDepth()).toEqual({ queued: 0, sending: 0, failed: 0 });
      const subs = await Promise.all(['a@example.org', 'b@example.org', 'c@example.org', 'd@example.org'].map((e) => activeSubscription(opened.inbox, e)));
      await opened.inbox.reserve(subs.map((s, i) => reservation(s, '2026-08-20', [`2608.0000${i + 1}`])));
      expect(await opened.operations.outboxDepth()).toEqual({ queued: 4, sending: 0, failed: 0 });
      const claimed = await opened.inbox.claimDue(at(20), 3, 60_000);
      expect(claimed).toHaveLength(3);
      await opened.inbox.markSent(claimed[0]!.key, at(21));
      await opened.inbox.markFailed(claimed[1]!.key, '550 no such user', at(21));
      expect(await opened.operations.outboxDepth()).toEqual({ queued: 1, sending: 1, failed: 1 });
    });

    it('lists who holds each lease and for how long, by the database clock', async () => {
      expect(await opened.operations.leases()).toEqual([]);
      await opened.store.takeLease('harvest', 'node-a:1:ff', 60);
      await opened.store.takeLease('digests', 'node-b:2:ee', 0);
      await new Promise((r) => setTimeout(r, 20));
      const leases = await opened.operations.leases();
      expect(leases.map((l) => [l.name, l.holder])).toEqual([
        ['digests', 'node-b:2:ee'],
        ['harvest', 'node-a:1:ff'],
      ]);
      expect(leases[0]!.expiresInSeconds).toBeLessThan(0); // lapsed: its holder may have died
      expect(leases[1]!.expiresInSeconds).toBeGreaterThan(55);
      expect(leases[1]!.expiresInSeconds).toBeLessThanOrEqual(60);
    });
  });
}
