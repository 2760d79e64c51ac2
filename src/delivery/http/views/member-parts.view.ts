/**
 * The sections submissions and libraries add to a member's page (issue 13: "a profile page:
 * display name, submissions, public collections, their comments"): the papers the member
 * submitted, newest first, and their public collections. Private collections never show here.
 */
import { libraryPaths } from '../../../core/library-links.js';
import type { Collection } from '../../../ports/library.js';
import type { Paper } from '../../../core/paper.js';
import type { Submission } from '../../../ports/submissions.js';
import { urls } from '../urls.js';
import { count, mediumDay } from './format.js';
import { html, type Html } from './html.js';

/** Submitted papers a member's page lists. */
export const PROFILE_SUBMISSIONS = 50;

export function memberSubmissions(submissions: readonly Submission[], papers: ReadonlyMap<string, Paper>): Html | null {
  if (submissions.length === 0) return null;
  const newest = [...submissions].reverse().slice(0, PROFILE_SUBMISSIONS);
  return html`<section aria-labelledby="member-submissions-title"><h2 id="member-submissions-title">Submitted papers <span class="count">(${count(submissions.length, 'paper')})</span></h2>
<ol class="member-submissions">${newest.map(
    (s) =>
      html`<li><a href="${urls.paper(s.paperId)}">${papers.get(s.paperId)?.title ?? s.paperId}</a> · <time datetime="${s.submittedAt}">${mediumDay(s.submittedAt.slice(0, 10))}</time></li>`,
  )}</ol></section>`;
}

export function memberCollections(collections: readonly Collection[]): Html | null {
  if (collections.length === 0) return null;
  return html`<section aria-labelledby="member-collections-title"><h2 id="member-collections-title">Public collections</h2>
<ul class="member-collections">${collections.map((c) => html`<li><a href="${libraryPaths.collection(c.id)}">${c.name}</a> <span class="count">(${count(c.papers, 'paper')})</span></li>`)}</ul></section>`;
}
