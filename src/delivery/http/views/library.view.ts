/**
 * The submission, library and collection pages (issue 13, decisions 032 and 033), and the
 * library controls of a paper page (libraryControls: the per-viewer part, never in a cached
 * page). Names of collections and people are readers' text: escaped by `html`. Every form
 * carries the viewer's CSRF token (`csrf`, from csrf.ts).
 */
import { libraryPaths as paths } from '../../../core/library-links.js';
import { MAX_DISPLAY_NAME } from '../../../core/accounts.js';
import type { Paper } from '../../../core/paper.js';
import type { Collection, SavedFilter } from '../../../ports/library.js';
import type { CollectionView, LibraryPage, PaperLibraryState } from '../../../services/library.service.js';
import type { Submitted } from '../../../services/submission.service.js';
import { urls } from '../urls.js';
import { count, mediumDay } from './format.js';
import { html, type Html } from './html.js';
import { texLine } from './math.js';
import { pager } from './pager.view.js';
import { authorLine } from './paper-card.view.js';

const form = (csrf: Html, action: string, body: Html | string, cls = 'inline') => html`<form method="post" action="${action}" class="${cls}">${csrf}${body}</form>`;
const hidden = (name: string, value: string) => html`<input type="hidden" name="${name}" value="${value}">`;

export interface SubmitPageData {
  csrf: Html;
  perDay: number;
  problem?: string;
  /** what the reader typed, shown again with a problem */
  value?: string;
  done?: Submitted;
}

export function submitMain(d: SubmitPageData): Html {
  return html`<section class="notice submit" aria-labelledby="submit-title">
<h1 id="submit-title">Submit a paper</h1>
${d.problem ? html`<p class="form-problem" role="alert">${d.problem}</p>` : ''}
${d.done ? submitted(d.done) : ''}
${d.perDay > 0
    ? form(
        d.csrf,
        paths.submit(),
        html`<label for="submit-id">arXiv id or URL</label>
<input id="submit-id" name="id" type="text" required maxlength="300" placeholder="2401.12345 or https://arxiv.org/abs/2401.12345" value="${d.value ?? ''}" autocomplete="off">
<button type="submit">Submit</button>`,
        'submit-form',
      )
    : html`<p>Submitting papers is switched off on this site.</p>`}
<p class="subscribe-note">A paper you submit leads today's page, with your name on it. Any version, any arXiv paper: new ids (2401.12345v2), old ones (hep-th/9901001), or its abstract or PDF address. Each account may submit ${count(d.perDay, 'paper')} a day.</p>
</section>`;
}

function submitted(s: Submitted): Html {
  const title = html`<a href="${urls.paper(s.paper.id)}">${texLine(s.paper.title ?? s.paper.id)}</a>`;
  const what = !s.recorded ? html`You had submitted ${title} already.` : s.first ? html`Submitted: ${title}. It is on today's page with your name.` : html`Submitted: ${title}. Someone submitted it before you, so it is on the page of that day.`;
  return html`<p class="form-done" role="status">${what}</p>`;
}

const FILTERS: [SavedFilter, string][] = [
  ['all', 'All'],
  ['unread', 'Unread'],
  ['read', 'Read'],
];

