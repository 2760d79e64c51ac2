/**
 * The moderators' queue of reported comments (issue 13): most reported first, each with its
 * paper, its author, its text as the page shows it (hidden ones too: the moderator decides on
 * them), the reporters' reasons, and the two decisions as POST forms carrying the CSRF token.
 * Restoring a visible comment dismisses its reports. Route: community.routes.ts, moderators only.
 */
import type { ReportedComment } from '../../../ports/comments.js';
import { renderCommentBody } from '../../../core/comment-markdown.js';
import { csrfInput } from '../csrf.js';
import { urls } from '../urls.js';
import { type CommentPeople, NO_PEOPLE } from './comments.view.js';
import { count, mediumDay } from './format.js';
import { html, trusted, type Html } from './html.js';
import { commentMath } from './math.js';

export function moderationMain(queue: readonly ReportedComment[], csrfToken: string, people: CommentPeople = NO_PEOPLE): Html {
  return html`<section class="moderation" aria-labelledby="moderation-title">
<h1 id="moderation-title">Reported comments</h1>
${queue.length === 0 ? html`<p class="empty">Nothing is waiting: no comment has an open report.</p>` : html`<ol class="queue">${queue.map((r) => item(r, csrfToken, people))}</ol>`}
</section>`;
}

function item(r: ReportedComment, csrfToken: string, people: CommentPeople): Html {
  const c = r.comment;
  const author = c.authorId === null ? 'a former member' : (people.name(c.authorId) ?? `member ${c.authorId}`);
  const authorPage = c.authorId === null ? null : (people.profile?.(c.authorId) ?? null);
  const body = renderCommentBody(c.body, { mention: (h) => people.mention(h), math: commentMath() });
  const form = (action: 'hide' | 'restore', label: string) =>
    html`<form method="post" action="${urls.moderate(c.id, action)}">${csrfInput(csrfToken)}<button type="submit">${label}</button></form>`;
  return html`<li class="reported" id="reported-${c.id}">
<p class="where"><a href="${urls.comment(c.paperId, c.id)}">Comment ${c.id}</a> on <a href="${urls.paper(c.paperId)}">${c.paperId}</a> by ${authorPage ? html`<a href="${authorPage}">${author}</a>` : author}, <time datetime="${c.createdAt}">${mediumDay(c.createdAt.slice(0, 10))}</time>${c.status === 'hidden' ? html` · <strong>hidden</strong>` : ''}</p>
<blockquote class="comment-body">${trusted(body)}</blockquote>
<p class="reports">${count(r.reports, 'report')} since <time datetime="${r.firstReportedAt}">${mediumDay(r.firstReportedAt.slice(0, 10))}</time></p>
<ul class="reasons">${r.reasons.map((why) => html`<li>${why === '' ? html`<em>no reason given</em>` : why}</li>`)}</ul>
<div class="decisions">${c.status === 'hidden' ? form('restore', 'Restore') : html`${form('hide', 'Hide')}${form('restore', 'Dismiss the reports')}`}</div>
</li>`;
}
