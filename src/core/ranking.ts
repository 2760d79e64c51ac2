/**
 * The one ranking of listings: the web pages, the feeds and API, and the email digests all
 * order papers with rankPapers, so a reader sees the same order everywhere.
 *
 * Trending is Hacker News' rule, slowed down to the pace of daily papers:
 *
 *     score = (votes + VOTE_PRIOR) / (ageHours + AGE_OFFSET_HOURS) ^ GRAVITY
 *
 * where ageHours runs from the start of the day a paper is listed under to the reference time.
 * The reference time is the end of the listed period, not "now": a page about a past week then
 * never changes unless its votes do, so it can be cached, and it shows what was trending when
 * that week ended.
 *
 * `votes` blends the two kinds a paper has (blendedVotes, docs/decisions/028): its upvotes
 * imported from Hugging Face, and its local votes, each weighed by burst damping
 * (core/vote-weight.ts) and counted LOCAL_VOTE_WEIGHT times.
 */
import { dayStartMs } from './periods.js';
import { paperDay, type Paper } from './paper.js';

export type ListingOrder = 'trending' | 'newest' | 'upvoted';
export const LISTING_ORDERS: readonly ListingOrder[] = ['trending', 'newest', 'upvoted'];

export function isListingOrder(s: unknown): s is ListingOrder {
  return typeof s === 'string' && (LISTING_ORDERS as readonly string[]).includes(s);
}

export const TRENDING = {
  /**
   * Added to every paper's votes. Without it every paper without votes would score 0 and tie,
   * losing the freshness order among them; with it, zero-vote papers still rank newest first and
   * one vote is worth twice nothing, not infinitely more.
   */
  VOTE_PRIOR: 1,
  /**
   * Added to the age. A paper on the last day of a period is already 24 h old at the period's
   * end (ages count from the start of its day), and the offset adds a day more: the freshest
   * papers are not boosted out of proportion, and a day page (where every paper has the same
   * age) is ordered by votes alone.
   */
  AGE_OFFSET_HOURS: 24,
  /**
   * How fast votes lose weight with age. Hacker News uses 1.8 for a front page that turns over
   * in hours; listings here span a day to a month, so the decay is gentler: at 0.8 a paper from
   * the first day of a week needs about 3 times the votes of one from its last day to rank above
   * it, and one from the first day of a month about 9 times.
   */
  GRAVITY: 0.8,
  /**
   * What one local vote (at full weight) counts for, in Hugging Face upvotes. Hugging Face's
   * upvotes come from a community of many thousands that reads machine learning; a vote here
   * comes from this site's readers, fewer and closer to what the site is about, so each says more
   * about what they will want to read. Two: enough that a handful of local readers can lift a
   * paper Hugging Face never featured (most of a day's papers) past one with a few upvotes there,
   * not so much that local votes simply replace the larger community's judgement.
   */
  LOCAL_VOTE_WEIGHT: 2,
} as const;

/**
 * The votes trending counts: Hugging Face upvotes plus LOCAL_VOTE_WEIGHT times the local votes'
 * damped weight (thousandths of a vote, as the store sums them).
 */
export function blendedVotes(hfUpvotes: number | null, localWeightThousandths: number): number {
  return Math.max(0, hfUpvotes ?? 0) + (TRENDING.LOCAL_VOTE_WEIGHT * Math.max(0, localWeightThousandths)) / 1000;
}

/** What ranking needs to know about a paper. */
export interface RankingSignal {
  id: string;
  /** the day it is listed under (YYYY-MM-DD) */
  day: string;
  /** Hugging Face upvotes and damped local votes, blended (blendedVotes) */
  votes: number;
  /** first submission (ISO timestamp), when known: breaks ties, newest first */
  submittedAt: string | null;
}

const HOUR_MS = 3_600_000;

/** Hours from the start of a paper's day to the reference time (never negative). */
export function ageHours(day: string, referenceTime: Date): number {
  return Math.max(0, (referenceTime.getTime() - dayStartMs(day)) / HOUR_MS);
}

/** The trending score: votes, decayed by age (see the module comment and TRENDING). */
export function trendingScore(votes: number, ageInHours: number): number {
  const v = Math.max(0, votes) + TRENDING.VOTE_PRIOR;
  return v / Math.pow(Math.max(0, ageInHours) + TRENDING.AGE_OFFSET_HOURS, TRENDING.GRAVITY);
}

/**
 * How many times the votes of a paper `olderHours` old must exceed those of one `newerHours`
 * old for it to rank level (ignoring the prior): what the ranking page shows readers.
 */
export function votesNeededRatio(olderHours: number, newerHours: number): number {
  return trendingScore(0, newerHours) / trendingScore(0, olderHours);
}

type Compare<T> = (a: T, b: T) => number;

/** Newest first: later day, then later submission, then higher id (a later arXiv number). */
const byNewest: Compare<RankingSignal> = (a, b) =>
  cmp(b.day, a.day) || cmp(b.submittedAt ?? '', a.submittedAt ?? '') || cmp(b.id, a.id);

const byVotes: Compare<RankingSignal> = (a, b) => b.votes - a.votes;

/** Papers in the given order; a new array, the input untouched. Ties always break the same way. */
export function rankPapers<T extends RankingSignal>(items: readonly T[], order: ListingOrder, referenceTime: Date): T[] {
  if (order === 'newest') return [...items].sort(byNewest);
  if (order === 'upvoted') return [...items].sort((a, b) => byVotes(a, b) || byNewest(a, b));
  const scored = items.map((item) => ({ item, score: trendingScore(item.votes, ageHours(item.day, referenceTime)) }));
  scored.sort((a, b) => b.score - a.score || byVotes(a.item, b.item) || byNewest(a.item, b.item));
  return scored.map((s) => s.item);
}

/**
 * The signal of a loaded paper, for callers that hold whole papers (search results, digests),
 * with its local votes' damped weight in thousandths (0 when it has none).
 */
export function signalOf(p: Paper, localWeightThousandths = 0): RankingSignal & { paper: Paper } {
  return { id: p.id, day: paperDay(p) ?? '1970-01-01', votes: blendedVotes(p.hf.upvotes, localWeightThousandths), submittedAt: p.submittedAt, paper: p };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
