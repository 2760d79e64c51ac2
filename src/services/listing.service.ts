/**
 * Listings: the papers of a day, an ISO week or a month, in one of the orders of
 * core/ranking.ts, a page at a time, with the nearest periods before and after that have papers
 * (so navigation never lands on an empty weekend). Web pages, feeds, the API and digests all
 * list through here: one ranking, one notion of a period.
 *
 * Ranking reads only the light signals of the whole period (id, day, upvotes, submission time)
 * and the tallies of its papers with local votes, then loads the one page of papers it shows.
 *
 * A listing leads with the curated papers (core/curated.ts: submitted, upvoted here, or featured
 * on Hugging Face), unless asked for all of the period's new papers (scope 'all'): since every
 * listing comes through here, the pages, feeds, API and digests agree on what is curated.
 */
import { parseArxivId } from '../core/arxiv-id.js';
import { PaperboyError } from '../core/errors.js';
import type { Paper } from '../core/paper.js';
import { ALL_DAYS, parsePeriod, periodEnd, periodOfDay, type Period } from '../core/periods.js';
import { curatedSelection, type CurationSignal } from '../core/curated.js';
import { blendedVotes, rankPapers, type ListingOrder } from '../core/ranking.js';
import type { DayCount, ListingReads, PaperSignal } from '../ports/listing-reads.js';
import type { PaperReads } from '../ports/paper-reads.js';
import type { SubmittedPaper } from '../ports/submissions.js';
import type { PaperTally, VoteTallies } from '../ports/votes.js';

/** What a version covers (ListingService.version). */
export type VersionScope = 'papers' | 'votes' | Period;

/** curated: the papers someone picked (filled up to a screenful on quiet days); all: every new paper */
export type ListingScope = 'curated' | 'all';

/**
 * The submissions' part in listings (ports/submissions.ts, decision 032): the papers first
 * submitted here on a day of the range, with their submitters. A submitted paper is curated, and
 * listed on the day it was submitted even when its own day is another (an older paper a reader
 * brings up today is today's news here, as on Hugging Face).
 */
export interface SubmittedPapers {
  submittedBetween(from: string, to: string): Promise<SubmittedPaper[]>;
}

export interface ListingOptions {
  order: ListingOrder;
  /** 1-based */
  page: number;
  pageSize: number;
  /** 'curated' unless said */
  scope?: ListingScope;
}

export interface PeriodListing {
  period: Period;
  /** first and last day of the period (inclusive) */
  from: string;
  to: string;
  order: ListingOrder;
  scope: ListingScope;
  page: number;
  pageSize: number;
  /** papers listed in the whole period, in this scope */
  total: number;
  /** every new paper of the period (what "all N new papers" counts) */
  allTotal: number;
  /** how many of them are curated */
  curated: number;
  /** curated papers were too few: the curated listing was filled with the best of the rest by trending */
  filled: boolean;
  /** local votes of this page's papers that have any, by id */
  votes: Record<string, number>;
  /** this page's papers submitted here in the period: the first submitter's display name (null: a deleted account) */
  submittedBy: Record<string, string | null>;
  /** this page of them, in order */
  papers: Paper[];
  /** the nearest period before/after that has papers: no empty weekend pages */
  previous: Period | null;
  next: Period | null;
  /** the newest day of the period that has papers (null when it has none) */
  lastDay: string | null;
}

