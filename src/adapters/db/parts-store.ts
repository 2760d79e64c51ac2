/**
 * A store as both dialects build it: one connection and a part per concern (papers, listings,
 * related lists, pages rendered ahead, leases), put together behind every store port. Each
 * dialect's store (sqlite.store.ts, postgres.store.ts) only makes its parts; the delegation is
 * written once, here, so that a method added to a port is wired in one place for both.
 */
import type { Paper } from '../../core/paper.js';
import type { MigrationStep } from '../../ports/store-lifecycle.js';
import type {
  DayCount,
  JobLeases,
  DuePages,
  PageWindow,
  PaperCard,
  PaperSignal,
  PaperStore,
  PaperText,
  PaperTx,
  RelatedList,
  RelatedLists,
  RelatedState,
  RenderedPage,
  RenderedPages,
  StoredPage,
  StoreStats,
} from '../../ports/paper-store.js';

export interface StoreParts {
  conn: Pick<PaperStore, 'migrate' | 'stats' | 'ping' | 'close' | 'dataVersion'>;
  papers: Pick<PaperStore, 'transaction' | 'getPaper' | 'getPapers' | 'getCursor'>;
  listings: Pick<PaperStore, 'latestDay' | 'papersOnDay' | 'rankingSignals' | 'nearestDay' | 'dayCounts'>;
  related: RelatedLists;
  pages: RenderedPages;
  leases: JobLeases;
}

export abstract class PartsStore implements PaperStore {
  abstract readonly dialect: PaperStore['dialect'];

  constructor(private readonly parts: StoreParts) {}

  // lifecycle and status
  migrate = (onStep?: (step: MigrationStep) => void): Promise<{ from: number; to: number }> => this.parts.conn.migrate(onStep);
  stats = (): Promise<StoreStats> => this.parts.conn.stats();
  ping = (): Promise<void> => this.parts.conn.ping();
  close = (): Promise<void> => this.parts.conn.close();

  // the ingest writer, papers by id, harvest cursors
  transaction<T>(fn: (tx: PaperTx) => Promise<T>): Promise<T> {
    return this.parts.papers.transaction(fn);
  }
  getPaper = (id: string): Promise<Paper | null> => this.parts.papers.getPaper(id);
  getPapers = (ids: readonly string[]): Promise<Map<string, Paper>> => this.parts.papers.getPapers(ids);
  getCursor = (source: string): Promise<unknown> => this.parts.papers.getCursor(source);

  // listings
  latestDay = (): Promise<string | null> => this.parts.listings.latestDay();
  papersOnDay = (day: string, limit: number): Promise<Paper[]> => this.parts.listings.papersOnDay(day, limit);
  rankingSignals = (from: string, to: string): Promise<PaperSignal[]> => this.parts.listings.rankingSignals(from, to);
  nearestDay = (day: string, direction: 'before' | 'after'): Promise<string | null> => this.parts.listings.nearestDay(day, direction);
  dayCounts = (from: string, to: string): Promise<DayCount[]> => this.parts.listings.dayCounts(from, to);
  dataVersion = (): Promise<string> => this.parts.conn.dataVersion();

  // related lists
  paperTexts = (afterId: string, limit: number): Promise<PaperText[]> => this.parts.related.paperTexts(afterId, limit);
  contentVersion = (): Promise<string> => this.parts.related.contentVersion();
  relatedCards = (id: string, limit: number): Promise<PaperCard[] | null> => this.parts.related.relatedCards(id, limit);
  paperPage = (id: string, relatedLimit: number): Promise<{ paper: Paper; related: PaperCard[] | null } | null> =>
    this.parts.related.paperPage(id, relatedLimit);
  relatedIds = (id: string): Promise<string[] | null> => this.parts.related.relatedIds(id);
  saveRelated = (lists: readonly RelatedList[]): Promise<void> => this.parts.related.saveRelated(lists);
  finishRelated = (state: RelatedState): Promise<void> => this.parts.related.finishRelated(state);
  relatedState = (): Promise<RelatedState | null> => this.parts.related.relatedState();

  // pages rendered ahead
  pagesToRender = (layout: string, similarLimit: number, afterId: string, scan: number): Promise<PageWindow> =>
    this.parts.pages.pagesToRender(layout, similarLimit, afterId, scan);
  duePages = (layout: string, similarLimit: number, limit: number): Promise<DuePages> => this.parts.pages.duePages(layout, similarLimit, limit);
  queuePages = (ids: readonly string[]): Promise<void> => this.parts.pages.queuePages(ids);
  savePages = (pages: readonly RenderedPage[], done?: readonly number[]): Promise<void> => this.parts.pages.savePages(pages, done);
  walkedLayout = (): Promise<string | null> => this.parts.pages.walkedLayout();
  startWalk = (): Promise<void> => this.parts.pages.startWalk();
  finishWalk = (layout: string): Promise<void> => this.parts.pages.finishWalk(layout);
  storedPage = (id: string, layout: string, similarLimit: number): Promise<StoredPage | null> => this.parts.pages.storedPage(id, layout, similarLimit);

  // job leases
  takeLease = (name: string, holder: string, seconds: number): Promise<boolean> => this.parts.leases.takeLease(name, holder, seconds);
  releaseLease = (name: string, holder: string): Promise<void> => this.parts.leases.releaseLease(name, holder);
  leaseLeft = (name: string): Promise<number | null> => this.parts.leases.leaseLeft(name);
}
