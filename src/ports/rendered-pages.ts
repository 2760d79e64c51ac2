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

/** Queued papers taken by RenderedPages.duePages. */
export interface DuePages {
  /** those whose page is missing or stale, each with what a page rendered now is made from */
  pages: PageInputs[];
  /** the queue entries taken, stale or not: handed back to savePages once their pages are stored */
  taken: number[];
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
   * The oldest `limit` entries of the queue of papers whose page's inputs changed (their related
   * list written or changed, the paper changed or deleted, its discussion moved, or queued by
   * queuePages), with the stale pages among them as pagesToRender flags them. Nothing is taken
   * off the queue until savePages acknowledges it; a paper queued again meanwhile stays queued.
   */
  duePages(layout: string, similarLimit: number, limit: number): Promise<DuePages>;
  /** Queues these papers' pages (a reader found them stale: one of the similar papers they show changed). */
  queuePages(ids: readonly string[]): Promise<void>;
  /**
   * Stores pages rendered ahead, each replacing the paper's earlier one, and takes the `done`
   * queue entries (DuePages.taken) off the queue, in one transaction. Not a change of the
   * papers: dataVersion stays.
   */
  savePages(pages: readonly RenderedPage[], done?: readonly number[]): Promise<void>;
  /** The layout the whole archive was last walked for (finishWalk); null before the first walk. */
  walkedLayout(): Promise<string | null>;
  /** Empties the queue before a walk of the archive, which will see every change made before it. */
  startWalk(): Promise<void>;
  /** Records that every page was looked at for `layout`: from now on, the queue alone says what to render. */
  finishWalk(layout: string): Promise<void>;
  /**
   * The page rendered ahead for live paper `id` with `layout`, while the paper, its related list,
   * its discussion and the first `similarLimit` live papers of its list are still what it was
   * rendered from; null otherwise (render it on request).
   */
  storedPage(id: string, layout: string, similarLimit: number): Promise<StoredPage | null>;
}
