/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). Written by hand because the `feed`
 * package only writes version 1.0. The abstract goes in content_text (plain text), the PDF
 * as an attachment, the arXiv page as external_url; who submitted a paper here in the item's
 * `_paperboy.submitted_by` (a custom field, which the spec asks to start with "_").
 */
import type { FeedDoc, FeedEntry } from './feed.js';
import { SITE_NAME } from './feed.js';

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

export interface JsonFeedItem {
  id: string;
  url: string;
  external_url: string;
  title: string;
  content_text: string;
  date_published: string;
  date_modified: string;
  authors: { name: string }[];
  tags: string[];
  attachments: { url: string; mime_type: string; title: string }[];
  /** this site's extension (JSON Feed's custom fields start with "_"): who submitted the paper here */
  _paperboy?: PaperboyExtension;
}

export interface PaperboyExtension {
  /** the reader who submitted the paper here (decision 032): a display name, null once their account was deleted */
  submitted_by: string | null;
}

export interface JsonFeed {
  version: typeof JSON_FEED_VERSION;
  title: string;
  home_page_url: string;
  feed_url: string;
  description: string;
  authors: { name: string }[];
  items: JsonFeedItem[];
}

function item(e: FeedEntry): JsonFeedItem {
  return {
    id: e.id,
    url: e.url,
    external_url: e.externalUrl,
    title: e.title,
    content_text: e.abstract,
    date_published: e.published,
    date_modified: e.updated,
    authors: e.authors.map((name) => ({ name })),
    tags: e.categories,
    attachments: [{ url: e.pdfUrl, mime_type: 'application/pdf', title: 'PDF' }],
    ...(e.submittedBy !== undefined ? { _paperboy: { submitted_by: e.submittedBy } } : {}),
  };
}

export function jsonFeed(doc: FeedDoc): JsonFeed {
  return {
    version: JSON_FEED_VERSION,
    title: doc.title,
    home_page_url: doc.homeUrl,
    feed_url: doc.feedUrls.json,
    description: doc.description,
    authors: [{ name: SITE_NAME }],
    items: doc.entries.map(item),
  };
}

export function renderJsonFeed(doc: FeedDoc): string {
  return JSON.stringify(jsonFeed(doc));
}
