/**
 * A member's public page (issue 13): their display name, how long they have been a member, and
 * their visible comments with a link to each (hidden and deleted ones are not listed). Other
 * features add their sections (submitted papers, public collections) as ProfileParts: the
 * route asks each for its part of the page and shows what they give, in order.
 */
import { renderCommentBody } from '../../../core/comment-markdown.js';
import type { Comment } from '../../../ports/comments.js';
import type { Member } from '../../../ports/members.js';
import { urls } from '../urls.js';
import type { CommentPeople } from './comments.view.js';
import { count, mediumDay } from './format.js';
import { html, trusted, type Html } from './html.js';
import { commentMath } from './math.js';

/** A section another feature adds to a member's page (its own heading inside); null: nothing to show. */
export type ProfilePart = (member: Member) => Promise<Html | null>;

export function memberMain(m: Member, comments: readonly Comment[], people: CommentPeople, parts: readonly Html[]): Html {
  return html`<section class="member" aria-labelledby="member-title">
<h1 id="member-title">${m.displayName}</h1>
<p class="muted">Member since <time datetime="${m.createdAt}">${mediumDay(m.createdAt.slice(0, 10))}</time></p>
${parts}
<section aria-labelledby="member-comments-title"><h2 id="member-comments-title">Comments${comments.length ? html` <span class="count">(${comments.length === 50 ? 'latest 50' : count(comments.length, 'comment')})</span>` : ''}</h2>
${
  comments.length === 0
    ? html`<p class="empty">No comments yet.</p>`
    : html`<ol class="member-comments">${comments.map(
        (c) =>
          html`<li><article class="comment" id="comment-${c.id}"><header>On <a href="${urls.comment(c.paperId, c.id)}">${c.paperId}</a> · <time datetime="${c.createdAt}">${mediumDay(c.createdAt.slice(0, 10))}</time>${c.editedAt ? ' (edited)' : ''}</header><div class="comment-body">${trusted(renderCommentBody(c.body, { mention: (h) => people.mention(h), math: commentMath() }))}</div></article></li>`,
      )}</ol>`
}
</section>
</section>`;
}
