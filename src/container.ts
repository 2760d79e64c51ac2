/**
 * The composition root: the only place that picks concrete adapters. Every mode of the binary
 * (serve, ingest, harvest, stats, migrate) builds the same container from the same config;
 * `stats` and `search`, which need only the database and its reading services, open just those
 * (openMigratedDatabase, readServices) and never load the sources and their HTTP client
 * (container-live.ts, imported when a whole container is made).
 */
import { openDatabase } from './adapters/db/open-store.js';
import type { ArxivApiQuery } from './adapters/sources/arxiv-api.source.js';
import type { Config } from './config.js';
import type { ListingReads } from './ports/listing-reads.js';
import type { PaperReads } from './ports/paper-reads.js';
import type { AccountPorts, Inbox, OpenedDatabase, PaperStore } from './ports/paper-store.js';
import type { RelatedLists } from './ports/related-lists.js';
import type { SearchIndex } from './ports/search-index.js';
import type { MigrationStep } from './ports/store-lifecycle.js';
import type { Votes, VoteTallies } from './ports/votes.js';
import { HarvestService } from './services/harvest.service.js';
import { IngestService } from './services/ingest.service.js';
import { ListingService, type SubmittedPapers } from './services/listing.service.js';
import { RelatedService } from './services/related.service.js';
import { SearchService, type SearchServiceOptions } from './services/search.service.js';
import { pooledReads } from './adapters/read-pool/pooled-reads.js';
import { ReadPool } from './adapters/read-pool/read-pool.js';
import { availableParallelism } from 'node:os';
import { SLOW_READS, type SiteReads } from './services/site-reads.js';
import { givenNeighbours, MoreNeighboursNeeded, type SemanticRetriever } from './services/semantic-retriever.js';
import { CommentService } from './services/comment.service.js';
import { LibraryService } from './services/library.service.js';
import { SubmissionService } from './services/submission.service.js';

export interface Container {
  config: Config;
  /** every store port, for the commands that own the store's life (stats, migrate, serve's leases) */
  store: PaperStore;
  /** the inbox's ports (issue 11): subscriptions, the digest outbox, the link signing keys */
  inbox: Inbox;
  /** the papers' vectors per embedder, and the trained models (issue 12) */
  vectors: OpenedDatabase['vectors'];
  /** comments on papers and their moderation (issue 13) */
  comments: CommentService;
  /** readers' accounts, sign-in tokens and sessions (issue 13) */
  accounts: AccountPorts;
  /** papers submitted by readers, fetched from the arXiv API when not stored (issue 13) */
  submissions: SubmissionService;
  /** readers' saved papers and collections (issue 13) */
  library: LibraryService;
  /** readers' passkeys (issue 13, decision 034) */
  passkeys: OpenedDatabase['passkeys'];
  /** local votes: cast through VoteService, tallied for the listings (issue 13) */
  votes: Votes;
  /** what an operator watches: index backlog, leases, last harvests (issue 14) */
  operations: OpenedDatabase['operations'];
  /**
   * search by meaning, once a command opened the embeddings runtime (container-embeddings.ts:
   * serve does); topic alerts match by meaning through it when it is ready
   */
  semantic?: SemanticRetriever;
  ingest: IngestService;
  harvest: HarvestService;
  listing: ListingService;
  search: SearchService;
  /** similar papers, computed ahead of time (refresh after the search index) */
  related: RelatedService;
  /** what the site reads through: on worker threads when serving (the same services otherwise) */
  site: SiteReads;
  /** fetches one URL politely (arXiv hosts get arXiv's pacing) */
  fetchUrl(url: string): Promise<Buffer>;
  /** an arXiv API query, paged */
  arxivQuery(searchQuery: string, maxResults: number | null): ArxivApiQuery;
  close(): Promise<void>;
}

export interface ContainerOptions {
  /** the --db option; overrides PAPERBOY_DATABASE_URL */
  db?: string | undefined;
  log?: (message: string) => void;
  /**
   * the process serves the site: the store is tuned for many small reads (openDatabase's
   * `serving`) and the site reads on worker threads (`site`)
   */
  serving?: boolean;
  /** the command may create the database where there is none (openDatabase's `create`) */
  create?: boolean;
  /** the command reads a little and exits: stats, search (openDatabase's `brief`) */
  brief?: boolean;
  /** the vectors semantic and hybrid search read (the embeddings runtime); none: keyword only */
  semantic?: SemanticRetriever;
  /** told of each migration just before it is applied (the command line says so on a terminal) */
  onMigration?: (step: MigrationStep) => void;
}

