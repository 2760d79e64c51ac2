/**
 * The search page: the query form, the result count, highlighted results, pagination, and an
 * empty state that says what to try next. Titles and snippets are highlighted here, from the
 * paper and the query, by the same core/highlight.ts the search service uses for the API's
 * titleHtml and snippetHtml, but as parts: the math is typeset as in the listings and the words
 * around it are marked.
 */
import { highlightParts, highlightSpec, snippetParts, type HighlightSpec } from '../../../core/highlight.js';
import type { Paper } from '../../../core/paper.js';
import { parseQuery } from '../../../core/query.js';
import { urls } from '../urls.js';
import { count } from './format.js';
import { html, type Html } from './html.js';
import { alternateFeeds } from './layout.js';
import { texHighlight } from './math.js';
import { pager } from './pager.view.js';
import { authorLine, paperMeta } from './paper-card.view.js';
import { subscribeForm } from './subscription.view.js';
import { MAX_TOPIC_LENGTH } from '../../../services/subscription-input.js';

export type SearchSort = 'relevance' | 'date';

export type SearchMode = 'keyword' | 'semantic' | 'hybrid';
export const PAGE_MODES: ReadonlyArray<{ mode: SearchMode; label: string }> = [
  { mode: 'hybrid', label: 'Words and meaning' },
  { mode: 'keyword', label: 'Words' },
  { mode: 'semantic', label: 'Meaning' },
];

/** A result: the page highlights the paper's title and abstract itself (the service's HTML strings are for the API). */
export interface SearchHitView {
  paper: Paper;
  /** why it matched (keyword when not said) */
  match?: 'keyword' | 'semantic' | 'both';
  /** for a hit found by meaning only: its abstract's sentence closest to the query */
  closestSentence?: string | null;
}

export interface SearchPageData {
  q: string;
  /** the mode asked for: kept in the switch, the page links, the feeds and the alert form */
  mode: SearchMode;
  /** why the results are not of that mode ("Searched by keywords only: …"); null when they are */
  fallback: string | null;
  sort: SearchSort;
  page: number;
  pageSize: number;
  total: number;
  /** total is an estimate: "about 12,000 papers" */
  totalIsEstimate: boolean;
  hits: SearchHitView[];
  /** what the search engine wants the reader to know (a term it ignored, say) */
  notice: string | null;
  /** search is not set up, or failed on this query */
  problem: 'failed' | null;
}

export function searchMain(d: SearchPageData, subscriptionsOn: boolean): Html {
  return html`<section class="search-page" aria-labelledby="search-title">
<h1 id="search-title">${d.q ? html`Results for “<bdi>${d.q}</bdi>”` : 'Search papers'}</h1>
${searchForm(d)}
${d.fallback ? html`<p class="notice search-fallback" role="status">${d.fallback}</p>` : ''}
${d.notice ? html`<p class="notice" role="status">${d.notice}</p>` : ''}
${body(d)}
${d.q.trim() ? html`<aside class="search-alert" aria-label="Email alert">${subscribeForm({ id: 'alert', enabled: subscriptionsOn, title: 'Alert me about new papers like these', topic: d.q.slice(0, MAX_TOPIC_LENGTH), topicOpen: true, mode: d.mode })}</aside>` : ''}
</section>`;
}

function searchForm(d: SearchPageData): Html {
  return html`<form class="search-form" role="search" aria-label="Search again" action="/search" method="get">
<label for="search-q">Words, "a phrase", author:Name, cat:cs.CL, year:2025</label>
<span class="row"><input id="search-q" name="q" type="search" value="${d.q}" dir="auto" maxlength="2000">
<label for="search-sort" class="visually-hidden">Sort by</label>
<select id="search-sort" name="sort"><option value="relevance"${d.sort === 'relevance' ? ' selected' : ''}>Best match</option><option value="date"${d.sort === 'date' ? ' selected' : ''}>Newest</option></select>
<button type="submit">Search</button></span>
${modeSwitch(d.mode)}
</form>`;
}

/** Radio buttons: a switch that works without JavaScript (the form submits the mode) and reads as a group. */
function modeSwitch(mode: SearchMode): Html {
  return html`<fieldset class="search-modes">
<legend>Search by</legend>
${PAGE_MODES.map(
  (m) => html`<label><input type="radio" name="mode" value="${m.mode}"${m.mode === mode ? ' checked' : ''}> ${m.label}</label>`,
)}
</fieldset>`;
}

