import { describe, expect, it } from 'vitest';
import { emptyPaper } from '../core/paper.js';
import type { IndexResults, IndexSearchRequest, SearchIndex } from '../ports/search-index.js';
import { SearchService } from './search.service.js';

/** An index that remembers what it was asked and answers what it is told to. */
function fakeIndex(answer: Partial<IndexResults> = {}) {
  const asked: IndexSearchRequest[] = [];
  const index: SearchIndex = {
    search: async (req) => {
      asked.push(req);
      return { hits: [], total: 0, totalIsEstimate: false, pending: 0, ...answer };
    },
    similar: async () => [],
    termStats: async () => ({ papers: 0, df: new Map() }),
    refresh: async () => ({ indexed: 0, pending: 0 }),
  };
  return { index, asked };
}

describe('SearchService', () => {
  it('clamps paging, defaults the order, and never asks the index for an empty query', async () => {
    const { index, asked } = fakeIndex();
    const s = new SearchService(index);
    const r = await s.search({ q: 'quokka', limit: 5000, offset: -3 });
    expect([r.limit, r.offset, r.sort, r.mode]).toEqual([100, 0, 'relevance', 'keyword']);
    expect(asked[0]).toMatchObject({ limit: 100, offset: 0, sort: 'relevance' });
    expect((await s.search({ q: 'quokka', limit: 2.7, offset: 1e9, sort: 'date' })).offset).toBe(10_000);
    await s.search({ q: '🦘 ***' });
    expect(asked).toHaveLength(2);
  });

  it('highlights the hits it gets', async () => {
    const paper = { ...emptyPaper('2501.00001'), title: 'Quokka <b>', abstract: 'A quokka.' };
    const s = new SearchService(fakeIndex({ hits: [{ paper, score: 2 }], total: 1 }).index);
    const [hit] = (await s.search({ q: 'quokka' })).hits;
    expect(hit).toMatchObject({ score: 2, titleHtml: '<mark>Quokka</mark> &#60;b&#62;', snippetHtml: 'A <mark>quokka</mark>.' });
  });

  it('explains empty queries, ignored parts, empty results and an index catching up', async () => {
    const s = new SearchService(fakeIndex({ pending: 12 }).index);
    expect((await s.search({ q: '' })).notice).toMatch(/^Type words, a "phrase"/);
    expect((await s.search({ q: ':' })).notice).toMatch(/^Nothing to search for here/);
    const r = await s.search({ q: 'quokka year:20x5 cat:cs.CL' });
    expect(r.notice).toMatch(/^Ignored: “year:20x5” \(not a date: .*\)\. No papers match\. Try other or fewer words, or drop a filter\. 12 recently added/);
    expect((await new SearchService(fakeIndex({ total: 3 }).index).search({ q: 'quokka' })).notice).toBeNull();
  });

  it('refuses the modes that are not built yet', async () => {
    const s = new SearchService(fakeIndex().index);
    await expect(s.search({ q: 'x', mode: 'hybrid' })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: /hybrid search is not available/ });
  });
});
