/**
 * One paper in a listing, as the daily pages show it: title (linked), authors, the abstract
 * shortened with a "more" toggle (<details>, no script), categories, upvotes, comments, and
 * links to arXiv, the PDF and the code.
 */
import { absUrl, pdfUrl } from '../../../core/arxiv-id.js';
import { Lru } from '../../../core/lru.js';
import type { Paper } from '../../../core/paper.js';
import { urls } from '../urls.js';
import { count } from './format.js';
import { html, safeUrl, type Html } from './html.js';
import { splitAbstract, texLine, texParagraphs } from './math.js';

/** Authors shown in a listing before "+ N more". */
const MAX_AUTHORS = 6;

/**
 * `localVotes`: the paper's votes on this site (the listing's), shown beside Hugging Face's when it
 * has any. `submittedBy`: the reader who submitted it here (a name, or null for a deleted account),
 * undefined when nobody did.
 */
export function paperCard(p: Paper, rank: number, localVotes = 0, submittedBy?: string | null): Html {
  const titleId = `paper-${rank}`;
  return html`<li class="paper-item">
<article class="paper" aria-labelledby="${titleId}" data-upvotes="${p.hf.upvotes ?? 0}" data-paper="${p.id}">
<h2 class="paper-title" id="${titleId}"><a href="${urls.paper(p.id)}">${texLine(p.title ?? p.id)}</a></h2>
${authorLine(p.authors)}
${submittedBy === undefined ? '' : html`<p class="submitted-by">Submitted ${submittedBy === null ? 'here' : html`by <bdi>${submittedBy}</bdi>`}</p>`}
${abstractBlock(p)}
${paperMeta(p, localVotes)}
</article>
</li>`;
}

/**
 * Right-to-left letters (Hebrew, Arabic and the scripts between), and the marks and controls that
 * change the direction of the text after them.
 */
const BIDI = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export function authorLine(authors: string[] | null, max = MAX_AUTHORS): Html {
  if (!authors || authors.length === 0) return html``;
  const shown = authors.slice(0, max);
  const more = authors.length - shown.length;
  // a right-to-left name (or a stray override) would reorder the names and commas around it:
  // then each name is isolated, and the line keeps its order
  const names = BIDI.test(shown.join('')) ? html`${shown.map((a, i) => html`${i > 0 ? ', ' : ''}<bdi>${a}</bdi>`)}` : shown.join(', ');
  return html`<p class="authors">${names}${more > 0 ? html` <span class="muted">+ ${more} more</span>` : ''}</p>`;
}

/**
 * Abstracts as listings show them, by abstract: a paper is listed in its day, week and month, in
 * each order, and on the feeds' pages; its abstract (TeX, styles, links: about half of a listing's
 * rendering) is rendered once. 16 MB of markup at most.
 */
const abstracts = new Lru<string, Html>(20_000, 16 * 1024 * 1024, (h) => h.value.length);

function abstractBlock(p: Paper): Html {
  if (!p.abstract) return html``;
  let block = abstracts.get(p.abstract);
  if (block === undefined) abstracts.set(p.abstract, (block = renderAbstract(p.abstract)));
  return block;
}

function renderAbstract(abstract: string): Html {
  const { teaser, rest } = splitAbstract(abstract);
  if (teaser.length === 0) return html``;
  if (rest.length === 0) return html`<div class="abstract">${texParagraphs(teaser)}</div>`;
  return html`<div class="abstract">${texParagraphs(teaser)}
<details class="more"><summary><span class="more-label">more</span><span class="visually-hidden"> of the abstract</span></summary>
${texParagraphs(rest)}
</details></div>`;
}

/** Upvotes, comments, categories and the outbound links: shared by cards and search results. */
export function paperMeta(p: Paper, localVotes = 0): Html {
  const code = safeUrl(p.codeUrl);
  const upvotes = p.hf.upvotes ?? 0;
  return html`<ul class="paper-meta">
<li class="votes" title="Hugging Face upvotes"><span aria-hidden="true">&#9650;</span> ${upvotes}<span class="visually-hidden"> upvote${upvotes === 1 ? '' : 's'}</span></li>
${localVotes > 0 ? html`<li class="local-votes" title="votes on this site">${count(localVotes, 'vote')} here</li>` : ''}
${p.hf.comments ? html`<li class="comments" title="comments on Hugging Face">${count(p.hf.comments, 'comment')}</li>` : ''}
${p.categories && p.categories.length > 0 ? html`<li class="cats">${p.categories.slice(0, 4).map((c) => html`<span class="cat">${c}</span> `)}</li>` : ''}
<li><a href="${absUrl(p.id)}">arXiv<span class="visually-hidden"> page of ${p.id}</span></a></li>
<li><a href="${pdfUrl(p.id)}">PDF<span class="visually-hidden"> of ${p.id}</span></a></li>
${code ? html`<li><a href="${code}" rel="nofollow noopener">Code${p.hf.githubStars ? html` <span class="muted">&#9733; ${p.hf.githubStars}</span>` : ''}</a></li>` : ''}
</ul>`;
}
