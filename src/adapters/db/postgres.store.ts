/**
 * The paper store on PostgreSQL: the setup for several web nodes or a big archive. Behaves as
 * the SQLite store does (the contract suites run on both); only the means differ. One pool
 * (postgres/connection.ts) shared by a part per concern (postgres/papers.ts, listings.ts,
 * related.ts, pages.ts, leases.ts); this class only puts them together behind every store port.
 */
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
import { PostgresIndex } from '../search/postgres.index.js';
import { describePgUrl, openPgPool, type PgClient } from './pg-client.js';
import { PostgresConnection } from './postgres/connection.js';
import { PostgresLeases } from './postgres/leases.js';
import { PostgresListings } from './postgres/listings.js';
import { PostgresPages } from './postgres/pages.js';
import { PostgresPapers } from './postgres/papers.js';
import { PostgresRelated } from './postgres/related.js';

/** A store on the server at url (postgres://user:pass@host:port/db). Connects on first use. */
export function openPostgresStore(url: string, pool?: { max: number; statementTimeoutMs: number }): PostgresStore {
  return new PostgresStore(openPgPool(url, pool), describePgUrl(url));
}

/** The store and its keyword index (the postings tables, on the same pool) at url. */
export function openPostgres(url: string, pool?: { max: number; statementTimeoutMs: number }): OpenedDatabase {
  return postgresDatabase(openPostgresStore(url, pool));
}

/** A store's keyword index lives in its database and shares its pool. */
export function postgresDatabase(store: PostgresStore): OpenedDatabase {
  return { store, index: new PostgresIndex(store, store.client) };
}

export class PostgresStore implements PaperStore {
  readonly dialect = 'postgres' as const;
  private readonly conn: PostgresConnection;
  private readonly papers: PostgresPapers;
  private readonly listings: PostgresListings;
  private readonly related: PostgresRelated;
  private readonly pages: PostgresPages;
  private readonly leases: PostgresLeases;

  /** `where` names the database in messages (describePgUrl: never the password). */
  constructor(db: PgClient, where: string) {
    this.conn = new PostgresConnection(db, where);
    this.papers = new PostgresPapers(this.conn);
    this.listings = new PostgresListings(this.conn);
    this.related = new PostgresRelated(this.conn);
    this.pages = new PostgresPages(this.conn);
    this.leases = new PostgresLeases(this.conn);
  }

  /** The connection, for the search index (adapters/search/postgres.index.ts), which shares it. */
  get client(): PgClient {
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
