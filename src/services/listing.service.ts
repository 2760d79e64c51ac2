/**
 * Listings: the papers of a day, an ISO week or a month, in one of the orders of
 * core/ranking.ts, a page at a time, with the nearest periods before and after that have papers
 * (so navigation never lands on an empty weekend). Web pages, feeds, the API and digests all
 * list through here: one ranking, one notion of a period.
 *
 * Ranking reads only the light signals of the whole period (id, day, upvotes, submission time),
 * then loads the one page of papers it shows.
 */
import { parseArxivId } from '../core/arxiv-id.js';
import { PaperboyError } from '../core/errors.js';
import type { Paper } from '../core/paper.js';
import { parsePeriod, periodEnd, periodOfDay, type Period } from '../core/periods.js';
import { rankPapers, type ListingOrder, type RankingSignal } from '../core/ranking.js';
import type { DayCount, ListingReads, PaperSignal } from '../ports/listing-reads.js';
import type { PaperReads } from '../ports/paper-reads.js';

export interface ListingOptions {
  order: ListingOrder;
  /** 1-based */
  page: number;
  pageSize: number;
}

export interface PeriodListing {
  period: Period;
  /** first and last day of the period (inclusive) */
  from: string;
  to: string;
  order: ListingOrder;
  page: number;
  pageSize: number;
  /** papers in the whole period */
  total: number;
  /** this page of them, in order */
  papers: Paper[];
  /** the nearest period before/after that has papers: no empty weekend pages */
  previous: Period | null;
  next: Period | null;
  /** the newest day of the period that has papers (null when it has none) */
  lastDay: string | null;
}

export class ListingService {
  constructor(private readonly store: ListingReads & PaperReads) {}

  /** The newest day that has papers; null when the store is empty. */
  latestDay(): Promise<string | null> {
    return this.store.latestDay();
  }

  /** One page of a period's papers. A malformed period throws NOT_FOUND; an empty one has total 0. */
  async listing(period: Period, opts: ListingOptions): Promise<PeriodListing> {
    const range = parsePeriod(period.kind, period.key);
    if (!range) throw new PaperboyError('NOT_FOUND', `no such ${period.kind}: ${period.key}`);
    const page = Math.max(1, Math.floor(opts.page));
    const pageSize = Math.max(1, Math.floor(opts.pageSize));
    const [signals, previous, next] = await Promise.all([
      this.store.rankingSignals(range.from, range.to),
      this.neighbour(range.period, range.from, 'before'),
      this.neighbour(range.period, range.to, 'after'),
    ]);
    const ranked = rankPapers(signals.map(toRankingSignal), opts.order, periodEnd(range.period));
    const ids = ranked.slice((page - 1) * pageSize, page * pageSize).map((s) => s.id);
    const byId = await this.store.getPapers(ids);
    return {
      ...range,
      order: opts.order,
      page,
      pageSize,
      total: ranked.length,
      papers: ids.map((id) => byId.get(id)).filter((p): p is Paper => p !== undefined),
      previous,
      next,
      lastDay: signals.reduce<string | null>((max, s) => (max === null || s.day > max ? s.day : max), null),
    };
  }

  /** A paper by any spelling of its id (version suffix, arXiv URL, old style); null when unknown. */
  async paper(idWithOptionalVersion: string): Promise<Paper | null> {
    const parsed = parseArxivId(idWithOptionalVersion);
    return parsed ? this.store.getPaper(parsed.id) : null;
  }

  /** How many papers each day of a month (YYYY-MM) has; days without papers are left out. */
  async calendar(month: string): Promise<DayCount[]> {
    const range = parsePeriod('month', month);
    return range ? this.store.dayCounts(range.from, range.to) : [];
  }

  /** Changes whenever listings may have changed: what caches and ETags key on. */
  version(): Promise<string> {
    return this.store.dataVersion();
  }

  /** The nearest period of the same kind before `from` (or after `to`) that has papers. */
  private async neighbour(period: Period, edge: string, direction: 'before' | 'after'): Promise<Period | null> {
    const day = await this.store.nearestDay(edge, direction);
    return day ? periodOfDay(period.kind, day) : null;
  }
}

function toRankingSignal(s: PaperSignal): RankingSignal {
  return { id: s.id, day: s.day, votes: s.upvotes ?? 0, submittedAt: s.submittedAt };
}
