/**
 * The figures an operator watches (issue 14), read from the database when asked: what /metrics
 * exports at each scrape and what `paperboy doctor` judges. One reading for both, so that the
 * two never disagree about what "behind" means.
 */
import type { LeaseHolder, OperationsStatus, OutboxDepth, SourceHarvest } from '../ports/operations.js';
import type { PaperVectors } from '../ports/paper-vectors.js';

export interface EmbeddingLag {
  /** the newest embedder registered: the one new papers are embedded with */
  embedder: string;
  /** papers waiting for a vector from it as new as they are */
  missing: number;
  /** every paper had its vector once (search answers by meaning from this embedder) */
  complete: boolean;
}

export interface OperationsPorts {
  operations: OperationsStatus;
  vectors: Pick<PaperVectors, 'embedders'>;
}

/**
 * The figures that cost little to read (each an index range or a handful of rows), what a
 * /metrics scrape reads. How many papers lack vectors is not among them: counting it reads every
 * paper and vector (embeddingLag, for doctor; serve's embedding job reports it as it works).
 */
export interface OperationsReading {
  searchBacklog: number;
  /** every embedder registered, newest first, and whether every paper had its vector once */
  embedders: { id: string; complete: boolean }[];
  outbox: OutboxDepth;
  leases: LeaseHolder[];
  harvests: SourceHarvest[];
}

/**
 * What the newest embedder has still to embed. Once it has walked every paper, its queue holds
 * exactly the papers added or changed since (decision 042), and its length is an index range;
 * before, the papers without a current vector are counted, which reads every paper and vector.
 */
export async function embeddingLag(vectors: Pick<PaperVectors, 'embedders' | 'vectorCounts' | 'queueLength'>): Promise<EmbeddingLag | null> {
  const [newest] = await vectors.embedders();
  if (!newest) return null;
  const missing = newest.walked ? await vectors.queueLength(newest.id) : await vectors.vectorCounts(newest.id).then((c) => c.papers - c.current);
  return { embedder: newest.id, missing, complete: newest.completedAt !== null };
}

export async function readOperations(p: OperationsPorts): Promise<OperationsReading> {
  const [searchBacklog, embedders, outbox, leases, harvests] = await Promise.all([
    p.operations.searchBacklog(),
    p.vectors.embedders(),
    p.operations.outboxDepth(),
    p.operations.leases(),
    p.operations.lastHarvests(),
  ]);
  return { searchBacklog, embedders: embedders.map((e) => ({ id: e.id, complete: e.completedAt !== null })), outbox, leases, harvests };
}
