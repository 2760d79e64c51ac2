/**
 * What the store holds and whether it answers: `paperboy stats` and `migrate`, the demo loader
 * (delivery/demo.ts) and /healthz read this. Contract: test/contracts/store-status.contract.ts.
 */
import type { SourceName } from '../core/paper.js';

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

export interface StoreStatus {
  readonly dialect: 'sqlite' | 'postgres';
  stats(): Promise<StoreStats>;
  /** Answers when the database does (health checks). */
  ping(): Promise<void>;
}
