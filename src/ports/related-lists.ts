/**
 * Similar papers computed ahead of time: what services/related.service.ts reads (papers' texts,
 * the content version) and writes (the lists), and what a paper page reads of them. Contract:
 * test/contracts/related-lists.contract.ts.
 */
import type { Paper } from '../core/paper.js';

/** What derived indexes (related papers) read of a paper. */
export interface PaperText {
  id: string;
  title: string | null;
  abstract: string | null;
}

/** What a list of links to papers shows (similar papers on a paper page): no abstract, no versions. */
export type PaperCard = Pick<Paper, 'id' | 'title' | 'authors'>;

/** A paper's related papers, best first (empty: none found). */
export interface RelatedList {
  id: string;
  related: readonly string[];
}

/** When the stored related lists were computed, and from what. */
export interface RelatedState {
  /** the contentVersion() of the papers they were computed from */
  contentVersion: string;
  computedAt: string;
  papers: number;
}

export interface RelatedLists {
  /** Live papers' titles and abstracts with ids after `afterId` ('' for the first), in id order, at most `limit`. */
  paperTexts(afterId: string, limit: number): Promise<PaperText[]>;
  /**
   * Changes whenever papers are added, changed or deleted; the same token in every process for
   * the same data (unlike dataVersion), and slower to ask: for derived indexes, not per request.
   */
  contentVersion(): Promise<string>;
  /**
   * The stored related papers of `id` that are live, best first, at most `limit`, as cards (one
   * light read, for a list of links); null when none were computed for it.
   */
  relatedCards(id: string, limit: number): Promise<PaperCard[] | null>;
  /**
   * What a paper page shows, in one read (one round trip on PostgreSQL): the paper as getPaper
   * gives it, and its related papers as relatedCards gives them.
   */
  paperPage(id: string, relatedLimit: number): Promise<{ paper: Paper; related: PaperCard[] | null } | null>;
  /** The related papers stored for `id`, best first; null when none were computed for it. */
  relatedIds(id: string): Promise<string[] | null>;
  /**
   * Stores related lists (each replaces the paper's previous list); a list of a paper that is not
   * live (deleted while it was computed) is not stored. A paper's list, and its page rendered
   * ahead, go when the paper is deleted.
   */
  saveRelated(lists: readonly RelatedList[]): Promise<void>;
  /**
   * Ends a computation of the lists: `state` remembered, and dataVersion changes (pages cached
   * with the old lists are rendered anew). Costs nothing in proportion to the archive.
   */
  finishRelated(state: RelatedState): Promise<void>;
  relatedState(): Promise<RelatedState | null>;
}
