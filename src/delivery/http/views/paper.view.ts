/**
 * A paper's own page: every piece of metadata, the version history, BibTeX, links out, the
 * Hugging Face signals, similar papers. Citation metadata for Zotero and Google Scholar is in
 * paper-meta.view.ts.
 */
import { absUrl, formatArxivId, pdfUrl } from '../../../core/arxiv-id.js';
import { bibtex } from '../../../core/bibtex.js';
import type { Paper } from '../../../core/paper.js';
import { knownVersions, paperDay } from '../../../core/paper.js';
import type { PaperCard } from '../../../ports/related-lists.js';
import { urls } from '../urls.js';
import { count, mediumDay } from './format.js';
import { html, safeUrl, trusted, type Html } from './html.js';
import { texLine, texParagraphs, texProse } from './math.js';
import { authorLine } from './paper-card.view.js';

export interface PaperPageData {
  paper: Paper;
  /** the version the address named (2405.15738v1), when it named one */
  requestedVersion: number | null;
  similar: PaperCard[];
  /** the discussion section (comments.view.ts); null where comments are off */
  discussion?: Html | null;
  /** the viewer's vote control (viewer-part.view.ts); null where votes are off */
  viewer?: Html | null;
  /** the signed-in viewer's own part (library.view.ts libraryControls): only on a page rendered for them */
  viewerPart?: Html | null;
}

export function paperMain({ paper: p, requestedVersion, similar, discussion, viewer, viewerPart }: PaperPageData): Html {
  return html`<article class="paper-page" aria-labelledby="paper-title">
${notices(p, requestedVersion)}
<p class="paper-id"><a href="${absUrl(p.id)}">arXiv:${formatArxivId(p.id, p.latestVersion)}</a>${p.categories?.[0] ? html` <span class="cat">${p.categories[0]}</span>` : ''}</p>
<h1 id="paper-title">${texLine(p.title ?? p.id)}</h1>
${authorLine(p.authors, Infinity)}
${actions(p)}
${viewer ?? ''}
${viewerPart ?? ''}
${p.abstract ? html`<section aria-labelledby="abstract-title"><h2 id="abstract-title">Abstract</h2><div class="abstract">${texParagraphs(p.abstract.split(/\n\s*\n/))}</div></section>` : ''}
${huggingFace(p)}
${details(p)}
${versions(p)}
<section aria-labelledby="cite-title"><h2 id="cite-title">Cite</h2>
<div class="bibtex"><pre tabindex="0" aria-label="BibTeX entry"><code id="bibtex">${bibtex(p)}</code></pre><button type="button" class="copy" data-copy="bibtex" hidden>Copy BibTeX</button></div>
</section>
${similarPapers(similar)}
${discussion ?? ''}
</article>`;
}

/** The 404 of an address naming a version the paper does not have: links to those it has. */
export function missingVersionMain(p: Paper, requested: number): Html {
  const known = knownVersions(p);
  return html`<section class="notice" aria-labelledby="nf-title">
<h1 id="nf-title">No version ${requested}</h1>
<p>${formatArxivId(p.id, null)} has no version ${requested} here; its versions are:</p>
<ul class="notice-links">${known.map((v) => html`<li><a href="${urls.paper(formatArxivId(p.id, v))}">${formatArxivId(p.id, v)}</a></li>`)}
<li><a href="${urls.paper(p.id)}">the paper's page (newest version)</a></li></ul>
</section>`;
}

function notices(p: Paper, requested: number | null): Html {
  const out: Html[] = [];
  if (p.deleted) out.push(html`<p class="notice">This paper has been withdrawn from arXiv's listings; what was last known of it is kept here.</p>`);
  if (requested !== null && p.latestVersion !== null && requested !== p.latestVersion)
    out.push(html`<p class="notice">You asked for version ${requested}; this page shows the newest, version ${p.latestVersion}. <a href="${absUrl(formatArxivId(p.id, requested))}">Version ${requested} on arXiv</a>.</p>`);
  return html`${out}`;
}

