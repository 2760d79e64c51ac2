/**
 * A paper's discussion on its page (issue 13): threads of comments one reply deep, each body
 * rendered from its Markdown by core/comment-markdown.ts (sanitised there) with its math by
 * KaTeX. A comment hidden by a moderator says so and shows nothing of its text; a deleted one
 * with replies shows "[deleted]". The forms are the viewer's (viewer-part.view.ts), passed in.
 */
import { renderCommentBody } from '../../../core/comment-markdown.js';
import type { Comment } from '../../../ports/comments.js';
import { mediumDay } from './format.js';
import { html, trusted, type Html } from './html.js';
import { commentMath } from './math.js';
import type { ViewerPart } from './viewer-part.view.js';

/** Who wrote what, and who "@handle" is: from the accounts, once they exist. */
export interface CommentPeople {
  /** the name shown for an author id; null when unknown */
  name(authorId: string): string | null;
  /** the page of the member with that handle; null: not a member (the mention stays text) */
  mention(handle: string): string | null;
  /** the public page of an author; null or absent: their name is not linked */
  profile?(authorId: string): string | null;
}

/** Until there are accounts: authors by number, no mention linked. */
export const NO_PEOPLE: CommentPeople = { name: () => null, mention: () => null };

/**
 * The discussion; `part` is the viewer's (viewer-part.view.ts): the forms of a signed-in reader,
 * or the sign-in link of the shared page. Without it (the moderators' queue, old callers), none.
 */
export function discussionSection(comments: readonly Comment[], people: CommentPeople = NO_PEOPLE, part: Pick<ViewerPart, 'commentForm' | 'commentActions'> | null = null): Html {
  const actions = (c: Comment) => (part ? part.commentActions(c) : '');
  const threads: { top: Comment; replies: Comment[] }[] = [];
  for (const c of comments) {
    if (c.parentId === null) threads.push({ top: c, replies: [] });
    else threads[threads.length - 1]?.replies.push(c); // the store gives each reply right after its thread
  }
  const shown = comments.filter((c) => c.status !== 'deleted').length;
  return html`<section class="discussion" aria-labelledby="discussion-title">
<h2 id="discussion-title">Discussion${shown > 0 ? html` <span class="count">(${shown})</span>` : ''}</h2>
${
  threads.length === 0
    ? html`<p class="empty">No comments yet.</p>`
    : html`<ol class="comments">${threads.map(
        (t) =>
          html`<li>${comment(t.top, people)}${actions(t.top)}${t.replies.length > 0 ? html`<ol class="replies">${t.replies.map((r) => html`<li>${comment(r, people)}${actions(r)}</li>`)}</ol>` : ''}</li>`,
      )}</ol>`
}
${part ? part.commentForm : ''}
</section>`;
}

function comment(c: Comment, people: CommentPeople): Html {
  const id = `comment-${c.id}`;
  if (c.status === 'deleted') return html`<article class="comment deleted" id="${id}"><p class="removed">[deleted]</p></article>`;
  const header = html`<header><span class="author">${author(c, people)}</span> · <a class="when" href="#${id}"><time datetime="${c.createdAt}">${mediumDay(c.createdAt.slice(0, 10))}</time></a>${c.editedAt ? html` <span class="edited" title="edited ${c.editedAt}">(edited)</span>` : ''}</header>`;
  if (c.status === 'hidden') return html`<article class="comment hidden-by-moderator" id="${id}">${header}<p class="removed">This comment was hidden by a moderator.</p></article>`;
  const body = renderCommentBody(c.body, { mention: (h) => people.mention(h), math: commentMath() });
  return html`<article class="comment" id="${id}">${header}<div class="comment-body">${trusted(body)}</div></article>`;
}

function author(c: Comment, people: CommentPeople): Html | string {
  if (c.authorId === null) return 'a former member';
  const name = people.name(c.authorId) ?? `member ${c.authorId}`;
  const page = people.profile?.(c.authorId) ?? null;
  return page ? html`<a href="${page}">${name}</a>` : name;
}
