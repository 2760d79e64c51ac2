/**
 * Papers by id: what the listings (services/listing.service.ts) and the search indexes
 * (adapters/search, loading their hits) read. Contract: test/contracts/paper-reads.contract.ts.
 */
import type { Paper } from '../core/paper.js';

export interface PaperReads {
  /** The paper, deleted or not; null when it was never stored. */
  getPaper(id: string): Promise<Paper | null>;
  /** The stored papers among `ids` (deleted ones included: a paper page still answers for them). */
  getPapers(ids: readonly string[]): Promise<Map<string, Paper>>;
}
