/**
 * The SQLite store's statements, prepared once after migrating. Batches are looked up with
 * json_each, so one statement serves any batch size.
 */
import type Database from 'better-sqlite3';
import { PAPER_COLUMNS } from '../paper-row.js';

export type Statements = ReturnType<typeof prepare>;

/**
 * The newest modification time among the first `similar` live papers of related list r: what a
 * page's similar papers were. The limit is written into the SQL, not bound: with a bound LIMIT,
 * SQLite took 114 µs for this subquery inside storedPage against 42 µs (measured on the corpus).
 */
function similarModified(similar: number): string {
  return `SELECT MAX(m) FROM (SELECT s.modified_at AS m FROM json_each(r.related) j
                              JOIN papers s ON s.id = j.value AND s.deleted = 0
                              ORDER BY j.key LIMIT ${similar})`;
}

/** Papers with a related list (`where` picks them), each with what its page would be rendered from now, and `stale`. */
function pageInputs(where: string, similar: number): string {
  return `SELECT id, modified, related, similar_modified, discussion,
                 (p_layout IS NOT @layout OR p_modified IS NOT modified OR p_related IS NOT related
                  OR p_similar IS NOT similar_modified OR p_discussion IS NOT discussion) AS stale FROM (
            SELECT p.id, p.modified_at AS modified, r.related, COALESCE(d.version, 0) AS discussion,
                   (${similarModified(similar)}) AS similar_modified,
                   pp.layout AS p_layout, pp.modified AS p_modified, pp.related AS p_related, pp.similar_modified AS p_similar,
                   pp.discussion AS p_discussion
            FROM papers p
            JOIN related_papers r ON r.paper_id = p.id
            LEFT JOIN paper_pages pp ON pp.paper_id = p.id
            LEFT JOIN paper_discussions d ON d.paper_id = p.id
            ${where}
          )
          ORDER BY id`;
}

export type PageStatements = ReturnType<typeof preparePages>;

/** The statements of pages rendered ahead that depend on how many similar papers a page shows (a whole number ≥ 0). */
export function preparePages(db: Database.Database, similar: number) {
  if (!Number.isSafeInteger(similar) || similar < 0) throw new Error(`similar papers shown: not a whole number ≥ 0: ${similar}`);
  return {
    // a window of the live papers with a related list (RenderedPages.pagesToRender), each with what
    // its page would be rendered from now and `stale`: its stored page is missing or was rendered
    // from something else
    pagesToRender: db.prepare(pageInputs('WHERE p.id > @after AND p.deleted = 0 ORDER BY p.id LIMIT @scan', similar)),
    // the same for the papers of a batch taken off the queue (RenderedPages.duePages)
    pagesDue: db.prepare(pageInputs('WHERE p.id IN (SELECT value FROM json_each(@ids)) AND p.deleted = 0', similar)),
    // current while its paper (live), related list, discussion and the similar papers it shows are
    // what it was rendered from
    storedPage: db.prepare(
      `SELECT pp.etag, pp.body FROM paper_pages pp
       JOIN papers p ON p.id = pp.paper_id AND p.modified_at = pp.modified AND p.deleted = 0
       JOIN related_papers r ON r.paper_id = pp.paper_id AND r.related = pp.related
       LEFT JOIN paper_discussions d ON d.paper_id = pp.paper_id
       WHERE pp.paper_id = @id AND pp.layout = @layout AND pp.discussion = COALESCE(d.version, 0)
         AND pp.similar_modified IS (${similarModified(similar)})`,
    ),
  };
}