export class ListingService {
  constructor(
    private readonly store: ListingReads & PaperReads,
    private readonly votes: Pick<VoteTallies, 'talliesBetween' | 'talliesOf' | 'votesVersion'>,
    private readonly submissions: SubmittedPapers | null = null,
  ) {}

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
    const scope = opts.scope ?? 'curated';
    const [signals, tallies, submitted, previous, next] = await Promise.all([
      this.store.rankingSignals(range.from, range.to),
      this.votes.talliesBetween(range.from, range.to),
      this.submissions?.submittedBetween(range.from, range.to) ?? NONE,
      this.neighbour(range.period, range.from, 'before'),
      this.neighbour(range.period, range.to, 'after'),
    ]);
    const submittedById = new Map(submitted.map((s) => [s.paperId, s]));
    const extra = await this.submittedElsewhere(signals, submitted);
    const byPaper = new Map([...tallies, ...extra.tallies].map((t) => [t.paperId, t]));
    const all = [...signals, ...extra.signals].map((s) => toCurationSignal(s, byPaper.get(s.id), submittedById.has(s.id)));
    const end = periodEnd(range.period);
    const chosen = curatedSelection(all, opts.order, end);
    const ranked = scope === 'all' ? rankPapers(all, opts.order, end) : chosen.papers;
    const shown = ranked.slice((page - 1) * pageSize, page * pageSize);
    const byId = await this.store.getPapers(shown.map((s) => s.id));
    return {
      ...range,
      order: opts.order,
      scope,
      page,
      pageSize,
      total: ranked.length,
      allTotal: all.length,
      curated: chosen.curated,
      filled: chosen.filled,
      votes: Object.fromEntries(shown.filter((s) => s.localVotes > 0).map((s) => [s.id, s.localVotes])),
      submittedBy: Object.fromEntries(shown.filter((s) => submittedById.has(s.id)).map((s) => [s.id, submittedById.get(s.id)!.submitter])),
      papers: shown.map((s) => byId.get(s.id)).filter((p): p is Paper => p !== undefined),
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

  /** The local vote counts of these papers (those without votes are left out). */
  async votesOf(ids: readonly string[]): Promise<Record<string, number>> {
    const tallies = await this.votes.talliesOf(ids);
    return Object.fromEntries([...tallies.values()].map((t) => [t.paperId, t.votes]));
  }

  /** How many papers each day of a month (YYYY-MM) has; days without papers are left out. */
  async calendar(month: string): Promise<DayCount[]> {
    const range = parsePeriod('month', month);
    return range ? this.store.dayCounts(range.from, range.to) : [];
  }

  /**
   * What caches and ETags key on (decision 028). 'papers' (the default): changes whenever the
   * papers or what is computed from them change, not with votes: for pages that show no local
   * votes. A period: that, and the votes on the period's papers: a listing, re-rendered by a vote
   * on one of its days and by no other. 'votes': that, and every vote.
   */
  async version(scope: VersionScope = 'papers'): Promise<string> {
    if (scope === 'papers') return this.store.dataVersion();
    const range = scope === 'votes' ? ALL_DAYS : parsePeriod(scope.kind, scope.key);
    const [data, votes] = await Promise.all([this.store.dataVersion(), range ? this.votes.votesVersion(range.from, range.to) : '']);
    return `${data}|${votes}`;
  }

  /**
   * The papers submitted in the period whose own day lies outside it: listed on the day of their
   * submission, with their local votes (talliesBetween counts only the period's own papers).
   */
  private async submittedElsewhere(signals: readonly PaperSignal[], submitted: readonly SubmittedPaper[]): Promise<{ signals: PaperSignal[]; tallies: PaperTally[] }> {
    const listed = new Set(signals.map((s) => s.id));
    const others = submitted.filter((s) => !listed.has(s.paperId));
    if (others.length === 0) return { signals: [], tallies: [] };
    const ids = others.map((s) => s.paperId);
    const [papers, tallies] = await Promise.all([this.store.getPapers(ids), this.votes.talliesOf(ids)]);
    const extra = others.flatMap((s): PaperSignal[] => {
      const p = papers.get(s.paperId);
      return p && !p.deleted ? [{ id: p.id, day: s.day, upvotes: p.hf.upvotes, submittedAt: p.submittedAt }] : [];
    });
    return { signals: extra, tallies: [...tallies.values()] };
  }

  /** The nearest period of the same kind before `from` (or after `to`) that has papers. */
  private async neighbour(period: Period, edge: string, direction: 'before' | 'after'): Promise<Period | null> {
    const day = await this.store.nearestDay(edge, direction);
    return day ? periodOfDay(period.kind, day) : null;
  }
}

const NONE: readonly SubmittedPaper[] = [];

function toCurationSignal(s: PaperSignal, tally: PaperTally | undefined, submittedHere: boolean): CurationSignal {
  return {
    id: s.id,
    day: s.day,
    votes: blendedVotes(s.upvotes, tally?.weight ?? 0),
    submittedAt: s.submittedAt,
    featured: s.upvotes !== null,
    localVotes: tally?.votes ?? 0,
    submittedHere,
  };
}
