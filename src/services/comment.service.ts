/**
 * Commenting and moderating (issue 13, decision 029): post a comment or a reply, edit or delete
 * one's own, report one, and for moderators hide, restore and read the queue of reported
 * comments. The acting account comes in as plain values (id, role, creation time), so the web
 * routes that sign members in only pass them along; the rules themselves are in
 * core/comment-rules.ts and core/comment-markdown.ts.
 */
import { normaliseCommentBody } from '../core/comment-markdown.js';
import { canModerate, commentRate, commentWindows, normaliseReportReason, type Role } from '../core/comment-rules.js';
import { PaperboyError, RateLimitedError } from '../core/errors.js';
import type { Comment, Comments, ReportedComment, ReportOutcome } from '../ports/comments.js';
import type { PaperReads } from '../ports/paper-reads.js';
import { ShortMemo } from '../core/short-memo.js';

/** Who is acting: an account as the accounts capability knows it. */
export interface Actor {
  id: string;
  role: Role;
  /** when the account was made (ISO): new accounts post less */
  createdAt: string;
}

/** Comments a paper page shows at most: a discussion longer than this is a flood, not a discussion. */
export const DISCUSSION_LIMIT = 500;

export class CommentService {
  /** discussions' versions, asked by every view of a paper page: kept while no discussion changed (short-memo.ts) */
  private readonly versions: ShortMemo<number>;

  constructor(
    private readonly comments: Comments,
    private readonly papers: PaperReads,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.versions = new ShortMemo({ generation: () => comments.discussionsVersion() });
  }

  /** A new comment on a paper, or a reply (to any comment on it; stored one level deep). */
  async post(actor: Actor, paperId: string, body: unknown, parentId: number | null = null): Promise<Comment> {
    const text = normaliseCommentBody(body);
    const paper = await this.papers.getPaper(paperId);
    if (!paper || paper.deleted) throw new PaperboyError('NOT_FOUND', `paper ${paperId}: no such paper to comment on`);
    const now = this.now();
    if (!canModerate(actor.role)) await this.checkRate(actor, now);
    const c = await this.changing(this.comments.addComment({ paperId, parentId, authorId: actor.id, body: text, now: now.toISOString() }));
    if (!c) throw new PaperboyError('NOT_FOUND', `comment ${parentId}: no such comment on paper ${paperId} to reply to`);
    return c;
  }

  /**
   * The comment `commentId` when it is one under `paperId`, else NOT_FOUND (as for no comment at
   * all): an address that names a comment under another paper names nothing. A comment never
   * moves to another paper, so the answer holds for the action that follows.
   */
  async commentOn(paperId: string, commentId: number): Promise<Comment> {
    const c = await this.comments.comment(commentId);
    if (!c || c.paperId !== paperId) throw new PaperboyError('NOT_FOUND', `comment ${commentId}: no such comment under paper ${paperId}`);
    return c;
  }

  /** The author's new text for their comment; moderators hide, they never rewrite. */
  async edit(actor: Actor, commentId: number, body: unknown): Promise<Comment> {
    const text = normaliseCommentBody(body);
    const edited = await this.changing(this.comments.editComment(commentId, actor.id, text, this.now().toISOString()));
    if (edited) return edited;
    throw await this.whyNot(actor, commentId, 'edit');
  }

  async remove(actor: Actor, commentId: number): Promise<void> {
    if (await this.changing(this.comments.deleteComment(commentId, actor.id, this.now().toISOString()))) return;
    throw await this.whyNot(actor, commentId, 'delete');
  }

  /** A report for the moderators; a second one by the same account is taken as already made. */
  async report(actor: Actor, commentId: number, reason: unknown): Promise<ReportOutcome> {
    const why = normaliseReportReason(reason);
    const c = await this.comments.comment(commentId);
    if (c && c.authorId === actor.id) throw new PaperboyError('RECORD_INVALID', `comment ${commentId}: your own comment can be edited or deleted, not reported`);
    const outcome = c ? await this.comments.reportComment(commentId, actor.id, why, this.now().toISOString()) : null;
    if (!outcome) throw notFound(commentId);
    return outcome;
  }

  async hide(actor: Actor, commentId: number): Promise<Comment> {
    return this.moderate(actor, commentId, true);
  }

  /** Shows a hidden comment again, or dismisses the reports on a visible one. */
  async restore(actor: Actor, commentId: number): Promise<Comment> {
    return this.moderate(actor, commentId, false);
  }

  async reportQueue(actor: Actor, limit = 50): Promise<ReportedComment[]> {
    this.mustModerate(actor, 'read the queue of reported comments');
    return this.comments.reportQueue(limit);
  }

  /** What a paper page shows, in order (hidden and deleted ones included, for the view to say so). */
  async discussion(paperId: string): Promise<Comment[]> {
    return this.comments.discussion(paperId, DISCUSSION_LIMIT);
  }

  /** A number that changes whenever what the paper's discussion shows does (a paper page's cache version). */
  async discussionVersion(paperId: string): Promise<number> {
    return this.versions.get(paperId, async () => (await this.comments.discussionState(paperId)).version);
  }

  /** A member's visible comments, newest first, for their public page. */
  async commentsBy(authorId: string, limit = 50): Promise<Comment[]> {
    return this.comments.commentsBy(authorId, limit);
  }

  /** For the deletion of an account: its comments stay, without it. */
  async anonymise(accountId: string): Promise<number> {
    return this.changing(this.comments.anonymiseAuthor(accountId));
  }

  private async moderate(actor: Actor, commentId: number, hidden: boolean): Promise<Comment> {
    this.mustModerate(actor, hidden ? 'hide comments' : 'restore comments');
    const c = await this.changing(this.comments.setHidden(commentId, hidden, actor.id, this.now().toISOString()));
    if (!c) throw notFound(commentId);
    return c;
  }

  /** A write that may change discussions: once it is done, their versions are read again. */
  private async changing<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.versions.clear();
    }
  }

  private mustModerate(actor: Actor, what: string): void {
    if (!canModerate(actor.role)) throw new PaperboyError('FORBIDDEN', `only moderators may ${what}`);
  }

  private async checkRate(actor: Actor, now: Date): Promise<void> {
    const age = now.getTime() - Date.parse(actor.createdAt);
    const windows = commentWindows(age);
    const recent = await Promise.all(windows.map((w) => this.comments.commentsSince(actor.id, new Date(now.getTime() - w.windowMs).toISOString())));
    const verdict = commentRate(age, recent);
    // by the end of the window it passed, every comment it counted has left it
    if (!verdict.allowed) throw new RateLimitedError(verdict.message, verdict.window.windowMs / 1000);
  }

  /** Why an edit or delete changed nothing: no such comment (or deleted), or not the actor's. */
  private async whyNot(actor: Actor, commentId: number, what: string): Promise<PaperboyError> {
    const c = await this.comments.comment(commentId);
    if (!c || c.status === 'deleted') return notFound(commentId);
    return new PaperboyError('FORBIDDEN', `comment ${commentId}: only its author may ${what} it`);
  }
}

const notFound = (id: number) => new PaperboyError('NOT_FOUND', `comment ${id}: no such comment (or it was deleted)`);
