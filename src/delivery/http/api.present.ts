/**
 * What the API answers: the stored Paper, a period listing and search results turned into the
 * public JSON shapes of api.schemas.ts, with absolute links built on PUBLIC_URL. Pure functions,
 * so the shapes are unit-tested without a server.
 */
import { absUrl, pdfUrl } from '../../core/arxiv-id.js';
import { paperDay, type Paper } from '../../core/paper.js';
import type { PeriodListing } from '../../services/listing.service.js';
import type { SearchResults } from '../../services/search.service.js';
import type { ListingQuery, SearchQuery } from './api.params.js';
import type { FeedLinks, PublicPaper } from './api.schemas.js';
import { absoluteUrl, urls, type FeedFormat, type Period } from './urls.js';

/** `votes`: the paper's local vote count (ListingService.votesOf, or a listing's `votes`). */
export function presentPaper(p: Paper, base: string, votes = 0): PublicPaper {
  return {
    id: p.id,
    version: p.latestVersion,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors ?? [],
    categories: p.categories ?? [],
    submittedAt: p.submittedAt,
    updatedAt: p.updatedAt,
    day: paperDay(p),
    comments: p.comments,
    journalRef: p.journalRef,
    doi: p.doi,
    license: p.license,
    links: {
      html: absoluteUrl(base, urls.paper(p.id)),
      api: absoluteUrl(base, urls.apiPaper(p.id)),
      abs: absUrl(p.id),
      pdf: pdfUrl(p.id),
      code: p.codeUrl,
      project: p.projectUrl,
    },
    hf: {
      upvotes: p.hf.upvotes,
      comments: p.hf.comments,
      githubStars: p.hf.githubStars,
      aiKeywords: p.hf.aiKeywords ?? [],
      aiSummary: p.hf.aiSummary,
      featuredOn: p.hf.featuredOn,
    },
    // this site's own votes; Hugging Face's are hf.upvotes (decision 028)
    votes,
    versions: p.versions.map((v) => ({ version: v.version, submittedAt: v.submittedAt, size: v.size })),
    deleted: p.deleted,
  };
}

const FORMATS: FeedFormat[] = ['rss', 'atom', 'json'];

function feedLinks(base: string, path: (f: FeedFormat) => string): FeedLinks {
  const [rss, atom, json] = FORMATS.map((f) => absoluteUrl(base, path(f))) as [string, string, string];
  return { rss, atom, json };
}

function periodRef(p: Period | null, base: string) {
  return p && { kind: p.kind, key: p.key, href: absoluteUrl(base, urls.apiPeriod(p)) };
}

export function presentListing(l: PeriodListing, q: ListingQuery, base: string) {
  const { period } = l;
  const lastPage = Math.max(1, Math.ceil(l.total / q.pageSize));
  const at = (page: number) => absoluteUrl(base, urls.apiPeriod(period, { order: q.order, page, pageSize: q.pageSize }));
  return {
    period: {
      kind: period.kind,
      key: period.key,
      from: l.from,
      to: l.to,
      previous: periodRef(l.previous, base),
      next: periodRef(l.next, base),
    },
    order: q.order,
    page: q.page,
    pageSize: q.pageSize,
    total: l.total,
    papers: l.papers.map((p) => presentPaper(p, base, l.votes[p.id] ?? 0)),
    submittedBy: l.submittedBy,
    links: {
      self: at(q.page),
      first: at(1),
      last: at(lastPage),
      prev: q.page > 1 ? at(Math.min(q.page - 1, lastPage)) : null,
      next: q.page < lastPage ? at(q.page + 1) : null,
      html: absoluteUrl(base, urls.period(period, q.order)),
      feeds: feedLinks(base, (f) => urls.periodFeed(period, f)),
    },
  };
}

export function presentSearch(
  r: Pick<SearchResults, 'q' | 'total' | 'hits' | 'notice'> & Partial<Pick<SearchResults, 'mode' | 'fallback' | 'totalIsEstimate'>>,
  q: SearchQuery,
  base: string,
  votes: Record<string, number> = {},
) {
  const estimate = r.totalIsEstimate === true;
  // links keep the mode asked for: a fallback is this response's, not the reader's choice
  const at = (offset: number) => absoluteUrl(base, urls.apiSearch(q.q, { mode: q.mode, sort: q.sort, limit: q.limit, offset }));
  const feedOpts = { mode: q.mode };
  return {
    q: r.q,
    mode: r.mode ?? q.mode,
    requestedMode: q.mode,
    fallback: r.fallback ?? null,
    sort: q.sort,
    total: r.total,
    totalIsEstimate: estimate,
    limit: q.limit,
    offset: q.offset,
    notice: r.notice,
    hits: r.hits.map((h) => ({
      paper: presentPaper(h.paper, base, votes[h.paper.id] ?? 0),
      score: h.score,
      match: h.match,
      titleHtml: h.titleHtml,
      snippetHtml: h.snippetHtml,
      closestSentence: h.closestSentence,
    })),
    links: {
      self: at(q.offset),
      prev: q.offset > 0 ? at(Math.max(0, Math.min(q.offset - q.limit, r.total - q.limit))) : null,
      // an estimated total may overshoot: a short page is the last one whatever it says
      next: q.offset + q.limit < r.total && (!estimate || r.hits.length === q.limit) ? at(q.offset + q.limit) : null,
      html: absoluteUrl(base, urls.search(q.q, { sort: q.sort, ...feedOpts })),
      feeds: feedLinks(base, (f) => urls.searchFeed(q.q, f, feedOpts)),
    },
  };
}
