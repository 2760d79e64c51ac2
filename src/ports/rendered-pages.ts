/**
 * Paper pages rendered ahead of reading (decision 009): what delivery/http/pages-ahead.ts
 * renders and stores, and what a paper page request reads back (delivery/http/page-render.ts).
 * Contract: test/contracts/rendered-pages.contract.ts.
 */

/** What a paper page rendered ahead is made from: while these stay, the page does (decision 009). */
export interface PageInputs {
  id: string;
  /** the paper's modification time, as the store keeps it */
  modified: string;
  /** its related list, as the store keeps it */
  related: string;
  /** the newest modification time among the similar papers its page shows; null when none */
  similarModified: string | null;
  /** its discussion's version (Comments.discussionState: 0 while it has none) */
  discussion: number;
}

/** A window of papers looked at by RenderedPages.pagesToRender. */
export interface PageWindow {
  /** the papers of the window whose page is missing or stale */
  pages: PageInputs[];
  /** the last paper looked at; null when the window was empty (the walk is over) */
  through: string | null;
}

/** A paper page rendered ahead: its inputs, the renderer's layout fingerprint, an ETag, the Brotli body. */
export interface RenderedPage extends PageInputs {
  layout: string;
  etag: string;
  body: Buffer;
}

/** A stored page as a request gets it. */
export interface StoredPage {
  etag: string;
  /** the page, Brotli-compressed */
  body: Buffer;
}

export interface RenderedPages {
  /**
   * Of the next `scan` live papers with a related list after `afterId` ('' for the first), in id
   * order, those whose page rendered ahead with `layout` is missing or stale (its paper, related
   * list, discussion or layout changed, or one of the first `similarLimit` live papers of its
   * list), each with what a page rendered now is made from; and `through`, the last paper looked
   * at, where the next window starts (null when none was left). A window is a bounded piece of
   * work whatever the archive holds: the whole archive up to date was one statement (13.7 s at
   * 200,000 papers on SQLite, on the thread that answers requests). Read before the page is, so
   * that a change in between shows as stale next time, never the other way round.
   */
  pagesToRender(layout: string, similarLimit: number, afterId: string, scan: number): Promise<PageWindow>;
  /**
   * Stores pages rendered ahead, each replacing the paper's earlier one. Not a change of the
   * papers: dataVersion stays.
   */
  savePages(pages: readonly RenderedPage[]): Promise<void>;
  /**
   * The page rendered ahead for live paper `id` with `layout`, while the paper, its related list
   * and its discussion are still what it was rendered from; null otherwise (render it on request).
   */
  storedPage(id: string, layout: string): Promise<StoredPage | null>;
}
