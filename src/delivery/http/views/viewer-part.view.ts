/**
 * The per-viewer part of a paper page (issue 13, decision 031): everything on the page that
 * depends on who is reading it, made by ONE function, `viewerPart(state)`, from one value, the
 * viewer's state. The rest of the page is the same for everyone and is cached and rendered ahead.
 *
 * - Nobody signed in (`state.viewer === null`, the page every anonymous reader shares): the local
 *   vote count with "Sign in to vote", and "Sign in to comment"; no form carries a token.
 * - A signed-in reader: the vote button (pressed or not), the comment form, and on each comment
 *   the reply, edit / delete (their own), report (others'), hide / restore (moderators) forms,
 *   each carrying the reader's CSRF token. A page holding them is never shared (csrf.ts sets
 *   no-store; page-render.ts never caches it).
 *
 * Other features that act for the reader on a paper page (the library's "save") add their
 * controls here, from fields they add to PaperViewerState: one place to plug in.
 */
import type { Comment } from '../../../ports/comments.js';
import { accountPaths } from '../../../core/account-links.js';
import { canModerate } from '../../../core/comment-rules.js';
import { MAX_COMMENT_LENGTH } from '../../../core/comment-markdown.js';
import { csrfInput } from '../csrf.js';
import { communityUrls, urls } from '../urls.js';
import { count } from './format.js';
import { html, type Html } from './html.js';

/** The reader as the page needs them: no address, no session. */
export interface PageReader {
  accountId: string;
  displayName: string;
  role: 'reader' | 'moderator' | 'admin';
}

/** What a form held when it was refused: shown again with the problem, the reader's text kept. */
export interface Draft {
  form: 'comment' | 'reply' | 'edit' | 'report';
  /** the comment replied to, edited or reported */
  commentId: number | null;
  text: string;
  problem: string;
}

export interface PaperViewerState {
  paperId: string;
  /** the paper's local vote count */
  votes: number;
  /** null: nobody signed in (the shared, cached page) */
  reader: PageReader | null;
  /** the reader voted on this paper */
  voted: boolean;
  /** the reader's CSRF token (null for nobody) */
  csrf: string | null;
  /** a refused form, shown again */
  draft?: Draft | null;
}

export interface ViewerPart {
  /** beside the paper's links: the vote button, or the count and a sign-in link */
  vote: Html;
  /** under the discussion: the form for a new comment, or a sign-in link */
  commentForm: Html;
  /** under one comment: what the reader may do with it */
  commentActions: (c: Comment) => Html;
}

/** The anonymous part: what the shared page holds (decision 031). */
export function anonymousState(paperId: string, votes: number): PaperViewerState {
  return { paperId, votes, reader: null, voted: false, csrf: null, draft: null };
}

export function viewerPart(s: PaperViewerState): ViewerPart {
  const signIn = accountPaths.signIn();
  const paper = urls.paper(s.paperId);
  if (!s.reader || !s.csrf)
    return {
      vote: html`<div class="vote-box"><span class="vote-count" data-votes="${s.votes}">${count(s.votes, 'vote')} here</span> · <a href="${signIn}">Sign in to vote</a></div>`,
      commentForm: html`<p class="sign-in-to-comment"><a href="${signIn}">Sign in to comment</a></p>`,
      commentActions: () => html``,
    };
  const token = csrfInput(s.csrf);
  const reader = s.reader;
  const draft = s.draft ?? null;
  const problem = (d: Draft | null) => (d ? html`<p class="problem" role="alert">${d.problem}</p>` : '');
  const draftFor = (form: Draft['form'], commentId: number | null) => (draft && draft.form === form && draft.commentId === commentId ? draft : null);
  const textArea = (name: string, label: string, value: string, id: string) =>
    html`<label for="${id}">${label}</label><textarea id="${id}" name="${name}" rows="4" maxlength="${MAX_COMMENT_LENGTH}" required>${value}</textarea>`;

  const vote = html`<form class="vote-form" method="post" action="${communityUrls.vote(s.paperId)}" data-vote>${token}<input type="hidden" name="back" value="${paper}"><input type="hidden" name="vote" value="${s.voted ? '0' : '1'}"><button type="submit" class="vote-button" aria-pressed="${s.voted ? 'true' : 'false'}"><span aria-hidden="true">&#9650;</span> <span class="vote-count" data-votes="${s.votes}">${s.votes}</span> <span class="vote-label">${s.voted ? 'Voted' : 'Vote'}</span></button></form>`;

  const top = draftFor('comment', null);
  // a refused action on one comment is also said here, where the reader is sure to see it (its
  // own form, when the page has one for them, holds their text)
  const elsewhere = draft && draft.form !== 'comment' ? html`<p class="problem" role="alert">Comment ${draft.commentId ?? ''}: ${draft.problem}</p>` : '';
  const commentForm = html`${elsewhere}<form class="comment-form" id="comment-form" method="post" action="${urls.comments(s.paperId)}">${token}
${problem(top)}${textArea('body', `Comment as ${reader.displayName} (Markdown, $LaTeX$)`, top?.text ?? '', 'comment-body')}
<button type="submit">Post comment</button></form>`;

  const commentActions = (c: Comment): Html => {
    if (c.status === 'deleted') return html``;
    const own = c.authorId === reader.accountId;
    const parts: Html[] = [];
    const open = (d: Draft | null) => (d ? html` open` : '');
    if (c.status === 'visible') {
      const reply = draftFor('reply', c.id);
      parts.push(html`<details class="reply"${open(reply)}><summary>Reply</summary><form method="post" action="${urls.comments(s.paperId)}">${token}<input type="hidden" name="parent" value="${c.id}">${problem(reply)}${textArea('body', 'Your reply', reply?.text ?? '', `reply-${c.id}`)}<button type="submit">Post reply</button></form></details>`);
    }
    if (own) {
      const edit = draftFor('edit', c.id);
      parts.push(html`<details class="edit"${open(edit)}><summary>Edit</summary><form method="post" action="${communityUrls.commentAction(s.paperId, c.id, 'edit')}">${token}${problem(edit)}${textArea('body', 'Your comment', edit?.text ?? c.body, `edit-${c.id}`)}<button type="submit">Save</button></form></details>`);
      parts.push(html`<form class="delete" method="post" action="${communityUrls.commentAction(s.paperId, c.id, 'delete')}">${token}<button type="submit">Delete</button></form>`);
    } else if (c.status === 'visible') {
      const report = draftFor('report', c.id);
      parts.push(html`<details class="report"${open(report)}><summary>Report</summary><form method="post" action="${communityUrls.commentAction(s.paperId, c.id, 'report')}">${token}${problem(report)}<label for="report-${c.id}">Why (optional)</label><input id="report-${c.id}" name="reason" maxlength="500" value="${report?.text ?? ''}"><button type="submit">Report to the moderators</button></form></details>`);
    }
    if (canModerate(reader.role)) {
      const action = c.status === 'hidden' ? 'restore' : 'hide';
      parts.push(html`<form class="moderate" method="post" action="${urls.moderate(c.id, action)}">${token}<input type="hidden" name="back" value="${urls.comment(s.paperId, c.id)}"><button type="submit">${action === 'hide' ? 'Hide (moderator)' : 'Restore (moderator)'}</button></form>`);
    }
    return parts.length ? html`<div class="comment-actions">${parts}</div>` : html``;
  };

  return { vote, commentForm, commentActions };
}