/**
 * The database the options name (--db, else PAPERBOY_DATABASE_URL), its schema brought up to
 * date: the dialect's factory builds the store and the search index that shares its connection.
 */
export async function openMigratedDatabase(config: Config, opts: ContainerOptions = {}): Promise<OpenedDatabase> {
  const db = await openDatabase(opts.db ?? config.PAPERBOY_DATABASE_URL, {
    serving: opts.serving ?? false,
    create: opts.create ?? false,
    brief: opts.brief ?? false,
  });
  try {
    await db.store.migrate(opts.onMigration);
  } catch (e) {
    await db.store.close();
    throw e;
  }
  return db;
}

export async function createContainer(config: Config, opts: ContainerOptions = {}): Promise<Container> {
  const log = opts.log ?? (() => {});
  const dbUrl = opts.db ?? config.PAPERBOY_DATABASE_URL;
  const db = await openMigratedDatabase(config, opts);
  const { store } = db;
  const { ArxivApiQuery, PoliteHttpClient, SystemClock, fetchArxivRecord, harvestSources } = await import('./container-live.js');
  const clock = new SystemClock();
  const userAgent = `Paperboy/0.1 (+${config.PUBLIC_URL}${config.PAPERBOY_CONTACT_EMAIL ? `; mailto:${config.PAPERBOY_CONTACT_EMAIL}` : ''})`;
  const client = (minIntervalMs: number) =>
    new PoliteHttpClient({
      userAgent,
      minIntervalMs,
      maxRetries: config.PAPERBOY_HTTP_MAX_RETRIES,
      maxRetryAfterMs: config.PAPERBOY_MAX_RETRY_AFTER_MS,
      timeoutMs: config.PAPERBOY_HTTP_TIMEOUT_MS,
      clock,
      log,
    });
  const arxivHttp = client(config.PAPERBOY_ARXIV_INTERVAL_MS);
  const hfHttp = client(config.PAPERBOY_HF_INTERVAL_MS);
  const ingest = new IngestService(store);
  const sources = harvestSources(config, arxivHttp, hfHttp, clock.now());
  const local = readServices(db, opts.semantic);
  let pool: ReadPool | null = null;
  try {
    pool = opts.serving && dbUrl !== ':memory:' ? await openReadPool(config, dbUrl, store.dialect, log) : null;
  } catch (e) {
    await store.close();
    throw e;
  }

  return {
    config,
    store,
    inbox: db.inbox,
    vectors: db.vectors,
    comments: new CommentService(db.comments, store),
    accounts: db.accounts,
    submissions: new SubmissionService({
      submissions: db.submissions,
      papers: store,
      ingest,
      fetchRecord: (id) => fetchArxivRecord(arxivHttp, id, config.PAPERBOY_ARXIV_API_URL),
      perDay: config.PAPERBOY_SUBMISSIONS_PER_DAY,
      now: () => clock.now(),
    }),
    library: new LibraryService({ library: db.library, papers: store, accounts: db.accounts, now: () => clock.now() }),
    passkeys: db.passkeys,
    votes: db.votes,
    operations: db.operations,
    ingest,
    harvest: new HarvestService(store, ingest, sources, log),
    ...local,
    site: pool ? siteOnPool(pool, store.dialect, local, opts.semantic) : local,
    async fetchUrl(url) {
      const http = new URL(url).hostname.endsWith('arxiv.org') ? arxivHttp : hfHttp;
      return (await http.get(url)).body;
    },
    arxivQuery: (searchQuery, maxResults) =>
      new ArxivApiQuery({
        name: 'arxiv-api',
        baseUrl: config.PAPERBOY_ARXIV_API_URL,
        searchQuery,
        pageSize: 100,
        maxResults,
        sortBy: 'submittedDate',
        sortOrder: 'descending',
        http: arxivHttp,
      }),
    async close() {
      await pool?.close();
      await store.close();
    },
  };
}

/**
 * The read workers of `serve` (docs/decisions/010), unless set: one that keeps to listings and
 * paper pages, and one per core for searches, so that concurrent searches use every core.
 */
