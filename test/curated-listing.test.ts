/**
 * The curated day through ListingService, on every store: a listing leads with the papers
 * someone picked (featured on Hugging Face, upvoted here), ranked by the blend of both kinds of
 * votes; "all new papers" lists the rest too; a quiet day is filled to a screenful and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURATED } from '../src/core/curated.js';
import { IngestService } from '../src/services/ingest.service.js';
import { ListingService } from '../src/services/listing.service.js';
import { VoteService } from '../src/services/vote.service.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import { kaggleRecord } from './support/papers.js';
import type { OpenedStore } from './support/store-harness.js';

const QUIET = '2025-03-10'; // 2 featured papers, 1 upvoted here, 12 nobody picked
const BUSY = '2025-03-11'; // 11 featured papers, 5 nobody picked
const at = (day: string, hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

function records() {
  const paper = (id: string, day: string, hour: number, upvotes?: number) =>
    kaggleRecord(id, { submittedAt: at(day, hour), versions: [{ version: 1, submittedAt: at(day, hour), size: null }], listedOn: day, ...(upvotes === undefined ? {} : { hf: { upvotes, featuredOn: day } }) });
  return [
    paper('2503.10001', QUIET, 1, 5),
    paper('2503.10002', QUIET, 2, 0),
    ...Array.from({ length: 13 }, (_, i) => paper(`2503.100${String(i + 10)}`, QUIET, i + 3)),
    ...Array.from({ length: 11 }, (_, i) => paper(`2503.110${String(i + 10)}`, BUSY, i, i)),
    ...Array.from({ length: 5 }, (_, i) => paper(`2503.111${String(i + 10)}`, BUSY, i + 11)),
  ];
}

for (const harness of STORE_HARNESSES) {
  describe(`the curated day: ${harness.name}`, () => {
    let opened: OpenedStore;
    let listing: ListingService;
    beforeAll(async () => {
      opened = await harness.open();
      const all = records();
      await new IngestService(opened.store).ingest((async function* () { yield { records: all, errors: [] }; })());
      listing = new ListingService(opened.store, opened.votes);
      const votes = new VoteService(opened.votes, () => new Date('2025-03-12T00:00:00Z'));
      // three established readers on three networks upvote one paper nobody featured
      for (const accountId of ['1', '2', '3']) await votes.vote('2503.10010', { accountId, accountCreatedAt: '2024-01-01T00:00:00Z', network: `192.0.${accountId}.0/24` });
    }, 60_000);
    afterAll(async () => {
      await opened.store.close();
      await opened.drop();
    });

    const day = (key: string, o: { scope?: 'all' | 'curated'; order?: 'trending' | 'newest' } = {}) =>
      listing.listing({ kind: 'day', key }, { order: o.order ?? 'trending', page: 1, pageSize: 50, ...(o.scope ? { scope: o.scope } : {}) });

    it('leads a busy day with its curated papers only, all new papers one scope away', async () => {
      const l = await day(BUSY);
      expect(l).toMatchObject({ scope: 'curated', total: 11, allTotal: 16, curated: 11, filled: false });
      expect(l.papers.map((p) => p.id).every((id) => id.startsWith('2503.110'))).toBe(true);
      expect(l.papers[0]!.id).toBe('2503.11020'); // most upvoted first
      const all = await day(BUSY, { scope: 'all' });
      expect(all).toMatchObject({ scope: 'all', total: 16, allTotal: 16 });
    });

    it(`fills a quiet day to ${CURATED.MIN_PAPERS} with the best of the rest, ranking local votes with Hugging Face's`, async () => {
      const l = await day(QUIET);
      expect(l).toMatchObject({ total: CURATED.MIN_PAPERS, allTotal: 15, curated: 3, filled: true });
      const ids = l.papers.map((p) => p.id);
      // three local votes count as six upvotes: above the paper with five on Hugging Face
      expect(ids.slice(0, 2)).toEqual(['2503.10010', '2503.10001']);
      expect(ids).toContain('2503.10002'); // featured, at 0 upvotes
      expect(l.votes).toEqual({ '2503.10010': 3 });
      expect(await listing.votesOf(['2503.10010', '2503.10001'])).toEqual({ '2503.10010': 3 });
    });

    it('keeps the curated choice whatever the order, and pages through it', async () => {
      const newest = await day(QUIET, { order: 'newest' });
      expect(newest.papers.map((p) => p.id).sort()).toEqual((await day(QUIET)).papers.map((p) => p.id).sort());
      const page2 = await listing.listing({ kind: 'day', key: BUSY }, { order: 'trending', page: 2, pageSize: 10 });
      expect(page2.papers).toHaveLength(1);
    });

    it('leads a week with its curated papers too', async () => {
      const week = await listing.listing({ kind: 'week', key: '2025-W11' }, { order: 'trending', page: 1, pageSize: 50 });
      expect(week).toMatchObject({ total: 14, allTotal: 31, curated: 14, filled: false });
    });
  });
}
