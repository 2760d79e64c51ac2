/**
 * Every URL the site links to, built in one place so pages, feeds and the API agree.
 */
import type { Period } from '../../core/periods.js';

export type { Period };
export type FeedFormat = 'rss' | 'atom' | 'json';

const PERIOD_PATH = { day: 'date', week: 'week', month: 'month' } as const;

/** The community's addresses (issue 13, decision 031): votes, comment actions, members' pages. */
export const communityUrls = {
  /** the vote toggle of a paper (a form POST, or a fetch asking for JSON) */
  vote: (paperId: string) => `/papers/${paperId}/vote`,
  /** edit, delete or report one comment (form POSTs) */
  commentAction: (paperId: string, commentId: number, action: 'edit' | 'delete' | 'report') => `/papers/${paperId}/comments/${commentId}/${action}`,
  /** a member's public profile */
  member: (accountId: string) => `/users/${encodeURIComponent(accountId)}`,
  /** the API's vote of a paper (POST casts, DELETE withdraws; a personal access token) */
  apiVote: (paperId: string) => `/api/v1/papers/${paperId}/vote`,
};

export const urls = {
  /** the newest day; ?order= and ?page= as for period() */
  home: (order?: string, page?: number, scope?: string) =>
    `/${query({ order: order === 'trending' ? undefined : order, page: page && page > 1 ? page : undefined, all: scope === 'all' ? 1 : undefined })}`,
  /** /papers/date/2026-06-30, /papers/week/2026-W27, /papers/month/2026-06 */
  /**
   * the default order (trending), the first page and the curated scope are left out, so each
   * listing has one URL; ?all=1 lists every new paper of the period (decision 028)
   */
  period: (p: Period, order?: string, page?: number, scope?: string) =>
    `/papers/${PERIOD_PATH[p.kind]}/${p.key}${query({ order: order === 'trending' ? undefined : order, page: page && page > 1 ? page : undefined, all: scope === 'all' ? 1 : undefined })}`,
  /** the newest week or month with papers (a redirect), for the site's navigation */
  latestPeriod: (kind: 'week' | 'month') => `/papers/${kind}`,
  paper: (id: string) => `/papers/${id}`,
  /** where the comment form posts (PRODUCT.md: a `body` field and the CSRF token) */
  comments: (paperId: string) => `/papers/${paperId}/comments`,
  /** one comment on its paper's page */
  comment: (paperId: string, commentId: number) => `/papers/${paperId}#comment-${commentId}`,
  /** the moderators' queue of reported comments, and the decisions posted from it */
  moderation: () => '/moderation',
  moderate: (commentId: number, action: 'hide' | 'restore') => `/moderation/comments/${commentId}/${action}`,
  /** /search?q=…&sort=date&page=2 (relevance and page 1 left out) */
  search: (q: string, opts: SearchOpts & { page?: number } = {}) =>
    `/search${query({ q, mode: opts.mode === 'hybrid' ? undefined : opts.mode, sort: opts.sort === 'relevance' ? undefined : opts.sort, page: opts.page && opts.page > 1 ? opts.page : undefined })}`,
  about: () => '/about/ranking',
  theme: () => '/theme',
  subscribe: () => '/subscribe',
  /** the site's own static files (public/), and KaTeX's stylesheet and fonts */
  asset: (file: string) => `/static/${file}`,
  /** /feeds/date/2026-06-30.rss, /feeds/week/2026-W27.atom, /feeds/month/2026-06.json */
  periodFeed: (p: Period, format: FeedFormat) => `/feeds/${PERIOD_PATH[p.kind]}/${p.key}.${format}`,
  /** the newest day, whatever it is: what a feed reader subscribes to */
  latestFeed: (format: FeedFormat) => `/feeds/latest.${format}`,
  searchFeed: (q: string, format: FeedFormat, opts: SearchOpts = {}) =>
    `/feeds/search.${format}${query({ q, ...opts, mode: opts.mode === 'hybrid' ? undefined : opts.mode })}`,
  apiPaper: (id: string) => `/api/v1/papers/${id}`,
  /** /api/v1/papers/date/2026-06-30?order=newest&page=2&pageSize=50 */
  apiPeriod: (p: Period, opts: { order?: string; page?: number; pageSize?: number } = {}) =>
    `/api/v1/papers/${PERIOD_PATH[p.kind]}/${p.key}${query(opts)}`,
  apiSearch: (q: string, opts: SearchOpts & { limit?: number; offset?: number } = {}) => `/api/v1/search${query({ q, ...opts })}`,
  openapi: () => '/api/openapi.json',
};

interface SearchOpts {
  mode?: string;
  sort?: string;
}

/** `?a=1&b=2` of the parameters that are set, in the order given; '' when none is. */
function query(params: Record<string, string | number | undefined>): string {
  const set = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return set.length === 0 ? '' : `?${new URLSearchParams(set.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}

/** An absolute URL on the public address (PUBLIC_URL), which may carry a path prefix of its own. */
export function absoluteUrl(publicUrl: string, path: string): string {
  return publicUrl.replace(/\/+$/, '') + path;
}
