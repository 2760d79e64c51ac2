/**
 * VoteService on every store: votes by any spelling of a paper's id, toggles, and the damping
 * inputs recorded with each vote and weighed where the count of a network's votes is exact.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VOTE_DAMPING } from '../src/core/vote-weight.js';
import { VoteService, type Voter } from '../src/services/vote.service.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import { saveFeaturedPapers } from './support/papers.js';
import type { OpenedStore } from './support/store-harness.js';

const NOW = new Date('2026-07-02T10:00:00.000Z');
const reader = (accountId: number, o: Partial<Voter> = {}): Voter => ({ accountId: String(accountId), accountCreatedAt: '2025-01-01T00:00:00.000Z', network: `198.51.${accountId}.0/24`, ...o });

for (const harness of STORE_HARNESSES) {
  describe(`VoteService: ${harness.name}`, () => {
    let opened: OpenedStore;
    let service: VoteService;
    beforeEach(async () => {
      opened = await harness.open();
      await saveFeaturedPapers(opened.store);
      service = new VoteService(opened.votes, () => NOW);
    });
    afterEach(async () => {
      await opened.store.close();
      await opened.drop();
    });

    const tally = async (id: string) => (await opened.votes.talliesOf([id])).get(id) ?? { votes: 0, weight: 0 };

    it('votes on a paper by any spelling of its id, and toggles back', async () => {
      expect(await service.vote('arXiv:2606.00003v2', reader(1))).toEqual({ paperId: '2606.00003', voted: true, changed: true, votes: 1 });
      expect(await service.vote('2606.00003', reader(1))).toMatchObject({ changed: false, votes: 1 });
      expect(await service.toggle('https://arxiv.org/abs/2606.00003', reader(1))).toMatchObject({ voted: false, changed: true, votes: 0 });
      expect(await service.toggle('2606.00003', reader(1))).toMatchObject({ voted: true, changed: true, votes: 1 });
      expect(await service.votedOn('1', ['2606.00003', '2606.00001'])).toEqual(new Set(['2606.00003']));
      expect(await service.unvote('2606.00003', reader(1))).toMatchObject({ voted: false, votes: 0 });
    });

    it('refuses what is not a paper, an account or a network, naming it', async () => {
      await expect(service.vote('not-a-paper', reader(1))).rejects.toThrow(/not an arXiv id/);
      await expect(service.vote('2607.00404', reader(1))).rejects.toThrow(/no paper 2607\.00404/);
      await expect(service.vote('2606.00003', { ...reader(1), accountId: 'not an id!' })).rejects.toThrow(/account id “not an id!”/);
      await expect(service.vote('2606.00003', reader(1, { network: 'a\r\nb' }))).rejects.toThrow(/network/);
      await expect(service.vote('2606.00003', reader(1, { accountCreatedAt: 'soon' }))).rejects.toThrow(/creation time/);
      expect((await tally('2606.00003')).votes).toBe(0);
    });

    it('weighs votes from new accounts, and a network’s votes past its first three in a day, less', async () => {
      await service.vote('2606.00003', reader(1, { accountCreatedAt: new Date(NOW.getTime() - 86_400_000) }));
      expect(await tally('2606.00003')).toMatchObject({ votes: 1, weight: VOTE_DAMPING.FULL * VOTE_DAMPING.YOUNG_FACTOR });
      for (let i = 10; i < 15; i++) await service.vote('2606.00001', reader(i, { network: '203.0.113.0/24' }));
      expect(await tally('2606.00001')).toMatchObject({ votes: 5, weight: 3 * 1000 + 2 * 250 });
      // the same network on another paper starts afresh
      await service.vote('2606.00005', reader(20, { network: '203.0.113.0/24' }));
      expect(await tally('2606.00005')).toMatchObject({ votes: 1, weight: 1000 });
    });

    it('leaves the exact count when 50 readers toggle at once, ten of them twice', async () => {
      const voters = Array.from({ length: 50 }, (_, i) => reader(100 + i, { network: `n${i % 4}` }));
      await Promise.all([...voters.map((v) => service.toggle('2606.00003', v))]);
      expect((await tally('2606.00003')).votes).toBe(50);
      await Promise.all(voters.slice(0, 10).map((v) => service.toggle('2606.00003', v)));
      expect((await tally('2606.00003')).votes).toBe(40);
    });
  });
}
