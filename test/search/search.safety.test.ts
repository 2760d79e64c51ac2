/**
 * What may not break search, on every store: hostile or odd input (SQL and FTS syntax, 10 kB,
 * NUL bytes, emoji, right-to-left text) and a changing store (updates and deletions show in the
 * results, deleted papers never do).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaperStore } from '../../src/ports/paper-store.js';
import type { SearchService } from '../../src/services/search.service.js';
import { samplePaper, write } from '../support/papers.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { CRAFTED, ids, ingestRecords, QUOKKA_IDS, searchOn } from './fixtures.js';

const NASTY = [
  '',
  '   ',
  '"',
  '""',
  '"unbalanced quote',
  '((( quokka',
  'quokka )))',
  'NEAR(quokka island)',
  'NEAR(',
  'OR AND',
  'AND OR NOT',
  'quokka OR',
  `'; DROP TABLE papers; --`,
  `quokka'); DELETE FROM papers WHERE ('1'='1`,
  '*',
  '**',
  ':',
  'title:',
  'author:',
  'cat:',
  'cat:"cs.CV',
  'year:abcd',
  'date:..',
  'date:2025-02-30',
  'quokka^2 island~3',
  '{title}: quokka',
  '-',
  '--quokka',
  '- quokka',
  '-quokka',
  'quo\u0000kka\u0000',
  '\u0000\u0000',
  '🦘 quokka 🌏',
  '🦘🦘🦘',
  'בדיקה quokka مرحبا',
  '\u202equokka\u202c',
  'quokka' + ' island'.repeat(1500),
  'x'.repeat(10_000),
  '"' + 'a '.repeat(5000) + '"',
  'a* b* c*',
  '$\\alpha$ <script>alert(1)</script>',
  '%_%',
  '\\',
];

for (const harness of STORE_HARNESSES) {
  describe(`keyword search safety: ${harness.name}`, () => {
    let opened: OpenedStore;
    let store: PaperStore;
    let search: SearchService;

    beforeEach(async () => {
      opened = await harness.open();
      store = opened.store;
      await ingestRecords(store, CRAFTED);
      search = searchOn(opened);
    });
    afterEach(async () => {
      await store.close();
      await opened.drop();
    });

    it('answers any input with results or a helpful notice, never an error', async () => {
      for (const q of NASTY) {
        const r = await search.search({ q }).catch((e: Error) => {
          throw new Error(`query ${JSON.stringify(q.slice(0, 40))} failed: ${e.message}`);
        });
        expect(Array.isArray(r.hits), q.slice(0, 40)).toBe(true);
        expect(r.total).toBeGreaterThanOrEqual(r.hits.length);
        if (r.hits.length === 0) expect(r.notice, `notice for ${JSON.stringify(q.slice(0, 40))}`).toBeTruthy();
      }
      // and the data is still all there
      expect((await search.search({ q: 'quokka' })).total).toBe(4);
    });

    it('reads operators and odd characters as words where it can', async () => {
      expect(new Set(ids(await search.search({ q: 'NEAR(quokka' })))).toEqual(new Set(QUOKKA_IDS));
      expect(new Set(ids(await search.search({ q: '🦘 quokka 🌏' })))).toEqual(new Set(QUOKKA_IDS));
      expect(new Set(ids(await search.search({ q: 'בדיקה quokka' })))).toEqual(new Set(QUOKKA_IDS));
      const long = await search.search({ q: 'quokka' + ' zebra'.repeat(1500) });
      expect(new Set(ids(long))).toEqual(new Set(QUOKKA_IDS));
      const huge = await search.search({ q: Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ') });
      expect(huge.notice).toMatch(/at most 32 words/);
      expect((await search.search({ q: 'OR AND' })).notice).toMatch(/combined automatically/);
      expect((await search.search({ q: '*' })).notice).toMatch(/needs at least 3 letters/);
    });

    it('picks up updated text, and forgets the old', async () => {
      await ingestRecords(store, [
        { ...CRAFTED[3]!, version: 2, title: 'Platypus genomics', versions: [...CRAFTED[3]!.versions!, { version: 2, submittedAt: '2025-01-10T00:00:00.000Z', size: null }] },
      ]);
      expect(ids(await search.search({ q: 'platypus' }))).toEqual(['2412.90008']);
      expect(ids(await search.search({ q: 'quokka' }))).not.toContain('2412.90008');
      expect((await search.search({ q: 'quokka' })).total).toBe(3);
    });

    it('never returns a deleted paper, by words or by filters', async () => {
      await ingestRecords(store, [{ id: '2504.90007', version: null, source: 'oai-pmh', deleted: true }]);
      expect(ids(await search.search({ q: 'quokka' }))).not.toContain('2504.90007');
      expect(ids(await search.search({ q: 'author:quillfeather' }))).toEqual(['2503.90001']);
      expect(ids(await search.search({ q: 'cat:cs.CV' }))).not.toContain('2504.90007');
      expect((await search.search({ q: 'quokka', sort: 'date' })).total).toBe(3);
    });

    it('indexes papers written by any path, and changes made twice before a search', async () => {
      const a = samplePaper('2505.90010', { title: 'Numbat foraging', abstract: 'Termites.' });
      await store.transaction((tx) => tx.savePapers([write(a)], []));
      await store.transaction((tx) => tx.savePapers([write({ ...a, title: 'Numbat sunbathing' })], []));
      expect(ids(await search.search({ q: 'sunbathing' }))).toEqual(['2505.90010']);
      expect((await search.search({ q: 'foraging' })).total).toBe(0);
      await store.transaction((tx) => tx.savePapers([write({ ...a, title: 'Numbat sunbathing', deleted: true })], []));
      expect((await search.search({ q: 'numbat' })).total).toBe(0);
      await store.transaction((tx) => tx.savePapers([write({ ...a, title: 'Numbat returns', deleted: false })], []));
      expect(ids(await search.search({ q: 'numbat' }))).toEqual(['2505.90010']);
      expect((await search.search({ q: 'sunbathing' })).total).toBe(0);
    });

    it('catches up in bulk: a refresh indexes everything written since', async () => {
      const many = Array.from({ length: 30 }, (_, i) => samplePaper(`2506.${String(90100 + i)}`, { title: `Echidna study ${i}` }));
      const index = opened.index;
      await index.refresh(); // the fixtures
      await store.transaction((tx) => tx.savePapers(many.map(write), []));
      expect(await index.refresh(10)).toEqual({ indexed: 10, pending: 20 });
      expect(await index.refresh()).toEqual({ indexed: 20, pending: 0 });
      expect((await search.search({ q: 'echidna' })).total).toBe(30);
    });
  });
}
