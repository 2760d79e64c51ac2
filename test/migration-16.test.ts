/**
 * Migration 16 (decision 031): a database at schema version 15, whose votes, comments and reports
 * name accounts by integers, is migrated on SQLite and on the PostgreSQL server; every row comes
 * through with its account as text, the ports read and change them by those ids, and nothing else
 * (counts, threads, open reports, the foreign keys) is lost on the way. A database a development
 * build migrated past a gap (19 applied before 16–18 existed) gets the gap applied too.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/adapters/db/migrations.js';
import { openPostgres } from '../src/adapters/db/postgres.store.js';
import { openSqlite } from '../src/adapters/db/sqlite.store.js';
import type { OpenedDatabase } from '../src/ports/paper-store.js';
import { postgresAt, sqliteAt } from './support/schema-at.js';

const AT = '2026-07-01T10:00:00.000Z';
/** Rows as version 15 kept them: accounts 5 and 6 voted, 5 wrote a comment that 6 answered and 7 reported, moderator 9 hid another. */
const ROWS = `
  INSERT INTO papers (id, day, provenance, created_at, modified_at) VALUES ('2606.00001', '2026-07-01', '{}', '${AT}', '${AT}');
  INSERT INTO votes (paper_id, account_id, network, account_created_at, voted_at, weight) VALUES
    ('2606.00001', 5, '10.0.0.0/24', '${AT}', '${AT}', 1000), ('2606.00001', 6, '10.0.1.0/24', '${AT}', '${AT}', 250);
  INSERT INTO paper_votes (paper_id, votes, weight) VALUES ('2606.00001', 2, 1250);
  INSERT INTO comments (paper_id, parent_id, author_id, body, created_at) VALUES ('2606.00001', NULL, 5, 'top', '${AT}');
  INSERT INTO comments (paper_id, parent_id, author_id, body, created_at) VALUES ('2606.00001', 1, 6, 'reply', '${AT}');
  INSERT INTO comments (paper_id, parent_id, author_id, body, created_at, hidden_at, hidden_by) VALUES ('2606.00001', NULL, 6, 'rude', '${AT}', '${AT}', 9);
  INSERT INTO comment_reports (comment_id, account_id, reason, created_at) VALUES (1, 7, 'spam', '${AT}');
  INSERT INTO paper_discussions (paper_id, version, comments) VALUES ('2606.00001', 3, 3);
`;

async function checkMigrated(db: OpenedDatabase): Promise<void> {
  await db.store.migrate();
  expect(await db.votes.votedOn('5', ['2606.00001'])).toEqual(new Set(['2606.00001']));
  expect((await db.votes.talliesOf(['2606.00001'])).get('2606.00001')).toEqual({ paperId: '2606.00001', votes: 2, weight: 1250 });
  expect(await db.votes.withdrawVote('2606.00001', '6')).toMatchObject({ voted: false, changed: true, votes: 1 });
  const thread = await db.comments.discussion('2606.00001', 10);
  expect(thread.map((c) => [c.id, c.parentId, c.authorId, c.hiddenBy, c.body])).toEqual([
    [1, null, '5', null, 'top'],
    [2, 1, '6', null, 'reply'],
    [3, null, '6', '9', 'rude'],
  ]);
  expect((await db.comments.reportQueue(10)).map((r) => [r.comment.id, r.reports, r.reasons])).toEqual([[1, 1, ['spam']]]);
  // the ids are text now, new ones of any shape beside the old
  expect(await db.comments.reportComment(1, 'Zq3-_x9AbCdEfGhI', 'also spam', AT)).toBe('reported');
  expect((await db.comments.reportQueue(10))[0]!.reports).toBe(2);
  expect(await db.comments.editComment(1, '5', 'top, edited', AT)).toMatchObject({ body: 'top, edited', authorId: '5' });
  expect(await db.comments.addComment({ paperId: '2606.00001', parentId: 2, authorId: 'Zq3-_x9AbCdEfGhI', body: 'deep', now: AT })).toMatchObject({ parentId: 1, authorId: 'Zq3-_x9AbCdEfGhI' });
  expect(await db.comments.anonymiseAuthor('6')).toBe(2);
  expect((await db.comments.comment(2))!.authorId).toBeNull();
  await db.store.close();
}

describe('migration 16: account ids become text', () => {
  it('on SQLite, rebuilding the tables with every row', async () => {
    const path = sqliteAt((m) => m.version <= 15, ROWS);
    await checkMigrated(openSqlite(path));
    const after = new Database(path);
    try {
      const types = after.prepare("SELECT name, type FROM pragma_table_info('votes') WHERE name = 'account_id'").all();
      expect(types).toEqual([{ name: 'account_id', type: 'TEXT' }]);
      expect(after.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      expect(after.prepare("SELECT typeof(author_id) AS t FROM comments WHERE id = 1").get()).toEqual({ t: 'text' });
    } finally {
      after.close();
    }
  });

  it('on SQLite, when a development build left a gap (19 applied before 16–18 existed): the gap is applied too', async () => {
    const path = sqliteAt((m) => m.version <= 15 || m.version === 19, ROWS);
    await checkMigrated(openSqlite(path));
    const after = new Database(path, { readonly: true });
    try {
      expect(after.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
      expect(after.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('submissions', 'saved_papers', 'passkeys')").pluck().get()).toBe(3);
    } finally {
      after.close();
    }
  });

  describe('on the PostgreSQL server', () => {
    it('changing the columns in place', async () => {
      const db = await postgresAt((m) => m.version <= 15, ROWS);
      try {
        await checkMigrated(openPostgres(db.url));
      } finally {
        await db.drop();
      }
    });

    it('applying a gap a development build left (19 before 16–18)', async () => {
      const db = await postgresAt((m) => m.version <= 15 || m.version === 19, ROWS);
      try {
        await checkMigrated(openPostgres(db.url));
        const versions = (await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
        expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        await db.drop();
      }
    });
  });
});
