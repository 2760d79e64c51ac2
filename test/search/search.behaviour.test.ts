/**
 * Keyword search behaviour on every store: ranking, phrases, prefixes, each filter, orders,
 * pagination, highlighting, similar papers. One store per adapter, loaded once, read by every test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchService } from '../../src/services/search.service.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { ids, loadFixtures, QUOKKA_IDS, searchOn } from './fixtures.js';

for (const harness of STORE_HARNESSES) {
  describe(`keyword search: ${harness.name}`, () => {
    let opened: OpenedStore;
    let search: SearchService;
    const find = (q: string, more: { sort?: 'relevance' | 'date'; limit?: number; offset?: number } = {}) =>
      search.search({ q, limit: 50, ...more });

    beforeAll(async () => {
      opened = await harness.open();
      await loadFixtures(opened.store);
      search = searchOn(opened);
    });
    afterAll(async () => {
      await opened.store.close();
      await opened.drop();
    });

    it('ranks a title match above an abstract-only match, even one with the word twice', async () => {
      const r = await find('quokka');
      expect(new Set(ids(r))).toEqual(new Set(QUOKKA_IDS));
      expect(r.total).toBe(4);
      expect(ids(r).at(-1)).toBe('2503.90002'); // the only one without "quokka" in its title
      expect(r.hits[0]!.score).toBeGreaterThan(r.hits[3]!.score);
    });

    it('finds real papers by a phrase from their titles, best first', async () => {
      const r = await find('"dipole approximation"');
      expect(ids(r).slice(0, 4).sort()).toEqual(['0704.0033', '0704.0035', '0704.0037', '0704.0038']);
    });

    it('matches a phrase only where its words are adjacent, words anywhere', async () => {
      expect(ids(await find('"kv cache"'))).toEqual(['2502.90004']);
      const words = await find('kv cache');
      expect(ids(words)).toEqual(expect.arrayContaining(['2502.90004', '2502.90005']));
      // papers with both words (rarer "kv" included) before those with "cache" alone
      expect(ids(words).slice(0, 2).sort()).toEqual(['2502.90004', '2502.90005']);
      // a hyphenated word is a phrase too
      expect(ids(await find('kv-cache'))).toEqual(['2502.90004']);
    });

    it('matches prefixes, and words by their stem', async () => {
      expect((await find('quok')).total).toBe(0);
      expect(new Set(ids(await find('quok*')))).toEqual(new Set(QUOKKA_IDS));
      expect(new Set(ids(await find('quokkas')))).toEqual(new Set(QUOKKA_IDS));
    });

    it('leaves out excluded words', async () => {
      // both papers that mention marsupials (singular or plural) go
      expect(new Set(ids(await find('quokka -marsupial')))).toEqual(new Set(['2504.90007', '2412.90008']));
      expect(new Set(ids(await find('quokka NOT marsupials')))).toEqual(new Set(['2504.90007', '2412.90008']));
    });

    it('reads a quoted author as one person\'s name, never words of several authors', async () => {
      // 0705.9009 has "Li Yue", "Ma Chen": Yue and Ma adjacent in the list but in two names
      expect(ids(await find('author:"Yue Ma"'))).toEqual(['0705.9010']);
      expect(ids(await find('numbat author:"Yue Ma"'))).toEqual(['0705.9010']);
      expect(ids(await find('author:"Ma Yue"'))).toEqual(['0705.9011']);
      // one word of a name still finds every paper with it
      expect(new Set(ids(await find('numbat author:yue')))).toEqual(new Set(['0705.9009', '0705.9010', '0705.9011']));
      expect(ids(await find('author:"Ma Chen" author:"Li Yue"'))).toEqual(['0705.9009']);
    });

    it('filters by author, alone or with words', async () => {
      expect(new Set(ids(await find('author:quillfeather')))).toEqual(new Set(['2503.90001', '2504.90007']));
      expect(new Set(ids(await find('quokka author:"Zenobia Quillfeather"')))).toEqual(new Set(['2503.90001', '2504.90007']));
      expect((await find('quokka author:turing author:lovelace')).total).toBe(0);
    });

    it('filters by category or whole archive, any of several', async () => {
      expect(ids(await find('quokka cat:cs.CV'))).toEqual(['2504.90007']);
      expect(new Set(ids(await find('quokka cat:q-bio.PE')))).toEqual(new Set(['2503.90001', '2503.90002']));
      expect(new Set(ids(await find('quokka cat:q-bio')))).toEqual(new Set(['2503.90001', '2503.90002', '2412.90008']));
      expect(new Set(ids(await find('quokka cat:cs.CV cat:q-bio.GN')))).toEqual(new Set(['2504.90007', '2412.90008']));
      // a secondary category counts
      expect(ids(await find('quokka cat:stat.AP'))).toEqual(['2503.90002']);
    });

    it('filters by year and by date range, in each syntax', async () => {
      expect(ids(await find('quokka year:2024'))).toEqual(['2412.90008']);
      expect(new Set(ids(await find('quokka from:2025-03-01 to:2025-03-31')))).toEqual(new Set(['2503.90001', '2503.90002']));
      expect(new Set(ids(await find('quokka date:2025-03-06..2025-04-30')))).toEqual(new Set(['2503.90002', '2504.90007']));
      expect(new Set(ids(await find('quokka date:2025-03')))).toEqual(new Set(['2503.90001', '2503.90002']));
      expect(new Set(ids(await find('quokka from:2025-04')))).toEqual(new Set(['2504.90007']));
    });

    it('says so when a date is not one, and searches without it', async () => {
      const r = await find('quokka date:2025-13-01');
      expect(r.total).toBe(4);
      expect(r.notice).toMatch(/not a date: use YYYY, YYYY-MM or YYYY-MM-DD/);
      const empty = await find('quokka from:2025-05-01 to:2025-04-01');
      expect(empty.total).toBe(0);
      expect(empty.notice).toMatch(/date range 2025-05-01 to 2025-04-01 is empty/);
    });

    it('sorts by date, newest first', async () => {
      const r = await find('quokka', { sort: 'date' });
      expect(ids(r)).toEqual(['2504.90007', '2503.90002', '2503.90001', '2412.90008']);
      expect(r.hits.every((h) => h.score > 0)).toBe(true);
      const filtersOnly = await find('cat:q-bio', { sort: 'relevance' });
      expect(ids(filtersOnly).slice(0, 3)).toEqual(['2503.90002', '2503.90001', '2412.90008']);
    });

    it('pages through results with a stable total', async () => {
      const all = await find('quokka');
      const p1 = await find('quokka', { limit: 2, offset: 0 });
      const p2 = await find('quokka', { limit: 2, offset: 2 });
      const p3 = await find('quokka', { limit: 2, offset: 4 });
      expect([p1.total, p2.total, p3.total]).toEqual([4, 4, 4]);
      expect([...ids(p1), ...ids(p2)]).toEqual(ids(all));
      expect(p3.hits).toEqual([]);
      const d2 = await find('quokka', { sort: 'date', limit: 2, offset: 2 });
      expect(ids(d2)).toEqual(['2503.90001', '2412.90008']);
    });

    it('counts every match, not just the page', async () => {
      const r = await find('the', { limit: 3 });
      expect(r.hits).toHaveLength(3);
      expect(r.total).toBeGreaterThan(100);
    });

    it('highlights matches and escapes everything else', async () => {
      const [hit] = (await find('wombat')).hits;
      expect(hit!.titleHtml).toContain('&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62;');
      expect(hit!.titleHtml).toContain('<mark>Wombat</mark>');
      expect(hit!.titleHtml).not.toMatch(/<script|<img/);
      expect(hit!.snippetHtml).toContain('&#60;img src=x onerror=alert(1)&#62;');
      expect(hit!.snippetHtml).toContain('<mark>Wombat</mark>');
      const [q] = (await find('"quokka census"')).hits;
      expect(q!.snippetHtml).toContain('<mark>quokka census</mark>');
    });

    it('shows the best passage of a long abstract, cut with …', async () => {
      const r = await find('"discrete dipole approximation" extrapolation');
      const hit = r.hits.find((h) => h.paper.id === '0704.0035')!;
      expect(hit.snippetHtml).toMatch(/<mark>extrapolation<\/mark>/);
      expect(hit.snippetHtml.split(/\s+/).length).toBeLessThan(45);
      expect(hit.snippetHtml.startsWith('… ') || hit.snippetHtml.endsWith(' …')).toBe(true);
    });

    it('finds similar papers by keywords, never the paper itself', async () => {
      // the live search a paper page falls back to until related papers are computed
      const index = opened.index;
      const similar = await index.similar('0704.0033', 5);
      expect(similar.map((p) => p.id)).not.toContain('0704.0033');
      expect(similar.map((p) => p.id)).toEqual(expect.arrayContaining(['0704.0035']));
      expect(await index.similar('9999.99999', 5)).toEqual([]);
    });

    it('without embeddings: refuses semantic mode with a stable code, and answers hybrid by keywords', async () => {
      await expect(search.search({ q: 'quokka', mode: 'semantic' })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
      const r = await search.search({ q: 'quokka', mode: 'hybrid' });
      expect([r.mode, r.total]).toEqual(['keyword', 4]);
      expect(r.fallback).toMatch(/^Searched by keywords only/);
    });
  });
}
