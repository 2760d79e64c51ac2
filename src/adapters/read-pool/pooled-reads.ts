/**
 * The site's reads (services/site-reads.ts) answered by the read pool: each method forwards its
 * arguments to a worker and returns what the worker's service returned (plain data: papers,
 * listings, results). Only the data version stays on this thread: it is one cheap read, asked
 * before every cached answer.
 */
import type { SiteReads } from '../../services/site-reads.js';
import type { ReadPool } from './read-pool.js';

type Fn = (...args: never[]) => Promise<unknown>;

export interface PooledReadsOptions {
  /** the data version, read here */
  version: SiteReads['listing']['version'];
  /**
   * Called after each search: on SQLite the workers' read-only connections cannot bring the
   * keyword index up to date with papers another process wrote, so this thread does it, a bounded
   * slice at a time (nothing to do costs two counts).
   */
  afterSearch?: () => void;
}

/** The reads, and the pool they run on (for its state: tests watch a stopped worker end). */
export function pooledReads(pool: ReadPool, opts: PooledReadsOptions): SiteReads & { pool: ReadPool } {
  const forward = <F extends Fn>(service: string, method: string) =>
    ((...args: unknown[]) => pool.call(service, method, args)) as unknown as F;
  const search = forward<SiteReads['search']['search']>('search', 'search');
  return {
    pool,
    listing: {
      latestDay: forward('listing', 'latestDay'),
      listing: forward('listing', 'listing'),
      paper: forward('listing', 'paper'),
      votesOf: forward('listing', 'votesOf'),
      calendar: forward('listing', 'calendar'),
      version: opts.version,
    },
    search: {
      search: (req) => search(req).finally(() => opts.afterSearch?.()),
    },
    related: {
      similar: forward('related', 'similar'),
      paperPage: forward('related', 'paperPage'),
    },
    signals: { rankingSignals: forward('keyword', 'rankingSignals') },
  };
}
