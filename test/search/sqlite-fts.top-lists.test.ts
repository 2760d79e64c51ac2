/**
 * Top lists (sqlite-fts.top-lists.ts, docs/decisions/026): a search of common words answered from
 * a few candidates must return exactly what scoring every match returns — the same papers, order
 * and scores — also once papers were added, changed or made the average length drift since the
 * lists were built. Small lists (16 papers, words in 20+ papers) so that the fixture corpus has
 * many and their cuts are tested hard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/db/sqlite.store.js';
import { SqliteFtsIndex } from '../../src/adapters/search/sqlite-fts.index.js';
import { topListPlan } from '../../src/adapters/search/sqlite-fts.top-lists.js';
import { stem } from '../../src/core/tokenize.js';
import { SearchService } from '../../src/services/search.service.js';
import { kaggleRecord } from '../support/papers.js';
import { tempDbPath } from '../support/sqlite-harness.js';
import { ingestRecords, loadFixtures } from './fixtures.js';

const LISTS = { dfMin: 20, size: 16 };

describe('SQLite keyword search from top lists', () => {
  let store: SqliteStore;
  let lists: SqliteFtsIndex;
  let withLists: SearchService;
  let everything: SearchService;
  let queries: string[] = [];

  beforeAll(async () => {
    store = new SqliteStore(tempDbPath());
    await store.migrate();
    await loadFixtures(store);
    lists = new SqliteFtsIndex(store, store.connection, { topLists: LISTS });
    withLists = new SearchService(lists, store);
    everything = new SearchService(new SqliteFtsIndex(store, store.connection, { topLists: false }), store);
    await lists.refresh();
    // the commonest words of the corpus, alone and in pairs and threes, as readers type them
    const words = store.connection
      .prepare(`SELECT term FROM papers_fts_vocab WHERE doc >= 20 AND doc * 2 < (SELECT count(*) FROM papers) AND term GLOB '[a-z][a-z][a-z]*' ORDER BY doc DESC LIMIT 30`)
      .pluck()
      .all() as string[];
    queries = [...words, ...words.slice(0, 20).map((w, i) => `${w} ${words[(i + 7) % words.length]}`), ...words.slice(0, 10).map((w, i) => `${w} ${words[i + 1]} quokka`)];
  });
  afterAll(async () => {
    await store.close();
  });

  async function expectSame(qs: string[]): Promise<void> {
    for (const q of qs)
      for (const [limit, offset] of [
        [3, 0],
        [3, 3],
        [8, 0],
      ] as const) {
        const [a, b] = [await withLists.search({ q, mode: 'keyword', limit, offset }), await everything.search({ q, mode: 'keyword', limit, offset })];
        expect({ q, offset, total: a.total, ids: a.hits.map((h) => h.paper.id) }).toEqual({ q, offset, total: b.total, ids: b.hits.map((h) => h.paper.id) });
        a.hits.forEach((h, i) => expect(h.score).toBeCloseTo(b.hits[i]!.score, 9));
      }
  }

  it('builds lists for the common words and answers from them exactly as scoring every match', async () => {
    const built = store.connection.prepare('SELECT count(*) FROM search_top_lists').pluck().get() as number;
    expect(built).toBeGreaterThan(20);
    expect(queries.length).toBeGreaterThan(50);
    const before = lists.servedFromTopLists;
    await expectSame(queries);
    // most single common words are proved from their candidates alone
    expect(lists.servedFromTopLists - before).toBeGreaterThan(30);
  });

  it('stays exact for papers added, and papers whose text changed, after the lists were built', async () => {
    const [word, other] = queries as [string, string];
    const lead = (await everything.search({ q: word, mode: 'keyword', limit: 1 })).hits[0]!.paper.id;
    const quiet = (await everything.search({ q: `${other} -${word}`, mode: 'keyword', limit: 1 })).hits[0]!.paper.id;
    // a new paper that is all about the word, and an old one rewritten to be: both must lead now
    await ingestRecords(store, [
      kaggleRecord('2601.99001', { title: `${word} ${word}`, abstract: `${word} ${word} ${word}.` }),
      kaggleRecord(quiet, {
        title: `${word} ${word} ${word}`,
        abstract: `${word}.`,
        updatedAt: '2026-01-02T00:00:00.000Z',
        versions: [
          { version: 1, submittedAt: '2020-01-01T00:00:00.000Z', size: null },
          { version: 2, submittedAt: '2026-01-02T00:00:00.000Z', size: null },
        ],
      }),
    ]);
    const top = await withLists.search({ q: word, mode: 'keyword', limit: 3 });
    expect(top.hits.map((h) => h.paper.id).slice(0, 2).sort()).toEqual(['2601.99001', quiet].sort());
    expect(lead).not.toBe(quiet);
    expect(top.hits.map((h) => h.paper.id).slice(0, 2)).not.toContain(lead);
    await expectSame(queries);
  });

  it('stays exact when new papers move the average length, before and after the lists are rebuilt', async () => {
    const long = Array.from({ length: 200 }, (_, i) =>
      kaggleRecord(`2602.${String(90000 + i).padStart(5, '0')}`, { title: `Survey ${i}`, abstract: 'numbat '.repeat(400) }),
    );
    await ingestRecords(store, long);
    await expectSame(queries.slice(0, 40));
    // the bound itself: no paper off the candidates scores above it, though every score moved
    await lists.refresh(1000);
    const db = store.connection;
    let checked = 0;
    for (const word of queries.slice(0, 30)) {
      const unit = { kind: 'term' as const, tokens: [word] };
      const df = (db.prepare('SELECT doc FROM papers_fts_vocab WHERE term = ?').pluck().get(stem(word)) as number | undefined) ?? 0;
      const plan = topListPlan(db, [unit], () => df, LISTS);
      if (!plan || plan.bounds[0] === 0) continue;
      const candidates = new Set(plan.rowids);
      const scores = db
        .prepare('SELECT rowid, -bm25(papers_fts, 3, 1, 1) AS score FROM papers_fts WHERE papers_fts MATCH ?')
        .all(`"${word}"`) as { rowid: number; score: number }[];
      const outside = scores.filter((r) => !candidates.has(r.rowid) && r.rowid <= plan.after);
      expect(outside.length).toBeGreaterThan(0);
      expect(Math.max(...outside.map((r) => r.score))).toBeLessThanOrEqual(plan.bounds[0]! * (1 + 1e-9));
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    const rebuiltBefore = store.connection.prepare('SELECT max(papers) FROM search_top_lists').pluck().get() as number;
    await lists.refresh();
    expect(store.connection.prepare('SELECT max(papers) FROM search_top_lists').pluck().get()).toBeGreaterThan(rebuiltBefore);
    // the changes noted before every list was rebuilt are forgotten
    expect(store.connection.prepare('SELECT count(*) FROM search_changes').pluck().get()).toBe(0);
    await expectSame(queries.slice(0, 40));
  });
});
