/** The PostgreSQL store's comments and their moderation (issue 13, decision 029). */
import type { Comment, Comments, NewComment, ReportedComment, ReportOutcome } from '../../../ports/comments.js';
import * as sql from '../comment-rows.js';
import { numbered as n, rowToComment, rowToReported } from '../comment-rows.js';
import type { PgQuery } from '../pg-client.js';
import { PostgresPart } from './connection.js';

type Row = Record<string, unknown>;

const REPORT_QUEUE = n(sql.reportQueueSql('json_agg(reason ORDER BY created_at, account_id)'));

// Each write is one transaction on a pooled connection, without the store's write lock (that
// one orders paper merges): the row locks its statements take are all the ordering comments need.
export class PostgresComments extends PostgresPart implements Comments {
  async addComment(c: NewComment): Promise<Comment | null> {
    return this.db.transaction(async (q) => {
      let parent: number | null = null;
      if (c.parentId !== null) {
        // FOR SHARE: a delete of the parent (an UPDATE) waits for this reply, or this waits and sees it
        const [p] = await q.query<Row>('SELECT id, parent_id, paper_id, deleted_at FROM comments WHERE id = $1 FOR SHARE', [c.parentId]);
        if (!p || p.paper_id !== c.paperId || p.deleted_at !== null) return null;
        parent = Number(p.parent_id ?? p.id); // one level of replies: a reply's replies join its thread
      }
      const [row] = await q.query<Row>(
        'INSERT INTO comments (paper_id, parent_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
        [c.paperId, parent, c.authorId, c.body, c.now],
      );
      await changed(q, c.paperId, 1);
      return rowToComment(row!);
    });
  }

  async comment(id: number): Promise<Comment | null> {
    const [r] = await this.db.query<Row>('SELECT * FROM comments WHERE id = $1', [id]);
    return r ? rowToComment(r) : null;
  }

  async discussion(paperId: string, limit: number): Promise<Comment[]> {
    return (await this.db.query<Row>(n(sql.DISCUSSION_SQL), [paperId, limit], 'comments_discussion')).map(rowToComment);
  }

  async discussionState(paperId: string): Promise<{ version: number; comments: number }> {
    const [r] = await this.db.query<Row>('SELECT version, comments FROM paper_discussions WHERE paper_id = $1', [paperId], 'comments_state');
    return { version: Number(r?.version ?? 0), comments: Number(r?.comments ?? 0) };
  }

  async discussionsVersion(): Promise<string> {
    const [r] = await this.db.query<Row>('SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS s FROM paper_discussions', [], 'comments_version');
    return `${Number(r!.n)}.${Number(r!.s)}`;
  }

  async editComment(id: number, authorId: string, body: string, now: string): Promise<Comment | null> {
    return this.db.transaction(async (q) => {
      const [r] = await q.query<Row>(n(sql.EDIT_SQL), [body, now, id, authorId]);
      if (r) await changed(q, String(r.paper_id), 0);
      return r ? rowToComment(r) : null;
    });
  }

  async deleteComment(id: number, authorId: string, now: string): Promise<boolean> {
    return this.db.transaction(async (q) => {
      const [r] = await q.query<Row>(n(sql.DELETE_SQL), [now, id, authorId]);
      if (r) await changed(q, String(r.paper_id), -1);
      return r !== undefined;
    });
  }

  async reportComment(id: number, accountId: string, reason: string, now: string): Promise<ReportOutcome | null> {
    // the primary key (comment, account) is the one-report rule: a concurrent second report waits, then does nothing
    const added = await this.db.query(
      `INSERT INTO comment_reports (comment_id, account_id, reason, created_at)
       SELECT id, $1::text, $2::text, $3::timestamptz FROM comments WHERE id = $4 AND deleted_at IS NULL
       ON CONFLICT (comment_id, account_id) DO NOTHING RETURNING comment_id`,
      [accountId, reason, now, id],
    );
    if (added.length > 0) return 'reported';
    const live = await this.db.query('SELECT 1 FROM comments WHERE id = $1 AND deleted_at IS NULL', [id]);
    return live.length > 0 ? 'already-reported' : null;
  }

  async setHidden(id: number, hidden: boolean, moderatorId: string, now: string): Promise<Comment | null> {
    return this.db.transaction(async (q) => {
      const [r] = await q.query<Row>(n(sql.SET_HIDDEN_SQL), [hidden ? now : null, hidden ? moderatorId : null, id]);
      if (!r) return null;
      await q.query(n(sql.CLOSE_REPORTS_SQL), [now, moderatorId, id]);
      await changed(q, String(r.paper_id), 0);
      return rowToComment(r);
    });
  }

  async reportQueue(limit: number): Promise<ReportedComment[]> {
    return (await this.db.query<Row>(REPORT_QUEUE, [limit])).map(rowToReported);
  }

  async commentsBy(authorId: string, limit: number): Promise<Comment[]> {
    return (await this.db.query<Row>(n(sql.BY_AUTHOR_SQL), [authorId, limit])).map(rowToComment);
  }

  async commentsSince(authorId: string, since: string): Promise<number> {
    const [r] = await this.db.query<Row>(n(sql.COUNT_SINCE_SQL), [authorId, since]);
    return Number(r!.n);
  }

  async anonymiseAuthor(authorId: string): Promise<number> {
    return this.db.transaction(async (q) => {
      // the comments first, then each of their papers' discussion in paper order: the order
      // every other write takes its locks in (a comment, then its paper's row), so no deadlock
      const detached = await q.query<{ paper_id: string }>('UPDATE comments SET author_id = NULL WHERE author_id = $1 RETURNING paper_id', [authorId]);
      const papers = [...new Set(detached.map((r) => r.paper_id))].sort();
      if (papers.length > 0) {
        await q.query(
          `INSERT INTO paper_discussions (paper_id, version, comments) SELECT p, 1, 0 FROM unnest($1::text[]) AS p ORDER BY p
           ON CONFLICT (paper_id) DO UPDATE SET version = paper_discussions.version + 1`,
          [papers],
        );
      }
      await q.query('UPDATE comments SET hidden_by = NULL WHERE hidden_by = $1', [authorId]);
      await q.query('DELETE FROM comment_reports WHERE account_id = $1', [authorId]);
      await q.query('UPDATE comment_reports SET resolved_by = NULL WHERE resolved_by = $1', [authorId]);
      return detached.length;
    });
  }
}

/** Inside a write: the paper's discussion version moves (its page rendered ahead is stale from then on). */
async function changed(q: PgQuery, paperId: string, commentsDelta: number): Promise<void> {
  await q.query(n(sql.BUMP_SQL), [paperId, commentsDelta]);
}
