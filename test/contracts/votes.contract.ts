/**
 * The Votes contract (local votes, issue 13, decision 028): what every store adapter must do, run
 * on each of them (test/sqlite.store.test.ts, test/postgres.store.test.ts: SQLite, the PostgreSQL
 * server and PGlite). Several processes voting on one SQLite file: test/votes.processes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/core/errors.js';
import type { Ballot, Votes } from '../../src/ports/votes.js';
import type { PaperStore } from '../../src/ports/paper-store.js';
import { saveFeaturedPapers } from '../support/papers.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

const AT = '2026-07-02T10:00:00.000Z';
const full = [1000];

/** A ballot on `paperId` by `accountId` from network 10.0.0.0/24, cast at AT. */
export function ballot(paperId: string, accountId: number | string, overrides: Partial<Ballot> = {}): Ballot {
  return { paperId, accountId: String(accountId), network: '10.0.0.0/24', accountCreatedAt: '2026-01-01T00:00:00.000Z', at: AT, networkSince: '2026-07-01T10:00:00.000Z', ...overrides };
}

export function votesContract(harness: StoreHarness): void {
  describe(`Votes contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let store: PaperStore;
    let votes: Votes;
    storePerTest(harness, (o) => {
      opened = o;
      store = o.store;
      votes = o.votes;
    });

    it('keeps one vote per account and paper: casting or withdrawing twice changes nothing', async () => {
      await saveFeaturedPapers(store);
      expect(await votes.castVote(ballot('2606.00003', 1), full)).toEqual({ voted: true, changed: true, votes: 1 });
      expect(await votes.castVote(ballot('2606.00003', 1), full)).toEqual({ voted: true, changed: false, votes: 1 });
      expect(await votes.castVote(ballot('2606.00003', 2), full)).toEqual({ voted: true, changed: true, votes: 2 });
      expect(await votes.votedOn('1', ['2606.00003', '2606.00001', '9999.99999'])).toEqual(new Set(['2606.00003']));
      expect(await votes.withdrawVote('2606.00003', '1')).toEqual({ voted: false, changed: true, votes: 1 });
      expect(await votes.withdrawVote('2606.00003', '1')).toEqual({ voted: false, changed: false, votes: 1 });
      expect(await votes.withdrawVote('2606.00001', '1')).toEqual({ voted: false, changed: false, votes: 0 });
      expect(await votes.votedOn('1', ['2606.00003'])).toEqual(new Set());
      expect(await votes.talliesOf(['2606.00003', '2606.00001'])).toEqual(new Map([['2606.00003', { paperId: '2606.00003', votes: 1, weight: 1000 }]]));
    });

    it('refuses a vote on a paper it does not have, and a ballot that is not one, naming what is wrong', async () => {
      await saveFeaturedPapers(store);
      await expect(votes.castVote(ballot('2607.00404', 1), full)).rejects.toThrow(/no paper 2607\.00404/);
      await expect(votes.castVote(ballot('2606.00003', 'not an id!'), full)).rejects.toThrow(/account id “not an id!”/);
      await expect(votes.castVote(ballot('2606.00003', 1, { at: 'yesterday' }), full)).rejects.toThrow(PaperboyError);
      expect(await votes.talliesOf(['2606.00003'])).toEqual(new Map());
    });

    it('weighs a vote by the earlier votes of its network within the window, and takes back that weight with it', async () => {
      await saveFeaturedPapers(store);
      // a distinct weight for each count of earlier votes, the last for any more
      const weights = [1000, 900, 800, 700];
      await votes.castVote(ballot('2606.00003', 1), weights); // 0 earlier from 10.0.0.0/24: 1000
      await votes.castVote(ballot('2606.00003', 2), weights); // 1 earlier: 900
      await votes.castVote(ballot('2606.00003', 3), weights); // 2 earlier: 800
      await votes.castVote(ballot('2606.00003', 4, { network: '192.0.2.0/24' }), weights); // another network: 1000
      await votes.castVote(ballot('2606.00003', 5, { networkSince: '2026-07-02T11:00:00.000Z' }), weights); // the others are older than its window: 1000
      await votes.castVote(ballot('2606.00001', 6), weights); // another paper: 1000
      await votes.castVote(ballot('2606.00003', 1), weights); // already cast: not weighed again
      expect((await votes.talliesOf(['2606.00003'])).get('2606.00003')).toEqual({ paperId: '2606.00003', votes: 5, weight: 4700 });
      expect((await votes.talliesOf(['2606.00001'])).get('2606.00001')?.weight).toBe(1000);
      await votes.withdrawVote('2606.00003', '3');
      expect((await votes.talliesOf(['2606.00003'])).get('2606.00003')).toEqual({ paperId: '2606.00003', votes: 4, weight: 3900 });
      // 1, 2 and 5 are from 10.0.0.0/24 now (5's own window was later, but the default one holds it): 3 earlier, 700
      await votes.castVote(ballot('2606.00003', 7), weights);
      // and 4 earlier, past the schedule's end: its last entry
      await votes.castVote(ballot('2606.00003', 8), weights);
      expect((await votes.talliesOf(['2606.00003'])).get('2606.00003')).toEqual({ paperId: '2606.00003', votes: 6, weight: 5300 });
      // weights out of bounds are clamped to what a vote may weigh; an empty schedule counts in full
      await votes.castVote(ballot('2606.00005', 7), [5000]);
      await votes.castVote(ballot('2606.00005', 8), [-3]);
      await votes.castVote(ballot('2606.00005', 9), []);
      expect((await votes.talliesOf(['2606.00005'])).get('2606.00005')?.weight).toBe(2000);
    });

    it('reads the tallies of a range of days, leaving out deleted papers and papers without votes', async () => {
      await saveFeaturedPapers(store);
      for (const [id, account] of [['2606.00001', 1], ['2606.00003', 1], ['2606.00003', 2], ['2606.00004', 1], ['2606.00005', 1]] as const)
        await votes.castVote(ballot(id, account), full);
      await votes.withdrawVote('2606.00005', '1');
      const tallies = await votes.talliesBetween('2026-06-27', '2026-07-01');
      expect(tallies).toEqual([{ paperId: '2606.00003', votes: 2, weight: 2000 }]); // 00004 is deleted, 00005 back to none
      expect(await votes.talliesBetween('2026-02-30', '2026-02-31')).toEqual([]);
    });

    it('moves the votes version of the voted paper’s days only, on a change only, and never the data version', async () => {
      await saveFeaturedPapers(store);
      const data = await store.dataVersion();
      const week = await votes.votesVersion('2026-06-29', '2026-07-05');
      const june26 = await votes.votesVersion('2026-06-26', '2026-06-26');
      await votes.castVote(ballot('2606.00003', 1), full);
      expect(await votes.votesVersion('2026-06-29', '2026-07-05')).not.toBe(week);
      expect(await votes.votesVersion('2026-06-26', '2026-06-26')).toBe(june26);
      const weekAfter = await votes.votesVersion('2026-06-29', '2026-07-05');
      await votes.castVote(ballot('2606.00003', 1), full); // nothing changes
      expect(await votes.votesVersion('2026-06-29', '2026-07-05')).toBe(weekAfter);
      await votes.withdrawVote('2606.00003', '1');
      expect(await votes.votesVersion('2026-06-29', '2026-07-05')).not.toBe(weekAfter);
      // the versions of every day, '' (papers without a day) to the far future, move too
      expect(await votes.votesVersion('', '9999-12-31')).not.toBe(await votes.votesVersion('', '2026-06-28'));
      // pages that show no votes (papers, search) stay cached
      expect(await store.dataVersion()).toBe(data);
    });

    it('keeps a vote whatever became of its account: an account id is only text here', async () => {
      await saveFeaturedPapers(store);
      await votes.castVote(ballot('2606.00003', 2 ** 40), full);
      expect((await votes.talliesOf(['2606.00003'])).get('2606.00003')?.votes).toBe(1);
    });

    it('keeps a deleted account’s votes as anonymous counts: counted still, no longer its own', async () => {
      await saveFeaturedPapers(store);
      await votes.castVote(ballot('2606.00003', 'gone-soon'), full);
      await votes.castVote(ballot('2606.00001', 'gone-soon'), full);
      await votes.castVote(ballot('2606.00003', 'stays'), full);
      const before = await votes.talliesOf(['2606.00003', '2606.00001']);
      expect(await votes.anonymiseVoter('gone-soon')).toBe(2);
      expect(await votes.talliesOf(['2606.00003', '2606.00001'])).toEqual(before);
      expect(await votes.votedOn('gone-soon', ['2606.00003', '2606.00001'])).toEqual(new Set());
      expect(await votes.votedOn('stays', ['2606.00003'])).toEqual(new Set(['2606.00003']));
      // a new account with the old id (ids are random: only in theory) starts afresh
      expect(await votes.withdrawVote('2606.00003', 'gone-soon')).toMatchObject({ changed: false, votes: 2 });
      expect(await votes.anonymiseVoter('gone-soon')).toBe(0);
      // another deleted account's vote on the same paper stays a vote of its own
      expect(await votes.anonymiseVoter('stays')).toBe(1);
      expect(await votes.talliesOf(['2606.00003', '2606.00001'])).toEqual(before);
    });

    it('keeps the votes cast at the same time as one it refuses (an unknown paper, an unreadable ballot)', async () => {
      await saveFeaturedPapers(store);
      const outcomes = await Promise.allSettled([
        ...Array.from({ length: 10 }, (_, i) => votes.castVote(ballot('2606.00003', 300 + i), full)),
        votes.castVote(ballot('2607.00404', 399), full),
        votes.castVote(ballot('2606.00001', 398, { networkSince: 'a day ago' }), full),
        ...Array.from({ length: 10 }, (_, i) => votes.castVote(ballot('2606.00001', 310 + i), full)),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(20);
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
      expect(refused).toHaveLength(2);
      expect(refused.join(' ')).toMatch(/no paper 2607\.00404/);
      expect(refused.join(' ')).toMatch(/networkSince "a day ago" is not a timestamp/);
      const tallies = await votes.talliesOf(['2606.00003', '2606.00001']);
      expect([tallies.get('2606.00003')?.votes, tallies.get('2606.00001')?.votes]).toEqual([10, 10]);
      expect((await votes.votedOn('398', ['2606.00001'])).size).toBe(0);
    });

    it('leaves the exact count when 50 clients vote on one paper at once, on several handles, some twice', async () => {
      await saveFeaturedPapers(store);
      const handles = [votes, ...(await Promise.all([1, 2, 3, 4].map(async () => (await opened.reopenDatabase()).votes)))];
      const casts = Array.from({ length: 50 }, (_, i) => handles[i % handles.length]!.castVote(ballot('2606.00003', 100 + i, { network: `net-${i % 3}` }), full));
      // ten of them again, at the same time, through another handle: idempotent
      const again = Array.from({ length: 10 }, (_, i) => handles[(i + 1) % handles.length]!.castVote(ballot('2606.00003', 100 + i, { network: `net-${i % 3}` }), full));
      const outcomes = await Promise.all([...casts, ...again]);
      expect(outcomes.filter((o) => o.changed)).toHaveLength(50);
      expect((await votes.talliesOf(['2606.00003'])).get('2606.00003')).toEqual({ paperId: '2606.00003', votes: 50, weight: 50_000 });
      // and 20 withdraw while 20 others vote
      const mixed = await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => handles[i % handles.length]!.withdrawVote('2606.00003', String(100 + i))),
        ...Array.from({ length: 20 }, (_, i) => handles[(i + 2) % handles.length]!.castVote(ballot('2606.00003', 200 + i), full)),
      ]);
      expect(mixed.filter((o) => o.changed)).toHaveLength(40);
      expect((await votes.talliesOf(['2606.00003'])).get('2606.00003')).toEqual({ paperId: '2606.00003', votes: 50, weight: 50_000 });
      expect((await votes.votedOn('105', ['2606.00003'])).size).toBe(0);
      expect((await votes.votedOn('125', ['2606.00003'])).size).toBe(1);
    });
  });
}
