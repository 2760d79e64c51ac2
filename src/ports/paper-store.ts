/**
 * The paper store, as the services need it. Adapters: SQLite (adapters/db/sqlite.store.ts) and
 * PostgreSQL (adapters/db/postgres.store.ts); one contract suite (test/paper-store.contract.ts)
 * runs against both.
 */
import type { Paper, SourceName } from '../core/paper.js';

export interface PaperWrite {
  paper: Paper;
  /** the day the paper is listed under on daily pages (core/paper.ts paperDay) */
  day: string | null;
}

/** A record applied (or found to change nothing): remembered so that re-ingesting it is cheap. */
export interface RecordSeen {
  id: string;
  source: SourceName;
  hash: string;
}

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

export interface StoreStats {
  papers: number;
  versions: number;
  deleted: number;
  /** papers each source has contributed to */
  bySource: Partial<Record<SourceName, number>>;
  withHfSignals: number;
  firstDay: string | null;
  lastDay: string | null;
  schemaVersion: number;
}

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

/** What a paper page rendered ahead is made from: while these stay, the page does (decision 009). */
export interface PageInputs {
  id: string;
  /** the paper's modification time, as the store keeps it */
  modified: string;
  /** its related list, as the store keeps it */
  related: string;
  /** the newest modification time among the similar papers its page shows; null when none */
  similarModified: string | null;
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

/** When the stored related lists were computed, and from what. */
export interface RelatedState {
  /** the contentVersion() of the papers they were computed from */
  contentVersion: string;
  computedAt: string;
  papers: number;
}

/** Writes, only inside a transaction. */
export interface PaperTx {
  /** The hash of the last record applied from `source`, by paper id, for those of `ids` that have one. */
  loadHashes(ids: readonly string[], source: SourceName): Promise<Map<string, string>>;
  /** The stored papers among `ids`. */
  loadPapers(ids: readonly string[]): Promise<Map<string, Paper>>;
  /** Inserts or replaces the given papers and records the hashes of the records seen. */
  savePapers(writes: readonly PaperWrite[], seen: readonly RecordSeen[]): Promise<void>;
  /** Remembers where a harvest source stopped (any JSON value). */
  setCursor(source: string, cursor: unknown): Promise<void>;
}

export interface PaperStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies pending migrations; refuses (DB_TOO_NEW) a database migrated by newer code. */
  migrate(): Promise<{ from: number; to: number }>;
  /** Runs fn in one transaction: everything it wrote is kept only if it resolves. Transactions run one at a time. */
  transaction<T>(fn: (tx: PaperTx) => Promise<T>): Promise<T>;
  getPaper(id: string): Promise<Paper | null>;
  getCursor(source: string): Promise<unknown>;
  /** The newest day that has papers, or null when the store is empty. */
  latestDay(): Promise<string | null>;
  /** Papers listed under a day, most upvoted first. */
  papersOnDay(day: string, limit: number): Promise<Paper[]>;
  /** The ranking signals of every paper listed from `from` to `to` (days, inclusive), deleted ones left out. */
  rankingSignals(from: string, to: string): Promise<PaperSignal[]>;
  /** The stored papers among `ids` (deleted ones included: a paper page still answers for them). */
  getPapers(ids: readonly string[]): Promise<Map<string, Paper>>;
  /** The nearest day strictly before or after `day` that has papers, or null. */
  nearestDay(day: string, direction: 'before' | 'after'): Promise<string | null>;
  /** How many papers each day from `from` to `to` (inclusive) has; days without any are left out. */
  dayCounts(from: string, to: string): Promise<DayCount[]>;
  /**
   * A token that changes whenever a paper is written, cheap enough to ask on every request: what
   * page caches and ETags are keyed on. Opaque, and never the same token for two different
   * states of the data (it may differ between processes for the same state). Writes by this
   * process show at once, other processes' within a second. Whatever else changes what pages
   * show (votes, comments) must change it too.
   */
  dataVersion(): Promise<string>;
  stats(): Promise<StoreStats>;
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
  /** Stores related lists (each replaces the paper's previous list). */
  saveRelated(lists: readonly RelatedList[]): Promise<void>;
  /**
   * Ends a computation of every list: lists of papers no longer live are dropped, `state`
   * remembered, and dataVersion changes (pages cached with the old lists are rendered anew).
   */
  finishRelated(state: RelatedState): Promise<void>;
  relatedState(): Promise<RelatedState | null>;
  /**
   * Live papers with a related list whose page rendered ahead with `layout` is missing or stale
   * (its paper, related list or layout changed, or one of the first `similarLimit` live papers of
   * its list), with ids after `afterId` ('' for the first), in id order, at most `limit`; each
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
   * The page rendered ahead for live paper `id` with `layout`, while the paper and its related
   * list are still what it was rendered from; null otherwise (render it on request).
   */
  storedPage(id: string, layout: string): Promise<StoredPage | null>;
  /**
   * Takes the named lease for `seconds` when nobody holds it or the holder's time has run out,
   * or extends it when `holder` holds it already; true when `holder` holds it now. A lease keeps
   * a job every node schedules (the harvest, the related papers) to one node at a time. Timed by
   * the database's clock, so the nodes' clocks need not agree. Changes no data version.
   */
  takeLease(name: string, holder: string, seconds: number): Promise<boolean>;
  /** Gives the named lease up, if `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** Answers when the database does (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
