/**
 * The day's page leads with the curated papers (submitted, upvoted here, featured on Hugging
 * Face), with all new papers one click away; a vote brings a paper onto it, shows on it, and
 * makes the page's cached copy stale (decision 028).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { VoteService } from '../../src/services/vote.service.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { useSite, type Site } from './site.js';

// newest first: the paper arXiv listed last that day comes first (the demo's day has 34 curated papers, pages of 20)
const DAY = '/papers/date/2026-06-30?order=newest';
const ARXIV_ONLY = 'Broken math'; // 2606.90002: listed by arXiv only, picked by nobody yet

for (const harness of STORE_HARNESSES) {
  describe(`the curated day page: ${harness.name}`, () => {
    const theSite = useSite(harness);
    let site: Site;
    beforeEach(() => {
      site = theSite();
    });

    it('leads with the curated papers and links to all new papers, which lists the rest', async () => {
      const curated = await site.get(DAY);
      expect(curated.statusCode).toBe(200);
      expect(curated.body).not.toContain(ARXIV_ONLY);
      const link = /<a href="(\/papers\/date\/2026-06-30\?order=newest&amp;all=1)">all (\d+) new papers<\/a>/.exec(curated.body);
      expect(link).not.toBeNull();
      const all = await site.get(link![1]!.replace('&amp;', '&'));
      expect(all.statusCode).toBe(200);
      expect(all.body).toContain(ARXIV_ONLY);
      expect(all.body).toContain('Every new paper of this day');
      expect(all.body).toContain(`${link![2]} papers`);
    });

    it('takes a paper onto the curated page once it is upvoted here, showing its votes, with a new ETag', async () => {
      const before = await site.get(DAY);
      const etag = String(before.headers.etag);
      // pages that do not show that day keep theirs: a vote re-renders its own day's pages only
      const others = ['/papers/date/2026-06-29', '/papers/week/2026-W26', '/papers/2606.90001', '/about/ranking'];
      const kept = await Promise.all(others.map(async (url) => String((await site.get(url)).headers.etag)));
      await new VoteService(site.opened.votes).vote('2606.90002', { accountId: '7', accountCreatedAt: '2026-01-01T00:00:00Z', network: '192.0.2.0/24' });
      const after = await site.get(DAY, { 'if-none-match': etag });
      expect(after.statusCode).toBe(200);
      expect(after.body).toContain(ARXIV_ONLY);
      expect(after.body).toContain('1 vote here');
      expect((await site.get('/papers/week/2026-W27', { 'if-none-match': etag })).statusCode).toBe(200); // its week shows it too
      for (const [i, url] of others.entries()) expect((await site.get(url, { 'if-none-match': kept[i]! })).statusCode, url).toBe(304);
    });
  });
}
