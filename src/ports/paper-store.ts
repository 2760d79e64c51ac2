/**
 * Every store port together: what one database adapter implements (SQLite:
 * adapters/db/sqlite.store.ts, PostgreSQL: adapters/db/postgres.store.ts) and what only the
 * composition root holds whole. Services never take it: each declares the few ports it uses
 * (decision 015). Each port has its contract suite (test/contracts/), run on every adapter.
 */
import type { HarvestCursors } from './harvest-cursors.js';
import type { JobLeases } from './job-leases.js';
import type { ListingReads } from './listing-reads.js';
import type { PaperReads } from './paper-reads.js';
import type { PaperWriter } from './paper-writer.js';
import type { RelatedLists } from './related-lists.js';
import type { RenderedPages } from './rendered-pages.js';
import type { SearchIndex } from './search-index.js';
import type { StoreLifecycle } from './store-lifecycle.js';
import type { StoreStatus } from './store-status.js';

export interface PaperStore
  extends StoreLifecycle,
    StoreStatus,
    PaperWriter,
    HarvestCursors,
    PaperReads,
    ListingReads,
    RelatedLists,
    RenderedPages,
    JobLeases {}

/**
 * A database as a dialect's factory opens it: the store and the keyword index that lives in the
 * same database and shares its connection, built together so that nothing has to guess which
 * index suits which store.
 */
export interface OpenedDatabase {
  store: PaperStore;
  index: SearchIndex;
}

// the types of each port, re-exported for the adapters, which implement them all
export type { HarvestCursors } from './harvest-cursors.js';
export type { JobLeases } from './job-leases.js';
export type { DayCount, ListingReads, PaperSignal } from './listing-reads.js';
export type { PaperReads } from './paper-reads.js';
export type { PaperTx, PaperWrite, PaperWriter, RecordSeen } from './paper-writer.js';
export type { PaperCard, PaperText, RelatedList, RelatedLists, RelatedState } from './related-lists.js';
export type { PageInputs, RenderedPage, RenderedPages, StoredPage } from './rendered-pages.js';
export type { StoreLifecycle } from './store-lifecycle.js';
export type { StoreStats, StoreStatus } from './store-status.js';
