/**
 * What the daily, weekly and monthly listings read (services/listing.service.ts): days, their
 * papers' ranking signals, and the data version pages are cached on. Contract:
 * test/contracts/listing-reads.contract.ts.
 */
import type { Paper } from '../core/paper.js';

/** What ranking needs of a paper (core/ranking.ts), read without loading the paper. */
export interface PaperSignal {
  id: string;
  day: string;
  upvotes: number | null;
  /** ISO timestamp of v1 */
  submittedAt: string | null;
}

export interface DayCount {
  day: string;
  papers: number;
}

export interface ListingReads {
  /** The newest day that has papers, or null when the store is empty. */
  latestDay(): Promise<string | null>;
  /** Papers listed under a day, most upvoted first. */
  papersOnDay(day: string, limit: number): Promise<Paper[]>;
  /** The ranking signals of every paper listed from `from` to `to` (days, inclusive), deleted ones left out. */
  rankingSignals(from: string, to: string): Promise<PaperSignal[]>;
  /** The nearest day strictly before or after `day` that has papers, or null. */
  nearestDay(day: string, direction: 'before' | 'after'): Promise<string | null>;
  /** How many papers each day from `from` to `to` (inclusive) has; days without any are left out. */
  dayCounts(from: string, to: string): Promise<DayCount[]>;
  /**
   * A token that changes whenever a paper is written, cheap enough to ask on every request: what
   * page caches and ETags are keyed on. Opaque, and never the same token for two different
   * states of the data (it may differ between processes for the same state). Writes by this
   * process show at once, other processes' within a second. Whatever else changes what pages
   * show (comments) must change it too, except local votes: they move the version of their
   * paper's day instead (VoteTallies.votesVersion), so that a vote re-renders only the pages that
   * show its day (decision 028).
   */
  dataVersion(): Promise<string>;
}
