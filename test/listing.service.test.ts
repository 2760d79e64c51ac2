/**
 * ListingService on every store: what the pages, feeds and API build on. Periods, paging,
 * neighbours that skip empty periods, the calendar, and one ranking for everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaperboyError } from '../src/core/errors.js';
import { periodEnd } from '../src/core/periods.js';
import { rankPapers, signalOf } from '../src/core/ranking.js';
import { IngestService } from '../src/services/ingest.service.js';
import { ListingService } from '../src/services/listing.service.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import { kaggleRecord } from './support/papers.js';
import type { OpenedStore } from './support/store-harness.js';

/** Papers on Fri 2025-03-07, Mon 10, Mon 24 March and Tue 1 April 2025, with upvotes. */
const RECORDS = [
  ['2503.00001', '2025-03-07', 5],
  ['2503.00002', '2025-03-10', 1],
  ['2503.00003', '2025-03-10', 30],
  ['2503.00004', '2025-03-10', 0],
  ['2503.00005', '2025-03-24', 2],
  ['2504.00001', '2025-04-01', 9],
] as const;

for (const harness of STORE_HARNESSES) {
  describe(`ListingService: ${harness.name}`, () => {
    let opened: OpenedStore;
    let listing: ListingService;
    beforeAll(async () => {
      opened = await harness.open();
      const records = RECORDS.map(([id, day, upvotes]) =>
        kaggleRecord(id, { submittedAt: `${day}T10:00:00.000Z`, versions: [{ version: 1, submittedAt: `${day}T10:00:00.000Z`, size: null }], hf: { upvotes, featuredOn: day } }),
      );
      await new IngestService(opened.store).ingest((async function* () { yield { records, errors: [] }; })());
      listing = new ListingService(opened.store, opened.votes);
    }, 60_000);
    afterAll(async () => {
      await opened.store.close();
      await opened.drop();
    });

    it('lists a day a page at a time, most upvoted first, with the nearest non-empty days', async () => {
      const l = await listing.listing({ kind: 'day', key: '2025-03-10' }, { order: 'trending', page: 1, pageSize: 2 });
      expect(l).toMatchObject({ from: '2025-03-10', to: '2025-03-10', total: 3, page: 1, pageSize: 2, lastDay: '2025-03-10' });
      expect(l.papers.map((p) => p.id)).toEqual(['2503.00003', '2503.00002']);
      expect(l.previous).toEqual({ kind: 'day', key: '2025-03-07' }); // the weekend skipped
      expect(l.next).toEqual({ kind: 'day', key: '2025-03-24' }); // two empty weeks skipped
      const page2 = await listing.listing({ kind: 'day', key: '2025-03-10' }, { order: 'trending', page: 2, pageSize: 2 });
      expect(page2.papers.map((p) => p.id)).toEqual(['2503.00004']);
    });

    it('skips empty weeks and months too, and says when a period is empty', async () => {
      const week = await listing.listing({ kind: 'week', key: '2025-W13' }, { order: 'newest', page: 1, pageSize: 10 });
      expect(week).toMatchObject({ from: '2025-03-24', to: '2025-03-30', total: 1, previous: { kind: 'week', key: '2025-W11' }, next: { kind: 'week', key: '2025-W14' } });
      const empty = await listing.listing({ kind: 'week', key: '2025-W12' }, { order: 'newest', page: 1, pageSize: 10 });
      expect(empty).toMatchObject({ total: 0, papers: [], lastDay: null, previous: { kind: 'week', key: '2025-W11' }, next: { kind: 'week', key: '2025-W13' } });
      const march = await listing.listing({ kind: 'month', key: '2025-03' }, { order: 'upvoted', page: 1, pageSize: 10 });
      expect(march).toMatchObject({ total: 5, previous: null, next: { kind: 'month', key: '2025-04' }, lastDay: '2025-03-24' });
      expect(march.papers.map((p) => p.hf.upvotes)).toEqual([30, 5, 2, 1, 0]);
    });

    it('ranks exactly as core/ranking does for loaded papers: one ranking everywhere', async () => {
      const march = await listing.listing({ kind: 'month', key: '2025-03' }, { order: 'trending', page: 1, pageSize: 10 });
      const again = rankPapers(march.papers.map(signalOf), 'trending', periodEnd(march.period)).map((s) => s.id);
      expect(march.papers.map((p) => p.id)).toEqual(again);
      expect(march.papers[0]!.id).toBe('2503.00003');
    });

    it('refuses a malformed period, finds papers by any spelling, and counts days for the calendar', async () => {
      const err = await listing.listing({ kind: 'day', key: '2025-02-30' }, { order: 'trending', page: 1, pageSize: 10 }).catch((e: unknown) => e);
      expect((err as PaperboyError).code).toBe('NOT_FOUND');
      expect((await listing.paper('arXiv:2503.00003v2'))?.id).toBe('2503.00003');
      expect(await listing.paper('nonsense')).toBeNull();
      expect(await listing.calendar('2025-03')).toEqual([
        { day: '2025-03-07', papers: 1 },
        { day: '2025-03-10', papers: 3 },
        { day: '2025-03-24', papers: 1 },
      ]);
      expect(await listing.calendar('2025-13')).toEqual([]);
      expect(await listing.latestDay()).toBe('2025-04-01');
    });
  });
}
