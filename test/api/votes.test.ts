/**
 * The API tells a paper's local votes (`votes`) from its Hugging Face upvotes (`hf.upvotes`), on
 * the paper and in listings, and the OpenAPI document says which is which (decision 028).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VoteService } from '../../src/services/vote.service.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { HOSTILE_ID, openSite, type TestSite } from './site.js';

for (const harness of STORE_HARNESSES) {
  describe(`local votes in the API: ${harness.name}`, () => {
    let site: TestSite;
    beforeAll(async () => {
      site = await openSite(harness);
      const votes = new VoteService(site.votes);
      for (const accountId of ['1', '2']) await votes.vote(HOSTILE_ID, { accountId, accountCreatedAt: '2026-01-01T00:00:00Z', network: `192.0.${accountId}.0/24` });
    }, 120_000);
    afterAll(() => site.close());

    const json = async (url: string) => {
      const res = await site.app.inject(url);
      expect(res.statusCode, url).toBe(200);
      return res.json() as Record<string, unknown>;
    };

    it('returns the local vote count as votes and Hugging Face’s as hf.upvotes', async () => {
      const voted = await json(`/api/v1/papers/${HOSTILE_ID}`);
      expect(voted).toMatchObject({ id: HOSTILE_ID, votes: 2, hf: { upvotes: null } });
      const featured = (await json('/api/v1/papers/date/2026-06-30?order=upvoted')).papers as { id: string; votes: number; hf: { upvotes: number } }[];
      expect(featured[0]!.hf.upvotes).toBeGreaterThan(0);
      expect(featured[0]!.votes).toBe(0);
      expect(featured.find((p) => p.id === HOSTILE_ID)?.votes).toBe(2); // on the curated day, by its votes
    });

    it('says in the OpenAPI document which count is which', async () => {
      const doc = JSON.stringify(await json('/api/openapi.json'));
      expect(doc).toContain("this site's own upvotes");
      expect(doc).toContain("upvotes on Hugging Face's daily papers");
    });
  });
}
