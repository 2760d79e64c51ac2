/**
 * What the site (pages, API, feeds) reads through: listings, keyword search and related papers,
 * as the methods it calls. `serve` answers them on worker threads (adapters/read-pool), every
 * other mode in-process with the services themselves; both fit this shape.
 */
import type { ListingReads } from '../ports/listing-reads.js';
import type { ListingService } from './listing.service.js';
import type { RelatedService } from './related.service.js';
import type { SearchService } from './search.service.js';

export interface SiteReads {
  listing: Pick<ListingService, 'latestDay' | 'listing' | 'paper' | 'votesOf' | 'calendar' | 'version'>;
  search: Pick<SearchService, 'search'>;
  related: Pick<RelatedService, 'similar' | 'paperPage'>;
  /** a period's papers, which a topic alert's matches by meaning are drawn from (the digest preview) */
  signals: Pick<ListingReads, 'rankingSignals'>;
}

/** The reads that go where a request's cost may be large (search, similar papers) and those that stay small. */
export const SLOW_READS: ReadonlySet<string> = new Set(['search.search', 'related.similar', 'keyword.search', 'keyword.rank', 'keyword.filterIds', 'keyword.meaning']);
