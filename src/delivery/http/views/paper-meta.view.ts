/**
 * The <head> of a paper page: the Highwire Press citation_* tags that Google Scholar and
 * Zotero read (one citation_author per author, dates as YYYY/MM/DD), Dublin Core for the tools
 * that prefer it, Open Graph for link previews, and the canonical address.
 */
import { absUrl, pdfUrl } from '../../../core/arxiv-id.js';
import type { Paper } from '../../../core/paper.js';
import { oneLinePrefix } from '../../../core/text.js';
import { absoluteUrl, urls } from '../urls.js';
import { html, type Html } from './html.js';

const meta = (name: string, content: string | null | undefined): Html =>
  content ? html`<meta name="${name}" content="${content}">\n` : html``;

const slashed = (iso: string | null) => (iso ? iso.slice(0, 10).replace(/-/g, '/') : null);

export function paperHead(p: Paper, publicUrl: string): Html {
  const page = absoluteUrl(publicUrl, urls.paper(p.id));
  const title = p.title ?? p.id;
  const description = oneLinePrefix(p.abstract ?? '', 300);
  return html`<link rel="canonical" href="${page}">
${meta('citation_title', title)}${(p.authors ?? []).map((a) => meta('citation_author', a))}${meta('citation_date', slashed(p.submittedAt))}${meta('citation_publication_date', slashed(p.submittedAt))}${meta('citation_online_date', slashed(p.updatedAt ?? p.submittedAt))}${meta('citation_arxiv_id', p.id)}${meta('citation_pdf_url', pdfUrl(p.id))}${meta('citation_abstract_html_url', page)}${meta('citation_doi', p.doi)}${meta('citation_technical_report_institution', 'arXiv')}${meta('citation_abstract', p.abstract)}${(p.hf.aiKeywords ?? []).map((k) => meta('citation_keywords', k))}${meta('DC.title', title)}${(p.authors ?? []).map((a) => meta('DC.creator', a))}${meta('DC.date', p.submittedAt?.slice(0, 10))}${meta('DC.identifier', `arXiv:${p.id}`)}${meta('DC.identifier', p.doi ? `doi:${p.doi}` : null)}${meta('DC.relation', absUrl(p.id))}${meta('DC.type', 'Text')}<meta property="og:type" content="article">
<meta property="og:title" content="${title}">
<meta property="og:url" content="${page}">
${description ? html`<meta property="og:description" content="${description}">` : ''}`;
}
