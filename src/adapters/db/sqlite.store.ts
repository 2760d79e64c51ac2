/**
 * The paper store on an embedded SQLite file (better-sqlite3, WAL): the one-machine setup. One
 * connection (sqlite/connection.ts) shared by a part per concern (sqlite/papers.ts, listings.ts,
 * related.ts, pages.ts, leases.ts); this class only puts them together behind every store port.
 */
import type Database from 'better-sqlite3';
import type { Paper } from '../../core/paper.js';
import type {
  DayCount,
  OpenedDatabase,
  PageInputs,
  PaperCard,
  PaperSignal,
  PaperStore,
  PaperText,
  PaperTx,
  RelatedList,
  RelatedState,
  RenderedPage,
  StoredPage,
  StoreStats,
} from '../../ports/paper-store.js';
import { SqliteFtsIndex } from '../search/sqlite-fts.index.js';
import { SqliteConnection, type SqliteStoreOptions } from './sqlite/connection.js';
import { SqliteLeases } from './sqlite/leases.js';
import { SqliteListings } from './sqlite/listings.js';
import { SqlitePages } from './sqlite/pages.js';
import { SqlitePapers } from './sqlite/papers.js';
import { SqliteRelated } from './sqlite/related.js';

export type { SqliteStoreOptions };

/** The store on the file at path and its keyword index (FTS5, in the same file, on the same connection). */
export function openSqlite(path: string, opts: SqliteStoreOptions = {}): OpenedDatabase {
  return sqliteDatabase(new SqliteStore(path, opts));
}

/** A store's keyword index lives in its file and shares its connection. */
export function sqliteDatabase(store: SqliteStore): OpenedDatabase {
  return { store, index: new SqliteFtsIndex(store, store.connection) };
}

export class SqliteStore implements PaperStore {
  readonly dialect = 'sqlite' as const;
  private readonly conn: SqliteConnection;
  private readonly papers: SqlitePapers;
  private readonly listings: SqliteListings;
  private readonly related: SqliteRelated;
  private readonly pages: SqlitePages;
  private readonly leases: SqliteLeases;

  constructor(path: string, opts: SqliteStoreOptions = {}) {
    this.conn = new SqliteConnection(path, opts);
    this.papers = new SqlitePapers(this.conn);
    this.listings = new SqliteListings(this.conn);
    this.related = new SqliteRelated(this.conn, this.papers);
    this.pages = new SqlitePages(this.conn);
    this.leases = new SqliteLeases(this.conn);
  }

  /** The connection, for the search index (adapters/search/sqlite-fts.index.ts), which shares it. */
  get connection(): Database.Database {
    return this.conn.db;
  }

  // lifecycle and status
  migrate = (): Promise<{ from: number; to: number }> => this.conn.migrate();
  stats = (): Promise<StoreStats> => this.conn.stats();
  ping = (): Promise<void> => this.conn.ping();
  close = (): Promise<void> => this.conn.close();

  // the ingest writer, papers by id, harvest cursors
  transaction<T>(fn: (tx: PaperTx) => Promise<T>): Promise<T> {
    return this.papers.transaction(fn);
  }
  getPaper = (id: string): Promise<Paper | null> => this.papers.getPaper(id);
  getPapers = (ids: readonly string[]): Promise<Map<string, Paper>> => this.papers.getPapers(ids);
  getCursor = (source: string): Promise<unknown> => this.papers.getCursor(source);

  // listings
  latestDay = (): Promise<string | null> => this.listings.latestDay();
  papersOnDay = (day: string, limit: number): Promise<Paper[]> => this.listings.papersOnDay(day, limit);
  rankingSignals = (from: string, to: string): Promise<PaperSignal[]> => this.listings.rankingSignals(from, to);
  nearestDay = (day: string, direction: 'before' | 'after'): Promise<string | null> => this.listings.nearestDay(day, direction);
  dayCounts = (from: string, to: string): Promise<DayCount[]> => this.listings.dayCounts(from, to);
  dataVersion = (): Promise<string> => this.conn.dataVersion();

  // related lists
  paperTexts = (afterId: string, limit: number): Promise<PaperText[]> => this.related.paperTexts(afterId, limit);
  contentVersion = (): Promise<string> => this.related.contentVersion();
  relatedCards = (id: string, limit: number): Promise<PaperCard[] | null> => this.related.relatedCards(id, limit);
  paperPage = (id: string, relatedLimit: number): Promise<{ paper: Paper; related: PaperCard[] | null } | null> =>
    this.related.paperPage(id, relatedLimit);
  relatedIds = (id: string): Promise<string[] | null> => this.related.relatedIds(id);
  saveRelated = (lists: readonly RelatedList[]): Promise<void> => this.related.saveRelated(lists);
  finishRelated = (state: RelatedState): Promise<void> => this.related.finishRelated(state);
  relatedState = (): Promise<RelatedState | null> => this.related.relatedState();

  // pages rendered ahead
  pagesToRender = (layout: string, similarLimit: number, afterId: string, limit: number): Promise<PageInputs[]> =>
    this.pages.pagesToRender(layout, similarLimit, afterId, limit);
  savePages = (pages: readonly RenderedPage[]): Promise<void> => this.pages.savePages(pages);
  storedPage = (id: string, layout: string): Promise<StoredPage | null> => this.pages.storedPage(id, layout);

  // job leases
  takeLease = (name: string, holder: string, seconds: number): Promise<boolean> => this.leases.takeLease(name, holder, seconds);
  releaseLease = (name: string, holder: string): Promise<void> => this.leases.releaseLease(name, holder);
}