function actions(p: Paper): Html {
  const code = safeUrl(p.codeUrl);
  const project = safeUrl(p.projectUrl);
  const votes = p.hf.upvotes ?? 0;
  return html`<ul class="paper-actions">
<li><a class="button" href="${pdfUrl(p.id)}">PDF</a></li>
<li><a class="button" href="${absUrl(p.id)}">arXiv page</a></li>
${code ? html`<li><a class="button" href="${code}" rel="nofollow noopener">Code${p.hf.githubStars ? html` · &#9733; ${p.hf.githubStars}` : ''}</a></li>` : ''}
${project ? html`<li><a class="button" href="${project}" rel="nofollow noopener">Project page</a></li>` : ''}
<li class="votes" data-upvotes="${votes}" title="Hugging Face upvotes"><span aria-hidden="true">&#9650;</span> ${count(votes, 'upvote')}</li>
${p.hf.comments ? html`<li class="comments">${count(p.hf.comments, 'comment')}</li>` : ''}
</ul>`;
}

function huggingFace(p: Paper): Html {
  const { aiSummary, aiKeywords, featuredOn } = p.hf;
  if (!aiSummary && !aiKeywords?.length && !featuredOn) return html``;
  return html`<section aria-labelledby="hf-title"><h2 id="hf-title">On Hugging Face</h2>
${featuredOn ? html`<p>Featured in the daily papers of <a href="${urls.period({ kind: 'day', key: featuredOn })}">${mediumDay(featuredOn)}</a> · <a href="https://huggingface.co/papers/${p.id}">discussion</a></p>` : ''}
${aiSummary ? html`<p class="ai-summary"><span class="label">AI summary:</span> ${texProse(aiSummary)}</p>` : ''}
${aiKeywords?.length ? html`<p class="keywords"><span class="label">AI keywords:</span> ${aiKeywords.map((k) => html`<a class="keyword" href="${urls.search(k)}">${k}</a> `)}</p>` : ''}
</section>`;
}

function details(p: Paper): Html {
  const doi = p.doi ? safeUrl(`https://doi.org/${encodeURI(p.doi)}`) : null;
  const license = safeUrl(p.license);
  const day = paperDay(p);
  const rows: [string, Html | string | null][] = [
    ['arXiv id', formatArxivId(p.id, p.latestVersion)],
    ['Categories', p.categories?.length ? html`${p.categories.map((c, i) => html`<span class="cat${i === 0 ? ' primary' : ''}">${c}</span> `)}` : null],
    ['Submitted', p.submittedAt ? mediumDay(p.submittedAt.slice(0, 10)) : null],
    ['Last revised', p.updatedAt && p.updatedAt !== p.submittedAt ? mediumDay(p.updatedAt.slice(0, 10)) : null],
    ['Listed', day ? html`<a href="${urls.period({ kind: 'day', key: day })}">${mediumDay(day)}</a>` : null],
    ['Comments', p.comments ? texProse(p.comments) : null],
    ['Journal reference', p.journalRef],
    ['DOI', p.doi ? (doi ? html`<a href="${doi}">${p.doi}</a>` : p.doi) : null],
    ['Report number', p.reportNo],
    ['Licence', p.license ? (license ? html`<a href="${license}" rel="license">${p.license}</a>` : p.license) : null],
    ['Submitted by', p.submitter],
  ];
  return html`<section aria-labelledby="details-title"><h2 id="details-title">Details</h2>
<dl class="details">${rows.filter(([, v]) => v !== null).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
</section>`;
}

/** An em dash for an empty cell, as a character reference (see the theme icons in layout.ts). */
const DASH = trusted('&mdash;');

function versions(p: Paper): Html {
  if (p.versions.length === 0) return html``;
  return html`<section aria-labelledby="versions-title"><h2 id="versions-title">Versions</h2>
<table class="versions"><thead><tr><th scope="col">Version</th><th scope="col">Submitted</th><th scope="col">Size</th></tr></thead>
<tbody>${[...p.versions].reverse().map(
    (v) => html`<tr><th scope="row"><a href="${absUrl(formatArxivId(p.id, v.version))}">v${v.version}</a></th><td>${v.submittedAt ? html`<time datetime="${v.submittedAt}">${mediumDay(v.submittedAt.slice(0, 10))}</time>` : DASH}</td><td>${v.size ?? DASH}</td></tr>`,
  )}</tbody></table>
</section>`;
}

function similarPapers(similar: PaperCard[]): Html {
  if (similar.length === 0) return html``;
  return html`<section aria-labelledby="similar-title"><h2 id="similar-title">Similar papers</h2>
<ul class="similar">${similar.map((s) => html`<li><a href="${urls.paper(s.id)}">${texLine(s.title ?? s.id)}</a>${authorLine(s.authors, 3)}</li>`)}</ul>
</section>`;
}
