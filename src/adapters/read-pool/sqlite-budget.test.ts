import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../../core/errors.js';
import { guardStatements, withBudgetCheck } from './sqlite-budget.js';

describe('withBudgetCheck', () => {
  it('adds the check after every MATCH on a parameter, positional or named, and leaves other SQL alone', () => {
    expect(withBudgetCheck('SELECT rowid FROM t WHERE t MATCH ? AND rowid > 3')).toBe('SELECT rowid FROM t WHERE t MATCH ? AND paperboy_within_budget() AND rowid > 3');
    expect(withBudgetCheck('x IN (SELECT rowid FROM t WHERE t match @q) AND y NOT IN (SELECT rowid FROM u WHERE u MATCH ?2)')).toBe(
      'x IN (SELECT rowid FROM t WHERE t match @q AND paperboy_within_budget()) AND y NOT IN (SELECT rowid FROM u WHERE u MATCH ?2 AND paperboy_within_budget())',
    );
    expect(withBudgetCheck("SELECT * FROM papers WHERE title = 'MATCH ?x'")).toBe("SELECT * FROM papers WHERE title = 'MATCH ?x'");
    expect(withBudgetCheck('SELECT count(*) FROM papers')).toBe('SELECT count(*) FROM papers');
  });
});

describe('guardStatements', () => {
  /** An FTS5 table of 20,000 rows, every one matching "w*". */
  function fts(): Database.Database {
    const db = new Database(':memory:');
    db.exec('CREATE VIRTUAL TABLE t USING fts5(body)');
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(`w${i % 997} w${i % 13} common`);
    })();
    return db;
  }

  it('gives the same answers as the statements as written while within the budget', () => {
    const plain = fts();
    const guarded = fts();
    guardStatements(guarded, () => Infinity, () => 'over');
    for (const sql of ['SELECT count(*) AS n FROM t WHERE t MATCH ?', 'SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 5'])
      for (const q of ['w1*', 'common', 'w5 OR w7'])
        expect(guarded.prepare(sql).all(q)).toEqual(plain.prepare(sql).all(q));
  });

  it('stops a full-text statement past the deadline with QUERY_TIMEOUT, and the connection goes on', () => {
    const db = fts();
    let deadline = Date.now() - 1;
    guardStatements(db, () => deadline, () => 'this request needed more than 1 s');
    const count = db.prepare('SELECT count(*) AS n FROM t WHERE t MATCH ?');
    let thrown: unknown = null;
    try {
      count.get('w*');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(PaperboyError);
    expect((thrown as PaperboyError).code).toBe('QUERY_TIMEOUT');
    deadline = Infinity;
    expect(count.get('common')).toEqual({ n: 20_000 });
  });
});
