/**
 * The curated day (issue 13, docs/decisions/028): which of a period's new papers its pages lead
 * with. The one decision every listing makes through ListingService (web pages, feeds, the API,
 * email digests), so that they agree on it.
 *
 * A paper is curated when someone picked it: submitted here, upvoted here, or featured on Hugging
 * Face's daily papers. The rest of the day's arrivals (often hundreds of papers at ▲0) stay one
 * click away, under "all new papers". A small instance may have too few curated papers to make a
 * page; then the page shows the top of all new papers by trending instead, and says so.
 */
import { rankPapers, type ListingOrder, type RankingSignal } from './ranking.js';

export const CURATED = {
  /**
   * Fewer curated papers than this, and the selection is filled up to it with the best of the
   * rest by trending (and says so). Ten: about a screen of papers, what Hugging Face's own daily
   * page shows on its quietest days.
   */
  MIN_PAPERS: 10,
} as const;

/** What curation needs of a paper, beside its ranking signal. */
export interface CurationSignal extends RankingSignal {
  /**
   * Hugging Face featured it. Read as "Hugging Face gave it an upvote count" (0 included): the
   * daily papers are the only source of one, and every record they list carries it.
   */
  featured: boolean;
  /** local votes it has now */
  localVotes: number;
  /** submitted by a reader of this site (the submissions feature sets it; false until then) */
  submittedHere: boolean;
}

export function isCurated(s: CurationSignal): boolean {
  return s.submittedHere || s.localVotes > 0 || s.featured;
}

export interface CuratedSelection<T> {
  /** the papers the period leads with, in the order asked for */
  papers: T[];
  /** how many of the period's papers are curated */
  curated: number;
  /** there were fewer than `minimum` curated papers: the rest of `papers` is the best of all new ones by trending */
  filled: boolean;
}

/**
 * The curated papers of a period, in `order`; with fewer than `minimum`, the curated ones and the
 * best of the others by trending up to `minimum`, then all in `order`.
 */
export function curatedSelection<T extends CurationSignal>(
  all: readonly T[],
  order: ListingOrder,
  referenceTime: Date,
  minimum: number = CURATED.MIN_PAPERS,
): CuratedSelection<T> {
  const curated = all.filter(isCurated);
  if (curated.length >= minimum || curated.length === all.length) return { papers: rankPapers(curated, order, referenceTime), curated: curated.length, filled: false };
  const others = rankPapers(
    all.filter((s) => !isCurated(s)),
    'trending',
    referenceTime,
  ).slice(0, minimum - curated.length);
  return { papers: rankPapers([...curated, ...others], order, referenceTime), curated: curated.length, filled: true };
}