export function libraryMain(l: LibraryPage, csrf: Html, problem?: string): Html {
  const back = l.filter === 'all' ? paths.library() : paths.library(l.filter);
  return html`<section class="notice library" aria-labelledby="library-title">
<h1 id="library-title">Your library</h1>
${problem ? html`<p class="form-problem" role="alert">${problem}</p>` : ''}
<p class="listing-count">${count(l.counts.saved, 'saved paper')}, ${l.counts.unread} unread · <a href="${paths.submit()}">Submit a paper</a></p>
<nav class="tabs" aria-label="Show"><ul>${FILTERS.map(([f, label]) => html`<li><a href="${f === 'all' ? paths.library() : paths.library(f)}"${f === l.filter ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>
${l.entries.length === 0
    ? html`<p>${l.filter === 'all' ? 'Nothing saved yet: the Save button on a paper’s page puts it here.' : `No ${l.filter} papers.`}</p>`
    : html`<ol class="library-papers">${l.entries.map(
        ({ saved, paper }) => html`<li class="library-paper${saved.readAt ? ' read' : ''}">
<h2 class="paper-title"><a href="${urls.paper(paper.id)}">${texLine(paper.title ?? paper.id)}</a></h2>
${authorLine(paper.authors, 3)}
<p class="muted">Saved ${mediumDay(saved.savedAt.slice(0, 10))}${saved.readAt ? html` · read ${mediumDay(saved.readAt.slice(0, 10))}` : ''}</p>
${form(csrf, paths.markRead(), html`${hidden('paper', paper.id)}${hidden('read', saved.readAt ? '0' : '1')}${hidden('back', back)}<button type="submit">Mark ${saved.readAt ? 'unread' : 'read'}</button>`)}
${form(csrf, paths.unsave(), html`${hidden('paper', paper.id)}${hidden('back', back)}<button type="submit">Remove</button>`)}
</li>`,
      )}</ol>`}
${pager(l.page, Math.ceil(shownOf(l) / l.pageSize), (n) => paths.library(l.filter === 'all' ? undefined : l.filter, n))}
<h2>Your collections</h2>
${l.collections.length ? html`<ul class="collections">${l.collections.map((c) => html`<li>${collectionLink(c)}</li>`)}</ul>` : html`<p>None yet.</p>`}
${newCollectionForm(csrf, null, back)}
</section>`;
}

/** How many saved papers the library's filter shows, over all its pages. */
function shownOf(l: LibraryPage): number {
  return l.filter === 'all' ? l.counts.saved : l.filter === 'unread' ? l.counts.unread : l.counts.saved - l.counts.unread;
}

function collectionLink(c: Collection): Html {
  return html`<a href="${paths.collection(c.id)}">${c.name}</a> <span class="muted">(${count(c.papers, 'paper')}, ${c.public ? 'public' : 'private'})</span>`;
}

function newCollectionForm(csrf: Html, paperId: string | null, back: string): Html {
  const id = paperId ? 'new-collection-paper' : 'new-collection';
  return form(
    csrf,
    paths.newCollection(),
    html`${paperId ? hidden('paper', paperId) : ''}${hidden('back', back)}<label for="${id}">${paperId ? 'Save to a new collection' : 'New collection'}</label>
<input id="${id}" name="name" type="text" required maxlength="${MAX_DISPLAY_NAME}" placeholder="Reading group" dir="auto">
<label><input type="checkbox" name="public" value="1"> public</label>
<button type="submit">Create</button>`,
    'new-collection',
  );
}

/** A collection's page: its papers; for its owner, the forms that change it. */
export function collectionMain(v: CollectionView, csrf: Html | null): Html {
  const c = v.collection;
  const mine = v.mine && csrf ? csrf : null;
  return html`<section class="notice collection" aria-labelledby="collection-title">
<h1 id="collection-title" dir="auto">${c.name}</h1>
<p class="listing-count">${count(c.papers, 'paper')} · ${c.public ? 'public' : 'private'} collection${v.owner ? html` by <bdi>${v.owner}</bdi>` : ''}${c.public ? html` · <a href="${paths.collectionFeed(c.id)}">Atom feed</a>` : ''}</p>
${v.entries.length === 0 ? html`<p>No papers in it yet.</p>` : html`<ol class="collection-papers" start="${(v.page - 1) * v.pageSize + 1}">${v.entries.map(({ paper }) => collectionPaper(paper, c.id, mine))}</ol>`}
${pager(v.page, Math.ceil(c.papers / v.pageSize), (n) => paths.collection(c.id, n))}
${mine
    ? html`<h2>Change this collection</h2>
${form(mine, paths.collectionAction(c.id, 'rename'), html`<label for="collection-name">Name</label><input id="collection-name" name="name" type="text" required maxlength="${MAX_DISPLAY_NAME}" value="${c.name}" dir="auto"><button type="submit">Rename</button>`, 'rename')}
${form(mine, paths.collectionAction(c.id, 'visibility'), html`${hidden('public', c.public ? '0' : '1')}<button type="submit">Make ${c.public ? 'private' : 'public'}</button>`)}
${form(mine, paths.collectionAction(c.id, 'delete'), html`<label><input type="checkbox" name="sure" value="yes" required> delete it (not the papers)</label> <button type="submit">Delete</button>`)}
<p><a href="${paths.library()}">Your library</a></p>`
    : ''}
</section>`;
}

function collectionPaper(p: Paper, collectionId: string, csrf: Html | null): Html {
  return html`<li class="collection-paper">
<h2 class="paper-title"><a href="${urls.paper(p.id)}">${texLine(p.title ?? p.id)}</a></h2>
${authorLine(p.authors, 3)}
${csrf ? form(csrf, paths.collectionAction(collectionId, 'remove'), html`${hidden('paper', p.id)}<button type="submit">Remove from this collection</button>`) : ''}
</li>`;
}

/**
 * The library part of a paper's page, for a signed-in reader only (its forms carry their CSRF
 * token: the page that holds it is theirs alone, never cached nor rendered ahead). Save or unsave,
 * mark read or unread, add to or remove from each collection, or save to a new one.
 */
export function libraryControls(paperId: string, s: PaperLibraryState, csrf: Html): Html {
  const back = urls.paper(paperId);
  const p = hidden('paper', paperId);
  const b = hidden('back', back);
  return html`<section class="library-controls" aria-labelledby="library-controls-title">
<h2 id="library-controls-title">Your library</h2>
<div class="library-actions">${s.saved
    ? html`<span class="library-state">Saved${s.saved.readAt ? ' and read' : ''}.</span> ${form(csrf, paths.markRead(), html`${p}${hidden('read', s.saved.readAt ? '0' : '1')}${b}<button type="submit">Mark ${s.saved.readAt ? 'unread' : 'read'}</button>`)} ${form(csrf, paths.unsave(), html`${p}${b}<button type="submit">Unsave</button>`)}`
    : html`${form(csrf, paths.save(), html`${p}${b}<button type="submit">Save to my library</button>`)} ${form(csrf, paths.markRead(), html`${p}${hidden('read', '1')}${b}<button type="submit">Mark read</button>`)}`}</div>
${s.collections.length
    ? html`<ul class="paper-collections">${s.collections.map((c) => {
        const has = s.holding.has(c.id);
        return html`<li>${form(csrf, paths.collectionAction(c.id, has ? 'remove' : 'add'), html`${p}${b}<button type="submit">${has ? 'Remove from' : 'Add to'} <span dir="auto">${c.name}</span></button>`)}</li>`;
      })}</ul>`
    : ''}
${newCollectionForm(csrf, paperId, back)}
</section>`;
}
