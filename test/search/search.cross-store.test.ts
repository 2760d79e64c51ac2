/**
 * The same ranking on every store: the same papers load into SQLite (FTS5's bm25()) and
 * PostgreSQL (the TypeScript BM25 over its postings), and every query must return the same
 * papers, in the same order, with the same total and the same scores (to 1e-9).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResults, SearchService } from '../../src/services/search.service.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { loadFixtures, searchOn } from './fixtures.js';

const QUERIES: { q: string; sort?: 'relevance' | 'date' }[] = [
  { q: 'quokka' },
  { q: 'dipole approximation' },
  { q: '"dipole approximation"' },
  { q: 'quantum field theory' },
  { q: 'transform*' },
  { q: 'diffusion model video generation' },
  { q: 'large language models reasoning' },
  { q: '"language models"' },
  { q: 'author:goswami' },
  { q: 'numbat author:"Yue Ma"' },
  { q: 'author:"Ma Yue"' },
  { q: 'cat:hep-th string theory' },
  { q: 'year:2007 quantum' },
  { q: 'lattice -boltzmann' },
  { q: 'graphene resonance magnetophonon' },
  { q: 'the of and' },
  { q: 'spin* cat:cond-mat' },
  { q: 'benchmark agents', sort: 'date' },
  { q: 'cat:cs.CV', sort: 'date' },
];

describe('keyword search: the same results on every store', () => {
  const stores: { opened: OpenedStore; search: SearchService }[] = [];

  beforeAll(async () => {
    for (const h of STORE_HARNESSES) {
      const opened = await h.open();
      await loadFixtures(opened.store);
      stores.push({ opened, search: searchOn(opened) });
    }
  });
  afterAll(async () => {
    for (const { opened } of stores) {
      await opened.store.close();
      await opened.drop();
    }
  });

  const brief = (r: SearchResults) => ({ total: r.total, ids: r.hits.map((h) => h.paper.id) });

  it.each(QUERIES)('$q ($sort)', async ({ q, sort }) => {
    const [first, ...others] = await Promise.all(stores.map((s) => s.search.search({ q, sort, limit: 20 })));
    expect(first!.total).toBeGreaterThan(0);
    for (const other of others) {
      expect(brief(other)).toEqual(brief(first!));
      other.hits.forEach((h, i) => expect(h.score).toBeCloseTo(first!.hits[i]!.score, 9));
    }
  });

  it('suggests the same similar papers', async () => {
    const [first, ...others] = await Promise.all(stores.map((s) => s.opened.index.similar('0704.0033', 5)));
    expect(first!.length).toBeGreaterThan(0);
    for (const other of others) expect(other.map((p) => p.id)).toEqual(first!.map((p) => p.id));
  });
});

describe('keyword search: the same top papers when SQLite scores only the papers that can reach them', () => {
  // SQLite skips papers whose units cannot reach the page (core viablePatterns); PostgreSQL scores
  // every match. Two-word queries from the titles, short pages (the bar is set soonest), offsets.
  const stores: { opened: OpenedStore; search: SearchService }[] = [];
  let queries: string[] = [];
  let queries3: string[] = [];

  beforeAll(async () => {
    for (const h of STORE_HARNESSES) {
      const opened = await h.open();
      await loadFixtures(opened.store);
      stores.push({ opened, search: searchOn(opened) });
    }
    const listed = await stores[0]!.search.search({ q: 'model* learn* quantum* network*', limit: 100 });
    queries = listed.hits
      .map((h) => (h.paper.title ?? '').toLowerCase().match(/[a-z]{4,}/g) ?? [])
      .filter((w) => w.length >= 2)
      .map((w) => `${w[0]} ${w[1]}`);
    // and three words (grouped by the exact set of units each paper holds, up to 7 groups)
    queries3 = listed.hits
      .map((h) => (h.paper.title ?? '').toLowerCase().match(/[a-z]{4,}/g) ?? [])
      .filter((w) => w.length >= 3)
      .slice(0, 40)
      .map((w) => `${w[0]} ${w[1]} ${w[2]}`);
  });
  afterAll(async () => {
    for (const { opened } of stores) {
      await opened.store.close();
      await opened.drop();
    }
  });

  it('agrees on 100 two-word queries, top 3 and the next 3', async () => {
    expect(queries.length).toBeGreaterThanOrEqual(50);
    for (const q of queries)
      for (const offset of [0, 3]) {
        const [first, ...others] = await Promise.all(stores.map((s) => s.search.search({ q, limit: 3, offset })));
        for (const other of others) {
          expect({ q, ids: other.hits.map((h) => h.paper.id) }).toEqual({ q, ids: first!.hits.map((h) => h.paper.id) });
          other.hits.forEach((h, i) => expect(h.score).toBeCloseTo(first!.hits[i]!.score, 9));
        }
      }
  });

  it('agrees on 40 three-word queries, top 3 and the next 3', async () => {
    expect(queries3.length).toBeGreaterThanOrEqual(20);
    for (const q of queries3)
      for (const offset of [0, 3]) {
        const [first, ...others] = await Promise.all(stores.map((s) => s.search.search({ q, limit: 3, offset })));
        for (const other of others) {
          expect({ q, total: other.total, ids: other.hits.map((h) => h.paper.id) }).toEqual({ q, total: first!.total, ids: first!.hits.map((h) => h.paper.id) });
          other.hits.forEach((h, i) => expect(h.score).toBeCloseTo(first!.hits[i]!.score, 9));
        }
      }
  });
});