function openReadPool(config: Config, db: string, dialect: PaperStore['dialect'], log: (m: string) => void): Promise<ReadPool> {
  return ReadPool.open({
    db,
    size: config.PAPERBOY_READ_WORKERS || availableParallelism() + 1,
    budgetMs: config.PAPERBOY_QUERY_TIMEOUT_MS,
    // SQLite answers one statement at a time per connection; PostgreSQL works while a worker waits
    callsPerWorker: dialect === 'sqlite' ? 1 : 4,
    connections: 4,
    slow: SLOW_READS,
    // SQLite's work is this process's CPU: searches yield it to the event loop (decision 010)
    slowNice: dialect === 'sqlite' ? 10 : 0,
    log,
  });
}

/** The site's reads on the pool; on SQLite this thread also keeps the keyword index current. */
function siteOnPool(
  pool: ReadPool,
  dialect: PaperStore['dialect'],
  local: Pick<Container, 'listing' | 'search'>,
  semantic: SemanticRetriever | undefined,
): SiteReads {
  let indexing: Promise<unknown> | null = null;
  let lastIndexing = 0;
  // a slice of 500 papers costs ~15 ms here; at most one every 2 s, so a stream of searches during
  // another process's ingest never keeps this thread busy
  const afterSearch = () => {
    if (indexing || Date.now() - lastIndexing < 2000) return;
    lastIndexing = Date.now();
    indexing = local.search
      .refresh(500)
      .catch(() => undefined)
      .finally(() => (indexing = null));
  };
  const site = pooledReads(pool, { version: (scope) => local.listing.version(scope), ...(dialect === 'sqlite' ? { afterSearch } : {}) });
  if (!semantic) return site;
  // semantic and hybrid search find the query's neighbours here, where the vectors are, and run
  // the rest (keyword ranking, filters, fusion, the page) in one call on the pool; every keyword
  // search runs whole there (docs/decisions/024)
  const call = <T>(method: keyof KeywordReads, ...args: unknown[]) => pool.call('keyword', method, args) as Promise<T>;
  const search = new SearchService(
    { search: (req) => call('search', req), rank: (req) => call('rank', req), filterIds: (ids, query) => call('filterIds', ids, query), refresh: (n) => local.search.refresh(n) },
    { getPapers: (ids) => call('getPapers', ids) },
    { semantic, keyword: (req) => site.search.search(req), meaning: (req, given) => call('meaning', req, given) },
  );
  return { ...site, search: { search: (req) => search.search(req).finally(() => dialect === 'sqlite' && afterSearch()) } };
}

/** What semantic and hybrid search read of the store, on the read pool when serving. */
export type KeywordReads = Pick<SearchIndex, 'search' | 'rank' | 'filterIds'> &
  Pick<PaperReads, 'getPapers'> &
  Pick<ListingReads, 'rankingSignals'> &
  Required<Pick<SearchServiceOptions, 'meaning'>>;

/** The ports the read services take: a store's listing, paper and related reads, and its search index. */
export interface ReadPorts {
  store: ListingReads & PaperReads & RelatedLists;
  index: SearchIndex;
  /** local votes' tallies: ranking and the curated day (issue 13) */
  votes: VoteTallies;
  /** papers submitted here: the curated day leads with them (issue 13); absent: none counts as submitted */
  submissions?: SubmittedPapers;
}

/** What the site reads through: listings, keyword search and related papers (sharing one index). */
export function readServices(
  { store, index, votes, submissions }: ReadPorts,
  semantic?: SemanticRetriever,
): Pick<Container, 'listing' | 'search' | 'related'> & Pick<SiteReads, 'signals'> & { keyword: KeywordReads } {
  return {
    listing: new ListingService(store, votes, submissions ?? null),
    search: new SearchService(index, store, semantic ? { semantic } : {}),
    related: new RelatedService(store, index),
    signals: store,
    keyword: {
      search: (req) => index.search(req),
      rank: (req) => index.rank(req),
      filterIds: (ids, query) => index.filterIds(ids, query),
      getPapers: (ids) => store.getPapers(ids),
      rankingSignals: (from, to) => store.rankingSignals(from, to),
      // a semantic or hybrid search from the neighbours serve's main thread found (decision 024)
      meaning: (req, given) =>
        new SearchService(index, store, { semantic: givenNeighbours(given) })
          .search(req)
          .catch((e: unknown) => (e instanceof MoreNeighboursNeeded ? null : Promise.reject(e))),
    },
  };
}

export type { PaperStore };
