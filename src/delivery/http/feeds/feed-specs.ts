/**
 * What each feed is called and where it lives: the latest day, a day, a week, a month, a search.
 * The links keep the feed's parameters, so a feed's self link is the URL it was fetched from.
 */
import type { Order, SearchFeedQuery } from '../api.params.js';
import { urls, type FeedFormat, type Period } from '../urls.js';
import { SITE_NAME, type FeedSpec } from './feed.js';

const ORDER_TEXT: Record<Order, string> = { trending: 'trending first', newest: 'newest first', upvoted: 'most upvoted first' };
const KIND_TEXT = { day: '', week: 'week ', month: 'month ' } as const;

const withOrder = (path: string, order: Order) => (order === 'trending' ? path : `${path}?order=${order}`);

export function periodFeedSpec(period: Period, from: string, order: Order): FeedSpec {
  return {
    title: `${SITE_NAME}: papers of ${KIND_TEXT[period.kind]}${period.key}`,
    description: `Research papers of ${KIND_TEXT[period.kind]}${period.key}, ${ORDER_TEXT[order]}.`,
    homePath: urls.period(period, order),
    feedPath: (f: FeedFormat) => withOrder(urls.periodFeed(period, f), order),
    emptyDate: from,
  };
}

/** The newest day's papers, whichever day that is; `day` is null while there are no papers at all. */
export function latestFeedSpec(day: string | null, order: Order): FeedSpec {
  return {
    title: `${SITE_NAME}: latest papers`,
    description: day ? `Research papers of the newest day (${day}), ${ORDER_TEXT[order]}.` : 'No papers yet.',
    homePath: urls.home(),
    feedPath: (f: FeedFormat) => withOrder(urls.latestFeed(f), order),
    emptyDate: day ?? '1970-01-01',
  };
}

export function searchFeedSpec(q: SearchFeedQuery): FeedSpec {
  // the mode is kept unless it is the default (urls leaves hybrid out)
  const opts = { mode: q.mode, ...(q.sort === 'date' ? {} : { sort: q.sort }) };
  return {
    title: `${SITE_NAME}: search for ${q.q}`,
    description: `Research papers matching ${q.q}, ${q.sort === 'date' ? 'newest' : 'best match'} first.`,
    homePath: urls.search(q.q, { sort: q.sort, mode: q.mode }),
    feedPath: (f: FeedFormat) => urls.searchFeed(q.q, f, opts),
    emptyDate: '1970-01-01',
  };
}
