/**
 * The figures an operator watches (issue 14), read from the database when asked: what /metrics
 * exports at each scrape and what `paperboy doctor` judges. One reading for both, so that the
 * two never disagree about what "behind" means.
 */
import type { DigestOutbox, OutboxStatus } from '../ports/digest-outbox.js';
import type { LeaseHolder, OperationsStatus, SourceHarvest } from '../ports/operations.js';
import type { PaperVectors } from '../ports/paper-vectors.js';

export interface EmbeddingLag {
  /** the newest embedder registered: the one new papers are embedded with */
  embedder: string;
  /** papers not deleted */
  papers: number;
  /** of those, the ones with a vector as new as the paper */
  current: number;
  /** every paper had its vector once (search answers by meaning from this embedder) */
  complete: boolean;
}

export interface OperationsPorts {
  operations: OperationsStatus;
  vectors: Pick<PaperVectors, 'embedders' | 'vectorCounts'>;
  outbox: Pick<DigestOutbox, 'outboxCounts'>;
}

export interface OperationsReading {
  searchBacklog: number;
  /** null: no embedder registered yet (or embeddings are off) */
  embedding: EmbeddingLag | null;
  outbox: Record<OutboxStatus, number>;
  leases: LeaseHolder[];
  harvests: SourceHarvest[];
}

/** The newest embedder's papers and current vectors; null when none is registered. */
export async function embeddingLag(vectors: OperationsPorts['vectors']): Promise<EmbeddingLag | null> {
  const [newest] = await vectors.embedders();
  if (!newest) return null;
  const counts = await vectors.vectorCounts(newest.id);
  return { embedder: newest.id, papers: counts.papers, current: counts.current, complete: newest.completedAt !== null };
}

export async function readOperations(p: OperationsPorts): Promise<OperationsReading> {
  const [searchBacklog, embedding, outbox, leases, harvests] = await Promise.all([
    p.operations.searchBacklog(),
    embeddingLag(p.vectors),
    p.outbox.outboxCounts(),
    p.operations.leases(),
    p.operations.lastHarvests(),
  ]);
  return { searchBacklog, embedding, outbox, leases, harvests };
}