function body(d: SearchPageData): Html {
  if (d.problem === 'failed') return html`<p class="empty-state">This search could not be run. Try fewer or simpler words, without special characters.</p>`;
  if (!d.q.trim()) return tips('Type a few words to search titles, abstracts and authors.');
  if (d.total === 0) return tips(html`No papers match “<bdi>${d.q}</bdi>”.`);
  const pages = Math.ceil(d.total / d.pageSize);
  const first = (d.page - 1) * d.pageSize + 1;
  if (d.hits.length === 0)
    return html`<div class="empty-state"><p>There ${d.total === 1 ? 'is' : 'are'} only ${about(d)}${count(d.total, 'result')}; this page is past the last one.</p>
<p><a href="${pageUrl(d, pages)}">Go to the last page (${pages.toLocaleString('en-US')})</a></p></div>`;
  const spec = highlightSpec(parseQuery(d.q));
  return html`<p class="listing-count" role="status">${about(d)}${count(d.total, 'paper')} · ${first}–${first + d.hits.length - 1} shown</p>
<ol class="papers search-results" start="${first}">${d.hits.map((h, i) => hit(h, first + i, spec))}</ol>
${pager(d.page, pages, (n) => pageUrl(d, n), 'Result pages')}
${feedLinks(d.q, d.mode)}`;
}

/** An estimated total is said as one (the index counts exactly only when that is cheap). */
const about = (d: SearchPageData) => (d.totalIsEstimate ? 'about ' : '');

const pageUrl = (d: SearchPageData, page: number) => urls.search(d.q, { sort: d.sort, mode: d.mode, page });

/** The search's feeds, newest first: a feed reader then brings each new paper that matches. */
function feedLinks(q: string, mode: SearchMode): Html {
  const at = (f: 'rss' | 'atom' | 'json') => urls.searchFeed(q, f, { mode });
  return html`<p class="search-feeds">Follow this search, newest first: <a href="${at('rss')}">RSS</a> · <a href="${at('atom')}">Atom</a> · <a href="${at('json')}">JSON Feed</a></p>`;
}

/** <link rel=alternate> for a search's feeds, for <head>; nothing for an empty query. */
export function searchFeedHead(q: string, mode: SearchMode = 'hybrid'): Html {
  return q.trim() ? alternateFeeds(`Search for ${q.slice(0, 80)}`, (f) => urls.searchFeed(q, f, { mode })) : html``;
}

function hit(h: SearchHitView, rank: number, spec: HighlightSpec): Html {
  const id = `result-${rank}`;
  return html`<li class="paper-item"><article class="paper" aria-labelledby="${id}">
<h2 class="paper-title" id="${id}"><a href="${urls.paper(h.paper.id)}">${texHighlight(highlightParts(h.paper.title ?? h.paper.id, spec))}</a></h2>
${authorLine(h.paper.authors)}
${h.match === 'semantic' ? byMeaning(h) : html`<p class="snippet">${texHighlight(snippetParts(h.paper.abstract, spec))}</p>`}
${paperMeta(h.paper)}
</article></li>`;
}

/** A hit found by meaning alone: said so, with the abstract's sentence closest to the query (or its opening). */
function byMeaning(h: SearchHitView): Html {
  const none = highlightSpec(parseQuery(''));
  const text = h.closestSentence ?? h.paper.abstract;
  return html`<p class="snippet"><span class="match-note">Similar in meaning${h.closestSentence ? ':' : ''}</span> ${texHighlight(snippetParts(text, none))}</p>`;
}

function tips(lead: Html | string): Html {
  return html`<div class="empty-state">
<p>${lead}</p>
<ul>
<li>Check the spelling, or try other words: a paper needs one of them, and the more it has, the higher it ranks.</li>
<li>Put a phrase in quotes: <a href="${urls.search('"language model"')}">"language model"</a>.</li>
<li>Narrow by author, category or year: <a href="${urls.search('author:Hinton')}">author:Hinton</a>, <a href="${urls.search('cat:cs.CL retrieval')}">cat:cs.CL retrieval</a>, <a href="${urls.search('year:2025 diffusion')}">year:2025 diffusion</a>.</li>
<li>Or browse the <a href="${urls.home()}">latest papers</a>.</li>
</ul>
</div>`;
}

