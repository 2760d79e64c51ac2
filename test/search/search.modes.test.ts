/**
 * Search modes on every store (issue 12): keyword, semantic and hybrid, with filters in every
 * mode, paging, date order, why each hit matched, and the fallback without vectors. The vectors
 * are real: a hashed bag-of-stems embedder (test/support) that folds "kangaroo" and "wallaby"
 * into "quokka", so that a query can match by meaning a paper that shares none of its words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/core/query.js';
import type { SearchService } from '../../src/services/search.service.js';
import { IndexSemanticRetriever } from '../../src/services/semantic-retriever.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { HashedEmbedder } from '../support/hashed-embedder.js';
import { MemoryVectorIndex } from '../support/memory-vector-index.js';
import type { OpenedStore } from '../support/store-harness.js';
import { CRAFTED, ids, loadFixtures, NAMESAKES, QUOKKA_IDS, searchOn } from './fixtures.js';

const GHOST = '2509.99999'; // a vector whose paper is not in the store (deleted, say)

for (const harness of STORE_HARNESSES) {
  describe(`search modes: ${harness.name}`, () => {
    let opened: OpenedStore;
    let search: SearchService;
    let keywordOnly: SearchService;
    let embedder: HashedEmbedder;

    beforeAll(async () => {
      opened = await harness.open();
      await loadFixtures(opened.store, { real: false });
      await opened.index.refresh();
      embedder = new HashedEmbedder(1024, { kangaroo: 'quokka', wallabi: 'quokka' });
      const index = new MemoryVectorIndex(embedder.dimensions);
      const papers = [...CRAFTED, ...NAMESAKES].map((p) => ({ id: p.id, text: `${p.title}. ${p.abstract}` }));
      papers.push({ id: GHOST, text: 'Quokka quokka quokka.' });
      const vectors = await embedder.embed(papers.map((p) => p.text), 'document');
      await index.upsert(papers.map((p, i) => ({ id: p.id, vector: vectors[i]! })));
      search = searchOn(opened, new IndexSemanticRetriever(embedder, index));
      keywordOnly = searchOn(opened);
    });
    afterAll(async () => {
      await opened.store.close();
      await opened.drop();
    });

    it('semantic: finds papers that share no word with the query, and never one the store lacks', async () => {
      expect(ids(await search.search({ q: 'kangaroo', mode: 'keyword' }))).toEqual([]);
      const r = await search.search({ q: 'kangaroo', mode: 'semantic' });
      expect([r.mode, r.requestedMode, r.fallback]).toEqual(['semantic', 'semantic', null]);
      expect(new Set(ids(r))).toEqual(new Set(QUOKKA_IDS));
      expect(r.total).toBe(4);
      expect(r.hits.every((h) => h.match === 'semantic')).toBe(true);
      expect(r.hits[0]!.score).toBeGreaterThanOrEqual(r.hits[3]!.score);
    });

    it('says which sentence of the abstract is closest, for the hits found by meaning', async () => {
      const r = await search.search({ q: 'wallaby', mode: 'semantic' });
      const census = r.hits.find((h) => h.paper.id === '2503.90002')!;
      expect(census.closestSentence).toBe('The quokka is a small marsupial.');
      // its title says quokka, its abstract does not: no sentence is close
      expect(r.hits.find((h) => h.paper.id === '2503.90001')!.closestSentence).toBeNull();
    });

    it('applies every filter and exclusion in semantic mode', async () => {
      const find = async (q: string) => new Set(ids(await search.search({ q, mode: 'semantic' })));
      expect(await find('kangaroo cat:cs.CV')).toEqual(new Set(['2504.90007']));
      expect(await find('kangaroo author:"Ada Lovelace"')).toEqual(new Set(['2503.90001', '2503.90002']));
      expect(await find('kangaroo year:2025')).toEqual(new Set(['2503.90001', '2503.90002', '2504.90007']));
      expect(await find('kangaroo -genomics')).toEqual(new Set(['2503.90001', '2503.90002', '2504.90007']));
      expect(await find('kangaroo cat:cs.CL')).toEqual(new Set());
    });

    it('hybrid: fuses words and meaning, says which matched, pages without repeats, and filters', async () => {
      const r = await search.search({ q: 'marsupial kangaroo' });
      expect([r.mode, r.requestedMode, r.fallback]).toEqual(['hybrid', 'hybrid', null]);
      expect(new Set(ids(r))).toEqual(new Set(QUOKKA_IDS));
      const match = Object.fromEntries(r.hits.map((h) => [h.paper.id, h.match]));
      expect(match).toEqual({ '2503.90001': 'both', '2503.90002': 'both', '2504.90007': 'semantic', '2412.90008': 'semantic' });
      // the words' matches rank first: keyword weight 0.8
      expect(ids(r).slice(0, 2).sort()).toEqual(['2503.90001', '2503.90002']);
      expect(r.hits.find((h) => h.match === 'both')!.titleHtml + r.hits.find((h) => h.paper.id === '2503.90002')!.snippetHtml).toContain('<mark>');
      const p1 = await search.search({ q: 'marsupial kangaroo', limit: 3 });
      const p2 = await search.search({ q: 'marsupial kangaroo', limit: 3, offset: 3 });
      expect([...ids(p1), ...ids(p2)]).toEqual(ids(r));
      expect(p2.total).toBe(4);
      expect(new Set(ids(await search.search({ q: 'marsupial kangaroo date:2025-03' })))).toEqual(new Set(['2503.90001', '2503.90002']));
    });

    it('hybrid and semantic newest first', async () => {
      const r = await search.search({ q: 'kangaroo', sort: 'date' });
      expect(ids(r)).toEqual(['2504.90007', '2503.90002', '2503.90001', '2412.90008']);
    });

    it('ranks as it searches: the index\'s ids and scores without papers, as search finds them', async () => {
      for (const q of ['quokka', 'quokka island cat:q-bio.PE', 'kv cache -memory', 'author:"Ada Lovelace"']) {
        for (const sort of ['relevance', 'date'] as const) {
          const req = { query: parseQuery(q), sort, limit: 3, offset: 1 };
          const searched = await opened.index.search(req);
          const ranked = await opened.index.rank(req);
          expect(ranked.hits, `${q} ${sort}`).toEqual(searched.hits.map((h) => ({ id: h.paper.id, score: h.score })));
          expect([ranked.total, ranked.totalIsEstimate]).toEqual([searched.total, searched.totalIsEstimate]);
        }
      }
    });

    it('without vectors the default hybrid is keyword search, said so; semantic is refused', async () => {
      const r = await keywordOnly.search({ q: 'marsupial' });
      expect([r.mode, r.requestedMode]).toEqual(['keyword', 'hybrid']);
      expect(r.fallback).toMatch(/^Searched by keywords only: search by meaning is not available \(no embeddings yet/);
      expect(ids(r)).toEqual(ids(await keywordOnly.search({ q: 'marsupial', mode: 'keyword' })));
      await expect(keywordOnly.search({ q: 'marsupial', mode: 'semantic' })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    });

    it('filters alone list papers in every mode, with no query to embed', async () => {
      const queries = embedder.embedded.query;
      const r = await search.search({ q: 'cat:q-bio.GN', mode: 'semantic' });
      expect(r.mode).toBe('keyword');
      expect(r.fallback).toMatch(/no words to search by meaning/);
      expect(new Set(ids(r))).toEqual(new Set(['2412.90008', '0705.9011']));
      expect(embedder.embedded.query).toBe(queries);
    });
  });
}
