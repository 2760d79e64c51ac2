/**
 * RSS 2.0 (https://www.rssboard.org/rss-specification). Titles are plain text escaped once, as
 * readers expect; the description is HTML by RSS convention, so the abstract is HTML-escaped and
 * then XML-escaped: a title or abstract holding "<script>" reaches the reader as those characters.
 * Authors go in dc:creator (RSS's own <author> wants an email address), the reader who submitted
 * the paper here in dc:contributor (as Atom's <contributor>), the feed's own URL in
 * atom:link rel="self" as the RSS Advisory Board recommends.
 */
import { esc } from '../html.js';
import type { FeedDoc, FeedEntry } from './feed.js';
import { SITE_NAME } from './feed.js';
import { el, empty, XML_DECLARATION } from './xml.js';

export const RSS_NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  dc: 'http://purl.org/dc/elements/1.1/',
};

const rfc822 = (iso: string) => new Date(iso).toUTCString();

/** The abstract as HTML paragraphs. */
export function abstractHtml(abstract: string): string {
  if (abstract.trim() === '') return '';
  return abstract
    .split(/\n\s*\n/)
    .map((p) => `<p>${esc(p.trim())}</p>`)
    .join('');
}

function item(e: FeedEntry): string {
  return [
    '<item>',
    el('title', e.title),
    el('link', e.url),
    el('guid', e.id, { isPermaLink: 'false' }),
    el('description', abstractHtml(e.abstract)),
    el('pubDate', rfc822(e.published)),
    ...e.authors.map((a) => el('dc:creator', a)),
    // the reader who submitted it here contributed to the listing, not to the paper (Dublin Core's contributor, as Atom's)
    ...(e.submittedBy ? [el('dc:contributor', e.submittedBy)] : []),
    ...e.categories.map((c) => el('category', c, { domain: 'https://arxiv.org/category_taxonomy' })),
    '</item>',
  ].join('\n');
}

export function renderRss(doc: FeedDoc): string {
  return [
    XML_DECLARATION,
    `<rss version="2.0" xmlns:atom="${RSS_NAMESPACES.atom}" xmlns:dc="${RSS_NAMESPACES.dc}">`,
    '<channel>',
    el('title', doc.title),
    el('link', doc.homeUrl),
    // HTML by RSS convention, as an item's: a search feed's holds the query, which is anyone's text
    el('description', esc(doc.description)),
    empty('atom:link', { href: doc.feedUrls.rss, rel: 'self', type: 'application/rss+xml' }),
    el('lastBuildDate', rfc822(doc.updated)),
    el('docs', 'https://www.rssboard.org/rss-specification'),
    el('generator', SITE_NAME),
    ...doc.entries.map(item),
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}
