/**
 * The PostgreSQL index keeps the postings it read between searches (postgres-postings-cache.ts).
 * Whatever happens to the index meanwhile (papers added in new segments, papers edited or
 * deleted, segments merged, the index made anew under the running process), a search through
 * the warm index must answer exactly as an index that keeps nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaperRecord } from '../../src/core/paper.js';
import { parseQuery } from '../../src/core/query.js';
import { PostgresIndex } from '../../src/adapters/search/postgres.index.js';
import type { PostgresStore } from '../../src/adapters/db/postgres.store.js';
import type { IndexSearchRequest } from '../../src/ports/search-index.js';
import { postgresHarness } from '../support/postgres-harness.js';
import type { OpenedStore } from '../support/store-harness.js';
import { kaggleRecord } from '../support/papers.js';
import { ingestRecords, loadFixtures } from './fixtures.js';

const QUERIES = [
  'quokka',
  'island marsupial',
  '"small marsupial"',
  'quok*',
  'author:"Ada Lovelace"',
  'author:quillfeather quokka',
  'quokka -genome',
  'kv cache eviction',
  'numbat wallaby',
  'language model*',
  'quokka cat:q-bio',
  'quokka year:2025',
];

const at = '2025-05-01T10:00:00.000Z';
const paper = (id: string, title: string, abstract: string): PaperRecord =>
  kaggleRecord(id, { title, abstract, submittedAt: at, updatedAt: at, versions: [{ version: 1, submittedAt: at, size: null }], authors: ['Ada Lovelace'], categories: ['q-bio.PE'] });

describe('PostgreSQL keyword index: postings kept between searches answer as postings read afresh', () => {
  let opened: OpenedStore;
  let warm: PostgresIndex;
  /** keeps nothing: every search reads its postings in a snapshot */
  let cold: PostgresIndex;

  beforeAll(async () => {
    opened = await (await postgresHarness()).open();
    await loadFixtures(opened.store, { real: false });
    const store = opened.store as PostgresStore;
    warm = new PostgresIndex(store, store.client);
    cold = new PostgresIndex(store, store.client, { postingsCacheBytes: 0 });
  });
  afterAll(async () => {
    await opened.store.close();
    await opened.drop();
  });

  const segments = async () =>
    (await (opened.store as PostgresStore).client.query<{ seg: number }>('SELECT seg FROM search_segments ORDER BY seg')).map((r) => r.seg);

  /** Every query, by relevance and by date, through search() and rank(), on both indexes; returns the warm hits' ids. */
  async function same(): Promise<Set<string>> {
    const found = new Set<string>();
    for (const q of QUERIES)
      for (const sort of ['relevance', 'date'] as const) {
        const req: IndexSearchRequest = { query: parseQuery(q), sort, limit: 20, offset: 0 };
        const [w, c] = [await warm.search(req), await cold.search(req)];
        const brief = (r: typeof w) => ({ total: r.total, hits: r.hits.map((h) => [h.paper.id, Math.fround(h.score)]) });
        expect(brief(w), `${q} (${sort})`).toEqual(brief(c));
        expect(await warm.rank(req), `${q} (${sort}) ranked`).toEqual(await cold.rank(req));
        for (const h of w.hits) found.add(h.paper.id);
      }
    const ids = [...found, 'no-such-paper'];
    for (const q of ['-genome', 'author:"Ada Lovelace"', 'quokka -island'])
      expect(await warm.filterIds(ids, parseQuery(q)), q).toEqual(await cold.filterIds(ids, parseQuery(q)));
    return found;
  }

  it('answers alike when nothing changed, and a second time from what it kept', async () => {
    const first = await same();
    expect(first.has('2503.90001')).toBe(true);
    await same();
  });

  it('finds papers added since in a new segment, and no longer finds deleted or reworded ones', async () => {
    const before = await segments();
    await ingestRecords(opened.store, [paper('2505.90101', 'Quokka and numbat co-occurrence', 'A small marsupial survey of wallaby habitats.')]);
    // reworded: its old text no longer matches
    await ingestRecords(opened.store, [paper('2503.90002', 'Island ecology of wallabies', 'The wallaby is a marsupial of the island.')]);
    await opened.exec(`UPDATE papers SET deleted = true WHERE id = '2412.90008'`); // withdrawn: the trigger queues it
    const found = await same();
    expect(await segments()).not.toEqual(before);
    expect(found.has('2505.90101')).toBe(true);
    const island = await warm.search({ query: parseQuery('"small marsupial"'), sort: 'relevance', limit: 20, offset: 0 });
    expect(island.hits.map((h) => h.paper.id)).not.toContain('2503.90002');
  });

  it('answers alike after segments are merged into a new one', async () => {
    const before = await segments();
    // a merge moves its docs to the new segment, leaving a dead version of each row: vacuumed
    // with the queue once the index is drained, whether or not autovacuum runs
    const vacuums = async () =>
      (await (opened.store as PostgresStore).client.query<{ n: number }>("SELECT pg_stat_get_vacuum_count('search_docs'::regclass)::int AS n"))[0]!.n;
    const vacuumed = await vacuums();
    for (let i = 0; i < 9; i++) {
      await ingestRecords(opened.store, [paper(`2505.9020${i}`, `Quokka burrow ${i}`, `Numbat and quokka in burrow number ${i}.`)]);
      await warm.refresh();
      await same();
    }
    const after = await segments();
    // a merge replaced some segments by one numbered after all of them
    expect(before.filter((s) => !after.includes(s)).length + after.length).toBeLessThan(before.length + 9);
    expect(Math.max(...after)).toBeGreaterThan(Math.max(...before) + 1);
    expect(await vacuums()).toBeGreaterThan(vacuumed);
  });

  it('drops what it kept when the index is made anew under it', async () => {
    await same();
    await opened.exec(`
      DELETE FROM search_postings; DELETE FROM search_docs; DELETE FROM search_segments;
      UPDATE search_stats SET docs = 0, tokens = 0, next_doc = 1, next_seg = 1;
      INSERT INTO search_queue (paper_id) SELECT id FROM papers ON CONFLICT DO NOTHING;
      UPDATE papers SET title = replace(title, 'Quokka', 'Potoroo') WHERE id = '2504.90007';`);
    await warm.refresh();
    expect(Math.max(...(await segments()))).toBeLessThan(3);
    await same();
    const found = async (q: string) => (await warm.search({ query: parseQuery(q), sort: 'relevance', limit: 20, offset: 0 })).hits.map((h) => h.paper.id);
    expect(await found('quokka')).not.toContain('2504.90007');
    expect(await found('potoroo')).toEqual(['2504.90007']);
  });
});
