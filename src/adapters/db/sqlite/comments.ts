/** The SQLite store's comments and their moderation (issue 13, decision 029). */
import type { Comment, Comments, NewComment, ReportedComment, ReportOutcome } from '../../../ports/comments.js';
import * as sql from '../comment-rows.js';
import { rowToComment, rowToReported } from '../comment-rows.js';
import type { Row } from './connection.js';
import { SqliteInboxPart } from './inbox-part.js';

const REPORT_QUEUE = sql.reportQueueSql('json_group_array(reason ORDER BY created_at, account_id)');

export class SqliteComments extends SqliteInboxPart implements Comments {
  async addComment(c: NewComment): Promise<Comment | null> {
    return this.write(() => {
      let parent: number | null = null;
      if (c.parentId !== null) {
        const p = this.st('SELECT id, parent_id, paper_id, deleted_at FROM comments WHERE id = ?').get(c.parentId) as Row | undefined;
        if (!p || p.paper_id !== c.paperId || p.deleted_at !== null) return null;
        parent = Number(p.parent_id ?? p.id); // one level of replies: a reply's replies join its thread
      }
      const row = this.st('INSERT INTO comments (paper_id, parent_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *').get(
        c.paperId,
        parent,
        c.authorId,
        c.body,
        c.now,
      ) as Row;
      this.changed(c.paperId, 1);
      return rowToComment(row);
    });
  }

  async comment(id: number): Promise<Comment | null> {
    const r = this.st('SELECT * FROM comments WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToComment(r) : null;
  }

  async discussion(paperId: string, limit: number): Promise<Comment[]> {
    return (this.st(sql.DISCUSSION_SQL).all(paperId, limit) as Row[]).map(rowToComment);
  }

  async discussionState(paperId: string): Promise<{ version: number; comments: number }> {
    const r = this.st('SELECT version, comments FROM paper_discussions WHERE paper_id = ?').get(paperId) as Row | undefined;
    return { version: Number(r?.version ?? 0), comments: Number(r?.comments ?? 0) };
  }

  async discussionsVersion(): Promise<string> {
    const r = this.st('SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS s FROM paper_discussions').get() as Row;
    return `${Number(r.n)}.${Number(r.s)}`;
  }

  async editComment(id: number, authorId: string, body: string, now: string): Promise<Comment | null> {
    return this.write(() => {
      const r = this.st(sql.EDIT_SQL).get(body, now, id, authorId) as Row | undefined;
      if (r) this.changed(String(r.paper_id), 0);
      return r ? rowToComment(r) : null;
    });
  }

  async deleteComment(id: number, authorId: string, now: string): Promise<boolean> {
    return this.write(() => {
      const r = this.st(sql.DELETE_SQL).get(now, id, authorId) as Row | undefined;
      if (r) this.changed(String(r.paper_id), -1);
      return r !== undefined;
    });
  }

  async reportComment(id: number, accountId: string, reason: string, now: string): Promise<ReportOutcome | null> {
    return this.write(() => {
      // the primary key (comment, account) is the one-report rule; WHERE keeps deleted comments out
      const added = this.st(
        `INSERT INTO comment_reports (comment_id, account_id, reason, created_at)
         SELECT id, ?, ?, ? FROM comments WHERE id = ? AND deleted_at IS NULL
         ON CONFLICT (comment_id, account_id) DO NOTHING RETURNING comment_id`,
      ).get(accountId, reason, now, id);
      if (added) return 'reported';
      return this.st('SELECT 1 FROM comments WHERE id = ? AND deleted_at IS NULL').get(id) ? 'already-reported' : null;
    });
  }

  async setHidden(id: number, hidden: boolean, moderatorId: string, now: string): Promise<Comment | null> {
    return this.write(() => {
      const r = this.st(sql.SET_HIDDEN_SQL).get(hidden ? now : null, hidden ? moderatorId : null, id) as Row | undefined;
      if (!r) return null;
      this.st(sql.CLOSE_REPORTS_SQL).run(now, moderatorId, id);
      this.changed(String(r.paper_id), 0);
      return rowToComment(r);
    });
  }

  async reportQueue(limit: number): Promise<ReportedComment[]> {
    return (this.st(REPORT_QUEUE).all(limit) as Row[]).map(rowToReported);
  }

  async commentsBy(authorId: string, limit: number): Promise<Comment[]> {
    return (this.st(sql.BY_AUTHOR_SQL).all(authorId, limit) as Row[]).map(rowToComment);
  }

  async commentsSince(authorId: string, since: string): Promise<number> {
    return Number((this.st(sql.COUNT_SINCE_SQL).get(authorId, since) as Row).n);
  }

  async anonymiseAuthor(authorId: string): Promise<number> {
    return this.write(() => {
      // every paper the author commented on shows them: each discussion moves
      this.st(
        `INSERT INTO paper_discussions (paper_id, version, comments)
         SELECT DISTINCT paper_id, 1, 0 FROM comments WHERE author_id = ?
         ON CONFLICT (paper_id) DO UPDATE SET version = paper_discussions.version + 1`,
      ).run(authorId);
      const n = this.st('UPDATE comments SET author_id = NULL WHERE author_id = ?').run(authorId).changes;
      this.st('UPDATE comments SET hidden_by = NULL WHERE hidden_by = ?').run(authorId);
      this.st('DELETE FROM comment_reports WHERE account_id = ?').run(authorId);
      this.st('UPDATE comment_reports SET resolved_by = NULL WHERE resolved_by = ?').run(authorId);
      return n;
    });
  }

  /** Inside a write: the paper's discussion version moves (its page rendered ahead is stale from then on). */
  private changed(paperId: string, commentsDelta: number): void {
    this.st(sql.BUMP_SQL).run(paperId, commentsDelta);
  }
}
