import { describe, expect, it } from 'vitest';
import { emptyPaper } from '../core/paper.js';
import type { IndexResults, IndexSearchRequest, SearchIndex } from '../ports/search-index.js';
import { SearchService } from './search.service.js';
import { noSemantic } from './semantic-retriever.js';

/** An index that remembers what it was asked and answers what it is told to. */
function fakeIndex(answer: Partial<IndexResults> = {}) {
  const asked: IndexSearchRequest[] = [];
  const index: SearchIndex = {
    search: async (req) => {
      asked.push(req);
      return { hits: [], total: 0, totalIsEstimate: false, pending: 0, ...answer };
    },
    rank: async () => ({ hits: [], total: 0, totalIsEstimate: false, pending: 0 }),
    filterIds: async (ids) => [...ids],
    similar: async () => [],
    termStats: async () => ({ papers: 0, df: new Map() }),
    refresh: async () => ({ indexed: 0, pending: 0 }),
  };
  return { index, asked };
}

const noPapers = { getPapers: async () => new Map() };

describe('SearchService', () => {
  it('clamps paging, defaults the order, and never asks the index for an empty query', async () => {
    const { index, asked } = fakeIndex();
    const s = new SearchService(index, noPapers);
    const r = await s.search({ q: 'quokka', limit: 5000, offset: -3 });
    expect([r.limit, r.offset, r.sort, r.mode, r.requestedMode]).toEqual([100, 0, 'relevance', 'keyword', 'hybrid']);
    expect(asked[0]).toMatchObject({ limit: 100, offset: 0, sort: 'relevance' });
    expect((await s.search({ q: 'quokka', limit: 2.7, offset: 1e9, sort: 'date' })).offset).toBe(10_000);
    await s.search({ q: '🦘 ***' });
    expect(asked).toHaveLength(2);
  });

  it('highlights the hits it gets', async () => {
    const paper = { ...emptyPaper('2501.00001'), title: 'Quokka <b>', abstract: 'A quokka.' };
    const s = new SearchService(fakeIndex({ hits: [{ paper, score: 2 }], total: 1 }).index, noPapers);
    const [hit] = (await s.search({ q: 'quokka', mode: 'keyword' })).hits;
    expect(hit).toMatchObject({ score: 2, match: 'keyword', closestSentence: null, titleHtml: '<mark>Quokka</mark> &#60;b&#62;', snippetHtml: 'A <mark>quokka</mark>.' });
  });

  it('explains empty queries, ignored parts, empty results and an index catching up', async () => {
    const s = new SearchService(fakeIndex({ pending: 12 }).index, noPapers);
    expect((await s.search({ q: '' })).notice).toMatch(/^Type words, a "phrase"/);
    expect((await s.search({ q: ':' })).notice).toMatch(/^Nothing to search for here/);
    const r = await s.search({ q: 'quokka year:20x5 cat:cs.CL' });
    expect(r.notice).toMatch(/^Ignored: “year:20x5” \(not a date: .*\)\. No papers match\. Try other or fewer words, or drop a filter\. 12 recently added/);
    expect((await new SearchService(fakeIndex({ total: 3 }).index, noPapers).search({ q: 'quokka' })).notice).toBeNull();
  });

  it('without vectors: hybrid (the default) falls back to keyword and says why; semantic is refused', async () => {
    const s = new SearchService(fakeIndex().index, noPapers, { semantic: noSemantic('the papers are being embedded (40%)') });
    const r = await s.search({ q: 'quokka' });
    expect([r.mode, r.requestedMode]).toEqual(['keyword', 'hybrid']);
    expect(r.fallback).toBe('Searched by keywords only: search by meaning is not available (the papers are being embedded (40%)).');
    expect((await s.search({ q: 'quokka', mode: 'keyword' })).fallback).toBeNull();
    await expect(s.search({ q: 'x', mode: 'semantic' })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: 'semantic search is not available here: the papers are being embedded (40%). Search with mode=keyword or mode=hybrid',
    });
    await expect(s.search({ q: 'x', mode: 'fuzzy' as never })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: /mode must be one of keyword, semantic, hybrid, not "fuzzy"/ });
  });
});
