/**
 * The Submissions contract (papers submitted by readers, issue 13, decision 032): one submission
 * per account and paper, the paper's first one kept with its day and submitter, the quota's count,
 * the listing version of the days it shows on moved, and an account's submissions kept without
 * it once anonymised. Run on every store adapter.
 */
import { describe, expect, it } from 'vitest';
import type { Submissions } from '../../src/ports/submissions.js';
import { saveFeaturedPapers } from '../support/papers.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { anAccount, otherAccounts } from './account-fixtures.js';
import { storePerTest } from './store-per-test.js';

const AT = (hour: number, day = '2026-07-02') => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

export function submissionsContract(harness: StoreHarness): void {
  describe(`Submissions contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let subs: Submissions;
    storePerTest(harness, (o) => {
      opened = o;
      subs = o.submissions;
    });
    /** The featured papers, two readers, and a second handle on the same database. */
    const twoReadersTwoHandles = async () => {
      await saveFeaturedPapers(opened.store);
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      const bob = await anAccount(opened.accounts, 'bob@example.org');
      const db2 = await opened.reopenDatabase();
      await db2.store.migrate();
      return { ann, bob, db2 };
    };

    it('records one submission per account and paper, keeps the first submitter with its day, and counts the quota', async () => {
      await saveFeaturedPapers(opened.store);
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      const bob = await anAccount(opened.accounts, 'bob@example.org');
      expect(await subs.recordSubmission({ paperId: '2606.00002', accountId: ann.id, at: AT(9) })).toEqual({ recorded: true, first: true });
      expect(await subs.recordSubmission({ paperId: '2606.00002', accountId: ann.id, at: AT(10) })).toEqual({ recorded: false, first: false });
      expect(await subs.recordSubmission({ paperId: '2606.00002', accountId: bob.id, at: AT(11) })).toEqual({ recorded: true, first: false });
      expect(await subs.recordSubmission({ paperId: '2606.00001', accountId: bob.id, at: AT(12, '2026-07-03') })).toEqual({ recorded: true, first: true });
      expect(await subs.submittedBetween('2026-07-02', '2026-07-02')).toEqual([{ paperId: '2606.00002', day: '2026-07-02', submitter: 'ann' }]);
      expect(await subs.submittedBetween('2026-07-01', '2026-07-31')).toEqual([
        { paperId: '2606.00002', day: '2026-07-02', submitter: 'ann' },
        { paperId: '2606.00001', day: '2026-07-03', submitter: 'bob' },
      ]);
      expect(await subs.submittedBetween('2026-06-01', '2026-06-30')).toEqual([]);
      expect(await subs.submittersOf(['2606.00001', '2606.00003'])).toEqual(new Map([['2606.00001', { paperId: '2606.00001', day: '2026-07-03', submitter: 'bob' }]]));
      expect(await subs.submissionsSince(bob.id, AT(0))).toBe(2);
      expect(await subs.submissionsSince(bob.id, AT(12))).toBe(1);
      expect(await subs.submissionsSince(ann.id, AT(10))).toBe(0);
      expect(await subs.submissionsOf(bob.id)).toEqual([
        { paperId: '2606.00002', submittedAt: AT(11) },
        { paperId: '2606.00001', submittedAt: AT(12, '2026-07-03') },
      ]);
    });

    it('keeps a quota counted with the write: of many submissions of one account at once over two handles, exactly the quota is recorded', async () => {
      const { ann, bob, db2 } = await twoReadersTwoHandles();
      const quota = { max: 2, since: AT(0) };
      await subs.recordSubmission({ paperId: '2606.00001', accountId: ann.id, at: AT(1, '2026-07-01') }, quota); // before `since`: not counted
      const papers = ['2606.00002', '2606.00003', '2606.00004', '2606.00005'];
      const outcomes = await Promise.all(
        papers.map((paperId, i) => (i % 2 === 0 ? subs : db2.submissions).recordSubmission({ paperId, accountId: ann.id, at: AT(9) }, quota)),
      );
      expect(outcomes.filter((o) => o?.recorded)).toHaveLength(2);
      expect(outcomes.filter((o) => o === null)).toHaveLength(2);
      expect(await subs.submissionsSince(ann.id, AT(0))).toBe(2);
      // at the quota: refused, nothing recorded; another account has its own; no quota: no limit
      const refused = papers[outcomes.indexOf(null)]!;
      expect(await subs.recordSubmission({ paperId: refused, accountId: ann.id, at: AT(10) }, quota)).toBeNull();
      expect(await subs.recordSubmission({ paperId: refused, accountId: bob.id, at: AT(10) }, quota)).toMatchObject({ recorded: true });
      expect(await subs.recordSubmission({ paperId: refused, accountId: ann.id, at: AT(10) })).toMatchObject({ recorded: true });
      expect(await subs.submissionsSince(ann.id, AT(0))).toBe(3);
    });

    it('refuses a paper it does not have, and a time that is not one, naming them', async () => {
      await saveFeaturedPapers(opened.store);
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      await expect(subs.recordSubmission({ paperId: '2607.00404', accountId: ann.id, at: AT(9) })).rejects.toThrow(/no paper 2607\.00404/);
      await expect(subs.recordSubmission({ paperId: '2606.00002', accountId: ann.id, at: 'today' })).rejects.toThrow(/"today" is not a timestamp/);
      expect(await subs.submissionsOf(ann.id)).toEqual([]);
    });

    it('moves the listing version of the day submitted and of the paper\'s own day, and of no other', async () => {
      await saveFeaturedPapers(opened.store);
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      const before = await Promise.all([opened.votes.votesVersion('2026-07-02', '2026-07-02'), opened.votes.votesVersion('2026-06-29', '2026-06-29'), opened.votes.votesVersion('2026-06-30', '2026-06-30')]);
      await subs.recordSubmission({ paperId: '2606.00002', accountId: ann.id, at: AT(9) });
      const after = await Promise.all([opened.votes.votesVersion('2026-07-02', '2026-07-02'), opened.votes.votesVersion('2026-06-29', '2026-06-29'), opened.votes.votesVersion('2026-06-30', '2026-06-30')]);
      expect(after[0]).not.toBe(before[0]);
      expect(after[1]).not.toBe(before[1]);
      expect(after[2]).toBe(before[2]);
    });

    it('keeps an anonymised or deleted account\'s submissions without its name, and the first submission is one whatever the handles', async () => {
      const { ann, bob, db2 } = await twoReadersTwoHandles();
      await otherAccounts(opened);
      const outcomes = await Promise.all([
        subs.recordSubmission({ paperId: '2606.00003', accountId: ann.id, at: AT(9) }),
        db2.submissions.recordSubmission({ paperId: '2606.00003', accountId: bob.id, at: AT(9) }),
      ]);
      expect(outcomes.filter((o) => o?.first)).toHaveLength(1);
      const firstBy = outcomes[0]!.first ? ann : bob;
      const other = firstBy === ann ? bob : ann;
      const renamed = await opened.votes.votesVersion('2026-07-02', '2026-07-02');
      await subs.submitterRenamed(other.id); // not named on any page: nothing moves
      expect(await opened.votes.votesVersion('2026-07-02', '2026-07-02')).toBe(renamed);
      await subs.submitterRenamed(firstBy.id);
      expect(await opened.votes.votesVersion('2026-07-02', '2026-07-02')).not.toBe(renamed);
      const version = await opened.votes.votesVersion('2026-07-02', '2026-07-02');
      expect(await subs.anonymiseSubmitter(firstBy.id)).toBe(1);
      expect(await opened.votes.votesVersion('2026-07-02', '2026-07-02')).not.toBe(version);
      expect(await subs.submittedBetween('2026-07-02', '2026-07-02')).toEqual([{ paperId: '2606.00003', day: '2026-07-02', submitter: null }]);
      expect(await subs.submissionsOf(firstBy.id)).toEqual([]);
      await opened.accounts.deleteAccount(other.id);
      expect(await subs.submissionsOf(other.id)).toEqual([]);
      expect((await subs.submittedBetween('2026-07-02', '2026-07-02')).map((s) => s.paperId)).toEqual(['2606.00003']);
    });
  });
}
