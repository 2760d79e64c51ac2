/**
 * The TypeScript tokenizer and Porter stemmer (core/tokenize.ts, what PostgreSQL indexes and
 * highlighting match with) against SQLite FTS5's "porter unicode61 remove_diacritics 2" itself,
 * token for token and position for position, on real arXiv text.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openFileInput } from '../../src/adapters/sources/input.js';
import { terms } from '../../src/core/tokenize.js';
import { CORPUS, SAMPLE } from '../support/input-files.js';
import { HF_DAYS } from './fixtures.js';

const FIELDS = ['title', 'abstract', 'authors'] as const;
type Row = Record<(typeof FIELDS)[number], string>;

async function realPapers(max: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const file of [SAMPLE, ...HF_DAYS, CORPUS]) {
    for await (const batch of (await openFileInput(file, 'auto')).batches) {
      const records = [...batch.records, ...(batch.pending ?? []).flatMap((p) => p.parse().record ?? [])];
      for (const r of records) rows.push({ title: r.title ?? '', abstract: r.abstract ?? '', authors: JSON.stringify(r.authors ?? []) });
      if (rows.length >= max) return rows.slice(0, max);
    }
  }
  return rows;
}

/** Each row's index terms as FTS5 records them: "column:offset:term". */
function fts5Terms(rows: Row[]): Map<number, string[]> {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE f USING fts5(title, abstract, authors, tokenize = 'porter unicode61 remove_diacritics 2')`);
  db.exec(`CREATE VIRTUAL TABLE v USING fts5vocab(f, 'instance')`);
  const insert = db.prepare('INSERT INTO f (rowid, title, abstract, authors) VALUES (?, ?, ?, ?)');
  rows.forEach((r, i) => insert.run(i + 1, r.title, r.abstract, r.authors));
  const out = new Map<number, string[]>();
  for (const t of db.prepare('SELECT doc, col, offset, term FROM v ORDER BY doc, col, offset').iterate() as Iterable<Record<string, string | number>>) {
    const list = out.get(Number(t.doc)) ?? [];
    list.push(`${t.col}:${t.offset}:${t.term}`);
    out.set(Number(t.doc), list);
  }
  db.close();
  return out;
}

describe('the TypeScript tokenizer agrees with FTS5', () => {
  it('on 3,000 real papers, every token at its position', async () => {
    const rows = await realPapers(3000);
    const theirs = fts5Terms(rows);
    let compared = 0;
    rows.forEach((r, i) => {
      const mine = FIELDS.flatMap((f) => terms(r[f]).map((t, k) => `${f}:${k}:${t}`));
      const fts = (theirs.get(i + 1) ?? []).sort((a, b) => FIELDS.indexOf(a.split(':')[0] as never) - FIELDS.indexOf(b.split(':')[0] as never));
      expect(mine.sort(), `paper ${i + 1}`).toEqual(fts.sort());
      compared += mine.length;
    });
    expect(compared).toBeGreaterThan(300_000);
  });

  it('on words that fold or stem in unusual ways', () => {
    const text = 'ÅNGSTRÖM Łódź İstanbul straße ΣΊΣΥΦΟΣ σίσυφος a\u0304bc हिन्दी ǅemal ﬁne x² generalization transformers caresses ponies';
    const rows = [{ title: text, abstract: '', authors: '' }];
    expect(FIELDS.flatMap((f) => terms(rows[0]![f]).map((t, k) => `${f}:${k}:${t}`)).sort()).toEqual(fts5Terms(rows).get(1)!.sort());
  });
});
