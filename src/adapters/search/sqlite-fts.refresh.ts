/**
 * Bringing the SQLite FTS5 index up to date (migration 2): papers past the indexed_through rowid
 * are new and go in; papers noted in search_pending (updated or deleted since) have the text the
 * index held taken out (external content is deleted by value) and their current text put in. A
 * few bulk statements each time.
 *
 * It runs in a transaction of its own, never inside a writer's: FTS5 flushes its in-memory
 * segment at each statement savepoint, so indexing row by row inside a long ingest costs ~100 µs
 * a paper, against ~30 µs in bulk here. It gives up at once, leaving the work for later, when this
 * connection is inside a transaction or another process holds the write lock: a search must not
 * wait for an ingest to finish.
 */
import type Database from 'better-sqlite3';
import type { RefreshResult } from '../../ports/search-index.js';
import { indexedAuthorsSql } from './authors-text.js';

/** The authors as indexed: names apart (authors-text.ts). */
const AUTHORS = indexedAuthorsSql('authors');

const NEW = 'rowid > @from AND rowid <= @to AND deleted = 0 AND rowid NOT IN (SELECT paper_rowid FROM search_pending)';
const BATCH = 'SELECT paper_rowid FROM search_pending ORDER BY paper_rowid LIMIT @limit';

/** New papers (not pending: those are the next steps' job), then the mark moves past them. */
const NEW_STEPS = [
  `INSERT INTO papers_fts (rowid, title, abstract, authors) SELECT rowid, title, abstract, ${AUTHORS} FROM papers WHERE ${NEW}`,
  `INSERT INTO papers_fts_categories (rowid, categories) SELECT rowid, categories FROM papers WHERE ${NEW}`,
  'UPDATE search_state SET indexed_through = @to',
];

const PENDING_STEPS = [
  `INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors)
     SELECT 'delete', paper_rowid, old_title, old_abstract, ${indexedAuthorsSql('old_authors')} FROM search_pending
     WHERE indexed = 1 AND paper_rowid IN (${BATCH})`,
  `INSERT INTO papers_fts_categories (papers_fts_categories, rowid, categories)
     SELECT 'delete', paper_rowid, old_categories FROM search_pending WHERE indexed = 1 AND paper_rowid IN (${BATCH})`,
  `INSERT INTO papers_fts (rowid, title, abstract, authors)
     SELECT rowid, title, abstract, ${AUTHORS} FROM papers WHERE deleted = 0 AND rowid IN (${BATCH})`,
  `INSERT INTO papers_fts_categories (rowid, categories)
     SELECT rowid, categories FROM papers WHERE deleted = 0 AND rowid IN (${BATCH})`,
  `DELETE FROM search_pending WHERE paper_rowid IN (${BATCH})`,
];

const NOTE_CHANGES = `INSERT INTO search_changes (paper_rowid, seq)
  SELECT paper_rowid, (SELECT coalesce(max(seq), 0) + 1 FROM search_changes) FROM search_pending WHERE paper_rowid IN (${BATCH})
  ON CONFLICT (paper_rowid) DO UPDATE SET seq = excluded.seq`;

const PENDING = `SELECT (SELECT count(*) FROM papers WHERE rowid > (SELECT indexed_through FROM search_state))
                       + (SELECT count(*) FROM search_pending) AS n`;
/** The statement above, prepared once per connection: it runs before every search. */
const pendingStatements = new WeakMap<Database.Database, Database.Statement>();

/** Papers waiting: new ones past the mark, and noted changes. */
export function pendingPapers(db: Database.Database): number {
  let s = pendingStatements.get(db);
  if (!s) pendingStatements.set(db, (s = db.prepare(PENDING)));
  return (s.get() as { n: number }).n;
}

/** Indexes up to maxPapers waiting papers (all by default). Synchronous: nothing can interleave. */
export function refreshFts(db: Database.Database, maxPapers = Infinity): RefreshResult {
  const before = pendingPapers(db);
  if (before === 0 || maxPapers <= 0 || db.inTransaction || !beginImmediate(db)) return { indexed: 0, pending: before };
  try {
    const limit = Number.isFinite(maxPapers) ? Math.floor(maxPapers) : -1;
    const from = (db.prepare('SELECT indexed_through AS n FROM search_state').get() as { n: number }).n;
    const to = (db.prepare('SELECT max(rowid) AS n FROM (SELECT rowid FROM papers WHERE rowid > ? ORDER BY rowid LIMIT ?)').get(from, limit) as {
      n: number | null;
    }).n;
    if (to !== null) for (const sql of NEW_STEPS) db.prepare(sql).run(sql.startsWith('UPDATE') ? { to } : { from, to });
    const done = to === null ? 0 : pendingPapersBetween(db, from, to);
    const rest = limit < 0 ? -1 : Math.max(0, limit - done);
    if (rest !== 0) {
      // re-indexed with new text: a top list built before cannot vouch for them (sqlite-fts.top-lists.ts)
      db.prepare(NOTE_CHANGES).run({ limit: rest });
      for (const sql of PENDING_STEPS) db.prepare(sql).run({ limit: rest });
    }
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
  const after = pendingPapers(db);
  return { indexed: before - after, pending: after };
}

/** Papers with rowids in (from, to] — what the new-papers step just took on. */
function pendingPapersBetween(db: Database.Database, from: number, to: number): number {
  return (db.prepare('SELECT count(*) AS n FROM papers WHERE rowid > ? AND rowid <= ?').get(from, to) as { n: number }).n;
}

/** BEGIN IMMEDIATE without waiting: false when another connection holds the write lock. */
export function beginImmediate(db: Database.Database): boolean {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.exec('BEGIN IMMEDIATE');
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return false;
    throw e;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}