export function prepare(db: Database.Database) {
  const cols = PAPER_COLUMNS.join(', ');
  const params = PAPER_COLUMNS.map((c) => `@${c}`).join(', ');
  const updates = PAPER_COLUMNS.filter((c) => c !== 'id')
    .map((c) => `${c} = @${c}`)
    .join(', ');
  return {
    papersByIds: db.prepare('SELECT * FROM papers WHERE id IN (SELECT value FROM json_each(?))'),
    paperById: db.prepare('SELECT * FROM papers WHERE id = ?'),
    versionsById: db.prepare(
      'SELECT version, submitted_at AS submittedAt, size FROM paper_versions WHERE paper_id = ? ORDER BY version',
    ),
    versionsByIds: db.prepare(
      'SELECT paper_id, version, submitted_at, size FROM paper_versions WHERE paper_id IN (SELECT value FROM json_each(?)) ORDER BY paper_id, version',
    ),
    hashesByIds: db.prepare(
      'SELECT paper_id, record_hash FROM paper_sources WHERE paper_id IN (SELECT value FROM json_each(?)) AND source = ?',
    ),
    insertPaper: db.prepare(
      `INSERT INTO papers (${cols}, created_at, modified_at) VALUES (${params}, @now, @now) ON CONFLICT (id) DO NOTHING`,
    ),
    updatePaper: db.prepare(`UPDATE papers SET ${updates}, modified_at = @now WHERE id = @id`),
    deleteVersions: db.prepare('DELETE FROM paper_versions WHERE paper_id = ?'),
    insertVersion: db.prepare('INSERT INTO paper_versions (paper_id, version, submitted_at, size) VALUES (?, ?, ?, ?)'),
    upsertHash: db.prepare(
      `INSERT INTO paper_sources (paper_id, source, record_hash, seen_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (paper_id, source) DO UPDATE SET record_hash = excluded.record_hash, seen_at = excluded.seen_at`,
    ),
    getCursor: db.prepare('SELECT cursor FROM source_cursors WHERE source = ?'),
    signals: db.prepare(
      `SELECT id, day, hf_upvotes AS upvotes, submitted_at AS submittedAt FROM papers
       WHERE day BETWEEN ? AND ? AND deleted = 0`,
    ),
    dayBefore: db.prepare('SELECT day FROM papers WHERE day < ? AND deleted = 0 ORDER BY day DESC LIMIT 1'),
    dayAfter: db.prepare('SELECT day FROM papers WHERE day > ? AND deleted = 0 ORDER BY day LIMIT 1'),
    dayCounts: db.prepare(
      'SELECT day, COUNT(*) AS papers FROM papers WHERE day BETWEEN ? AND ? AND deleted = 0 GROUP BY day ORDER BY day',
    ),
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    ping: db.prepare('SELECT 1'),
    texts: db.prepare('SELECT id, title, abstract FROM papers WHERE id > ? AND deleted = 0 ORDER BY id LIMIT ?'),
    content: db.prepare('SELECT COUNT(*) AS n, MAX(modified_at) AS m FROM papers'),
    related: db.prepare('SELECT related FROM related_papers WHERE paper_id = ?').pluck(),
    dueBatch: db.prepare('SELECT seq, paper_id FROM pages_due ORDER BY seq LIMIT ?'),
    dueDone: db.prepare('DELETE FROM pages_due WHERE seq IN (SELECT value FROM json_each(?))'),
    queuePage: db.prepare('INSERT INTO pages_due (paper_id) VALUES (?)'),
    unqueuePage: db.prepare('DELETE FROM pages_due WHERE paper_id = ?'),
    savePage: db.prepare(
      `INSERT INTO paper_pages (paper_id, layout, modified, related, similar_modified, discussion, etag, body)
       VALUES (@id, @layout, @modified, @related, @similar, @discussion, @etag, @body)
       ON CONFLICT (paper_id) DO UPDATE SET layout = excluded.layout, modified = excluded.modified,
         related = excluded.related, similar_modified = excluded.similar_modified, discussion = excluded.discussion,
         etag = excluded.etag, body = excluded.body`,
    ),
    walkedLayout: db.prepare('SELECT layout FROM pages_walked WHERE id = 1').pluck(),
    startWalk: db.prepare('DELETE FROM pages_due'),
    finishWalk: db.prepare('INSERT INTO pages_walked (id, layout) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET layout = excluded.layout'),
    card: db.prepare('SELECT title, authors FROM papers WHERE id = ? AND deleted = 0'),
    saveRelated: db.prepare(
      // a paper deleted meanwhile gets no list: its deletion took the old one (migration 23)
      `INSERT INTO related_papers (paper_id, related) SELECT @id, @related WHERE EXISTS (SELECT 1 FROM papers WHERE id = @id AND deleted = 0)
       ON CONFLICT (paper_id) DO UPDATE SET related = excluded.related`,
    ),
    // ISO-8601 UTC text with milliseconds, so that times compare as strings
    takeLease: db.prepare(
      `INSERT INTO job_leases (name, holder, expires_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?))
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    ),
    releaseLease: db.prepare('DELETE FROM job_leases WHERE name = ? AND holder = ?'),
    // julian days are floats near 2.46e6, so their difference carries ~50 µs of rounding: whole
    // milliseconds (what expires_at holds) keep a fresh 60 s lease from reading 60.00003 s
    leaseLeft: db.prepare("SELECT round((julianday(expires_at) - julianday('now')) * 86400000.0) / 1000.0 AS left FROM job_leases WHERE name = ?"),
    setCursor: db.prepare(
      `INSERT INTO source_cursors (source, cursor, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
    ),
  };
}
