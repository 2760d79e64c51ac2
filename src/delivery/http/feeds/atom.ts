/**
 * Atom 1.0 (RFC 4287). Titles and summaries are type="text", so no reader takes a title for
 * markup. The feed names Paperboy as its author, which keeps a paper without authors valid
 * (4.1.1: every entry needs an author, its own or the feed's).
 */
import type { FeedDoc, FeedEntry } from './feed.js';
import { SITE_NAME } from './feed.js';
import { el, empty, XML_DECLARATION } from './xml.js';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

function entry(e: FeedEntry): string {
  return [
    '<entry>',
    el('id', e.id),
    el('title', e.title, { type: 'text' }),
    el('updated', e.updated),
    el('published', e.published),
    empty('link', { rel: 'alternate', type: 'text/html', href: e.url }),
    empty('link', { rel: 'related', type: 'text/html', href: e.externalUrl, title: 'arXiv' }),
    empty('link', { rel: 'related', type: 'application/pdf', href: e.pdfUrl, title: 'PDF' }),
    ...(e.codeUrl ? [empty('link', { rel: 'related', href: e.codeUrl, title: 'code' })] : []),
    ...e.authors.map((a) => `<author>${el('name', a)}</author>`),
    // a reader who submitted it here is a contributor to the listing (RFC 4287 4.2.3), not an author
    ...(e.submittedBy ? [`<contributor>${el('name', e.submittedBy)}</contributor>`] : []),
    ...e.categories.map((c) => empty('category', { term: c, scheme: 'https://arxiv.org/category_taxonomy' })),
    el('summary', e.abstract, { type: 'text' }),
    '</entry>',
  ].join('\n');
}

export function renderAtom(doc: FeedDoc): string {
  return [
    XML_DECLARATION,
    `<feed xmlns="${ATOM_NAMESPACE}">`,
    el('id', doc.feedUrls.atom),
    el('title', doc.title, { type: 'text' }),
    el('subtitle', doc.description, { type: 'text' }),
    el('updated', doc.updated),
    empty('link', { rel: 'self', type: 'application/atom+xml', href: doc.feedUrls.atom }),
    empty('link', { rel: 'alternate', type: 'text/html', href: doc.homeUrl }),
    `<author>${el('name', SITE_NAME)}</author>`,
    el('generator', SITE_NAME),
    ...doc.entries.map(entry),
    '</feed>',
    '',
  ].join('\n');
}
