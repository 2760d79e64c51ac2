/**
 * Comments on papers and their moderation (issue 13): what CommentService
 * (services/comment.service.ts) reads and changes, and what the paper page and the moderators'
 * queue read. Account ids are accounts.id (text): accounts live behind their own ports, and the
 * comments keep no foreign key to them. Every change to a paper's comments moves that paper's
 * discussion version in the same transaction: its page, cached or rendered ahead, is stale from then on.
 * Contract: test/contracts/comments.contract.ts.
 */

/** visible: shown; hidden: by a moderator, shown as such, restorable; deleted: by its author, for good. */
export type CommentStatus = 'visible' | 'hidden' | 'deleted';

export interface Comment {
  id: number;
  paperId: string;
  /** the top-level comment it replies to; null for a top-level comment */
  parentId: number | null;
  /** null once the author's account was anonymised */
  authorId: string | null;
  /** the Markdown source as written; '' once deleted */
  body: string;
  status: CommentStatus;
  /** ISO timestamps */
  createdAt: string;
  editedAt: string | null;
  hiddenAt: string | null;
  /** the moderator who hid it, while hidden */
  hiddenBy: string | null;
  deletedAt: string | null;
}

export interface NewComment {
  paperId: string;
  /** the comment replied to (any level), or null */
  parentId: number | null;
  authorId: string;
  /** normalised (core/comment-markdown.ts normaliseCommentBody) */
  body: string;
  now: string;
}

/** A comment waiting for a moderator: its open reports, how many, since when, and why. */
export interface ReportedComment {
  comment: Comment;
  reports: number;
  firstReportedAt: string;
  /** the reporters' reasons, oldest first */
  reasons: string[];
}

export type ReportOutcome = 'reported' | 'already-reported';

export interface Comments {
  /**
   * A new comment. A reply to a reply is stored under that reply's top-level parent (one level
   * of replies). Null when the parent is not a comment on the same paper or was deleted.
   */
  addComment(input: NewComment): Promise<Comment | null>;
  comment(id: number): Promise<Comment | null>;
  /**
   * A paper's discussion as shown: top-level comments oldest first, each followed by its replies
   * oldest first. Deleted comments are left out unless a reply not deleted hangs on them (shown
   * as "[deleted]"). At most `limit` comments.
   */
  discussion(paperId: string, limit: number): Promise<Comment[]>;
  /**
   * A number that changes whenever anything shown in a paper's discussion changes (0 while it
   * has none), with the count of its comments not deleted.
   */
  discussionState(paperId: string): Promise<{ version: number; comments: number }>;
  /**
   * A token that changes whenever any paper's discussion state does (the sum of their versions):
   * what lets a web node keep papers' discussion versions while nothing changed anywhere.
   */
  discussionsVersion(): Promise<string>;
  /** Replaces the body of the author's own comment, not deleted; null when it is not theirs or gone. */
  editComment(id: number, authorId: string, body: string, now: string): Promise<Comment | null>;
  /** Deletes the author's own comment (body emptied); false when it is not theirs or already deleted. */
  deleteComment(id: number, authorId: string, now: string): Promise<boolean>;
  /** One report per account and comment; null when the comment does not exist or was deleted. */
  reportComment(id: number, accountId: string, reason: string, now: string): Promise<ReportOutcome | null>;
  /**
   * A moderator hides (true) or restores (false) a comment not deleted, closing its open reports
   * either way (restoring a visible comment dismisses them). Null when there is no such comment.
   */
  setHidden(id: number, hidden: boolean, moderatorId: string, now: string): Promise<Comment | null>;
  /** Comments not deleted with open reports: most reported first, then longest waiting; at most `limit`. */
  reportQueue(limit: number): Promise<ReportedComment[]>;
  /** The author's comments as their public profile lists them: visible ones only (not hidden, not deleted), newest first; at most `limit`. */
  commentsBy(authorId: string, limit: number): Promise<Comment[]>;
  /** How many comments the account wrote at or after `since` (deleted ones too: the rate limits count them). */
  commentsSince(authorId: string, since: string): Promise<number>;
  /**
   * Detaches an account from everything it wrote (authorId null, bodies kept) and forgets its
   * reports: for the deletion of an account. How many comments it had.
   */
  anonymiseAuthor(authorId: string): Promise<number>;
}
