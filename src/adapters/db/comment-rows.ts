/**
 * What both dialects share for comments (issue 13): rows as the port's objects, and the SQL
 * that reads the same on SQLite and PostgreSQL ("?" placeholders, numbered for PostgreSQL by
 * numbered() below).
 */
import type { Comment, ReportedComment } from '../../ports/comments.js';

type Row = Record<string, unknown>;

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const int = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function rowToComment(r: Row): Comment {
  return {
    id: Number(r.id),
    paperId: String(r.paper_id),
    parentId: int(r.parent_id),
    authorId: str(r.author_id),
    body: String(r.body),
    status: r.deleted_at != null ? 'deleted' : r.hidden_at != null ? 'hidden' : 'visible',
    createdAt: String(r.created_at),
    editedAt: str(r.edited_at),
    hiddenAt: str(r.hidden_at),
    hiddenBy: str(r.hidden_by),
    deletedAt: str(r.deleted_at),
  };
}

export function rowToReported(r: Row): ReportedComment {
  const reasons = typeof r.reasons === 'string' ? (JSON.parse(r.reasons) as string[]) : (r.reasons as string[]);
  return { comment: rowToComment(r), reports: Number(r.reports), firstReportedAt: String(r.first_reported_at), reasons };
}

/** "?" placeholders as PostgreSQL's $1, $2…, in order. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * A paper's discussion as shown (Comments.discussion): deleted comments only when a reply not
 * deleted hangs on them; each thread (a top-level comment and its replies) together, in id order.
 */
export const DISCUSSION_SQL = `
  SELECT c.* FROM comments c
  WHERE c.paper_id = ?
    AND (c.deleted_at IS NULL
         OR (c.parent_id IS NULL AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id AND r.deleted_at IS NULL)))
  ORDER BY COALESCE(c.parent_id, c.id), c.parent_id IS NOT NULL, c.id
  LIMIT ?`;

/** Moves a paper's discussion version (and its count of comments not deleted by `?`) by one. */
export const BUMP_SQL = `
  INSERT INTO paper_discussions (paper_id, version, comments) VALUES (?, 1, ?)
  ON CONFLICT (paper_id) DO UPDATE SET version = paper_discussions.version + 1, comments = paper_discussions.comments + excluded.comments`;


/** Comments not deleted with open reports, most reported and longest waiting first; `reasons` per dialect. */
export function reportQueueSql(reasonsAggregate: string): string {
  return `
  SELECT c.*, r.reports, r.first_reported_at, r.reasons
  FROM (SELECT comment_id, COUNT(*) AS reports, MIN(created_at) AS first_reported_at, ${reasonsAggregate} AS reasons
        FROM comment_reports WHERE resolved_at IS NULL GROUP BY comment_id) r
  JOIN comments c ON c.id = r.comment_id
  WHERE c.deleted_at IS NULL
  ORDER BY r.reports DESC, r.first_reported_at, c.id
  LIMIT ?`;
}

/** The moderator's decision on a comment not deleted: hidden (?, ?: time and moderator) or shown (NULL, NULL). */
export const SET_HIDDEN_SQL = 'UPDATE comments SET hidden_at = ?, hidden_by = ? WHERE id = ? AND deleted_at IS NULL RETURNING *';
export const CLOSE_REPORTS_SQL = 'UPDATE comment_reports SET resolved_at = ?, resolved_by = ? WHERE comment_id = ? AND resolved_at IS NULL';
export const EDIT_SQL = 'UPDATE comments SET body = ?, edited_at = ? WHERE id = ? AND author_id = ? AND deleted_at IS NULL RETURNING *';
export const DELETE_SQL = "UPDATE comments SET body = '', deleted_at = ? WHERE id = ? AND author_id = ? AND deleted_at IS NULL RETURNING paper_id";
export const BY_AUTHOR_SQL = 'SELECT * FROM comments WHERE author_id = ? AND deleted_at IS NULL AND hidden_at IS NULL ORDER BY created_at DESC, id DESC LIMIT ?';
export const COUNT_SINCE_SQL = 'SELECT COUNT(*) AS n FROM comments WHERE author_id = ? AND created_at >= ?';
