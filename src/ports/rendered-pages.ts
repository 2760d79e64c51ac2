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
   * Live papers with a related list whose page rendered ahead with `layout` is missing or stale
   * (its paper, related list, discussion or layout changed, or one of the first `similarLimit` live
   * papers of its list), with ids after `afterId` ('' for the first), in id order, at most `limit`; each
   * with what a page rendered now is made from. Read before the page is, so that a change in
   * between shows as stale next time, never the other way round.
   */
  pagesToRender(layout: string, similarLimit: number, afterId: string, limit: number): Promise<PageInputs[]>;
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
