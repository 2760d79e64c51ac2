/**
 * What an operator watches (issue 14, decision 036): the work waiting behind the papers (the
 * keyword index's backlog), the digests waiting, who holds each job's lease and when each source
 * last harvested. Read from the database when asked (each /metrics scrape, `paperboy doctor`),
 * so that every web node of a PostgreSQL deployment reports the same figures. Contract:
 * test/contracts/operations.contract.ts.
 */

/**
 * Digests in the outbox not yet sent, by status: each counted on the outbox's status index, so
 * that the sent ones, the outbox's whole history, are never read.
 */
export interface OutboxDepth {
  queued: number;
  sending: number;
  failed: number;
}

export interface LeaseHolder {
  /** the job: harvest, related, pages, embeddings, digests */
  name: string;
  /** host:pid:random of the node that holds it */
  holder: string;
  /** seconds until it runs out, by the database's clock; ≤ 0 when it has (its holder died) */
  expiresInSeconds: number;
}

export interface SourceHarvest {
  source: string;
  /** when its cursor last moved (ISO-8601) */
  at: string;
}

export interface OperationsStatus {
  /** Papers written but not yet in the keyword index (new, changed or deleted since it was refreshed). */
  searchBacklog(): Promise<number>;
  outboxDepth(): Promise<OutboxDepth>;
  /** Every lease row, held or lapsed, by name. */
  leases(): Promise<LeaseHolder[]>;
  /** Each source's last stored harvest page, by source. */
  lastHarvests(): Promise<SourceHarvest[]>;
}
