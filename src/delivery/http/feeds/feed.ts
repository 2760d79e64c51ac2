/**
 * One neutral feed, built from a listing or a search, that the RSS, Atom and JSON Feed writers
 * each render: so the three formats always carry the same items, links and dates.
 *
 * Item ids are the paper's arXiv abstract URL without version (https://arxiv.org/abs/2405.15738):
 * stable across versions, days, feeds and Paperboy sites, and a valid Atom IRI.
 */
import { absUrl, pdfUrl } from '../../../core/arxiv-id.js';
import { paperDay, type Paper } from '../../../core/paper.js';
import { texPlainText } from '../../../core/tex-plain.js';
import { absoluteUrl, urls, type FeedFormat } from '../urls.js';

export const SITE_NAME = 'Paperboy';
/** Items in one feed: a month has more papers, but a reader wants the best of them, not all. */
export const FEED_SIZE = 100;

export interface FeedEntry {
  id: string;
  title: string;
  /** the paper's page on this site */
  url: string;
  /** the paper on arXiv */
  externalUrl: string;
  pdfUrl: string;
  codeUrl: string | null;
  authors: string[];
  categories: string[];
  /** plain text, paragraphs separated by a blank line */
  abstract: string;
  /** ISO timestamps */
  published: string;
  updated: string;
  /** the reader who submitted it here (decision 032): a name, null for a deleted account; absent when nobody did */
  submittedBy?: string | null;
}

export interface FeedDoc {
  title: string;
  description: string;
  /** the HTML page the feed mirrors */
  homeUrl: string;
  /** this feed in each format */
  feedUrls: Record<FeedFormat, string>;
  /** ISO timestamp: the newest item's, so that an unchanged feed renders byte for byte the same */
  updated: string;
  entries: FeedEntry[];
}

/** A timestamp as ISO-8601, or null when it is missing or not a date. */
function iso(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/**
 * A paper as a feed item. Its date is the day it is listed under (the day a listing and its feed
 * show it on), not the day it was first submitted: a paper submitted in May and featured in June
 * is June's news to a reader. Its title is plain text, as readers show it: simple TeX read as
 * Unicode (M$^3$Eval is M³Eval).
 */
export function feedEntry(p: Paper, base: string, fallbackDate: string): FeedEntry {
  const published = iso(paperDay(p)) ?? fallbackDate;
  const modified = iso(p.updatedAt);
  return {
    id: absUrl(p.id),
    title: p.title ? texPlainText(p.title) : p.id,
    url: absoluteUrl(base, urls.paper(p.id)),
    externalUrl: absUrl(p.id),
    pdfUrl: pdfUrl(p.id),
    codeUrl: p.codeUrl,
    authors: p.authors ?? [],
    categories: p.categories ?? [],
    abstract: p.abstract ?? '',
    published,
    // never before it was published: a version from before its listing day changed nothing since
    updated: modified && modified > published ? modified : published,
  };
}

export interface FeedSpec {
  title: string;
  description: string;
  homePath: string;
  feedPath: (f: FeedFormat) => string;
  /** when the feed has no items: the start of its period, say */
  emptyDate: string;
}

/** `submittedBy`: the listing's submitters by paper id (PeriodListing.submittedBy), for the entries that have one. */
export function buildFeed(spec: FeedSpec, papers: Paper[], base: string, submittedBy: Readonly<Record<string, string | null>> = {}): FeedDoc {
  const fallback = iso(spec.emptyDate) ?? new Date(0).toISOString();
  const entries = papers.map((p) => {
    const e = feedEntry(p, base, fallback);
    return p.id in submittedBy ? { ...e, submittedBy: submittedBy[p.id] ?? null } : e;
  });
  const updated = entries.reduce((max, e) => (e.updated > max ? e.updated : max), fallback);
  const url = (f: FeedFormat) => absoluteUrl(base, spec.feedPath(f));
  return {
    title: spec.title,
    description: spec.description,
    homeUrl: absoluteUrl(base, spec.homePath),
    feedUrls: { rss: url('rss'), atom: url('atom'), json: url('json') },
    updated,
    entries,
  };
}
