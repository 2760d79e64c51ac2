/**
 * Keeps an embedder's vector index in step with the vectors in the database (issue 12, decision
 * 020): opens the index from its file, or empty when there is none (or it is corrupt, or from
 * another database), applies the changes stored since the seq it reflects, in keyset batches, and
 * saves it with the new seq. The cost is in proportion to what changed since: a harvest of 1,000
 * papers reads 1,000 rows; an index with no usable file reads them all (the rebuild).
 */
import type { EmbedderState, PaperVectors } from '../ports/paper-vectors.js';
import type { SyncedVectorIndex } from '../ports/vector-index.js';
import { PaperboyError } from '../core/errors.js';

export interface VectorSyncDeps {
  vectors: Pick<PaperVectors, 'embedder' | 'vectorChanges'>;
  /**
   * The embedder's index, from its file when that is usable, else empty; `fresh`: empty whatever
   * the file holds (adapters/vector-index/open-vector-index.ts).
   */
  openIndex(embedder: EmbedderState, fresh: boolean): Promise<SyncedVectorIndex & { readonly openedFrom: { loaded: boolean; reason: string | null } }>;
  /** changes read per batch */
  batch?: number;
  /** after each batch: changes applied so far, and how many there were to apply when it began */
  onProgress?: (applied: number, total: number) => void;
}

export interface SyncReport {
  /** changes read from the store and applied */
  applied: number;
  /** vectors added or replaced, removed */
  upserted: number;
  removed: number;
  /** the seq the index now reflects */
  seq: number;
  /** the index was built from nothing: why its file was not used */
  rebuilt: string | null;
}

const DEFAULT_BATCH = 2000;

export class VectorSync {
  constructor(private readonly deps: VectorSyncDeps) {}

  /** The embedder's index, opened and caught up with the store (and saved when that changed it). */
  async open(embedderId: string): Promise<{ index: SyncedVectorIndex; report: SyncReport }> {
    const embedder = await this.deps.vectors.embedder(embedderId);
    if (!embedder) throw new PaperboyError('NOT_FOUND', `embedder ${embedderId}: no vectors in the database for it`);
    let index = await this.deps.openIndex(embedder, false);
    let rebuilt = index.openedFrom.loaded ? null : (index.openedFrom.reason ?? 'no file');
    if (index.syncedSeq > embedder.lastSeq) {
      // the database is older than the file (restored from a backup): the file can't be trusted
      rebuilt = `its file reflects seq ${index.syncedSeq}, beyond the database's ${embedder.lastSeq}`;
      await index.close();
      index = await this.deps.openIndex(embedder, true);
    }
    const report = await this.catchUp(index, embedder, rebuilt);
    return { index, report };
  }

  /** Applies to `index` every change after its seq, and saves it when there were any. */
  async catchUp(index: SyncedVectorIndex, embedder: Pick<EmbedderState, 'id' | 'lastSeq'>, rebuilt: string | null = null): Promise<SyncReport> {
    const batch = this.deps.batch ?? DEFAULT_BATCH;
    const total = Math.max(0, embedder.lastSeq - index.syncedSeq); // at most: a paper's older changes were replaced
    const report: SyncReport = { applied: 0, upserted: 0, removed: 0, seq: index.syncedSeq, rebuilt };
    for (;;) {
      const changes = await this.deps.vectors.vectorChanges(embedder.id, index.syncedSeq, batch);
      if (changes.length === 0) break;
      const upserts: { id: string; vector: Float32Array }[] = [];
      const removals: string[] = [];
      for (const c of changes) {
        if (c.vector) upserts.push({ id: c.paperId, vector: c.vector });
        else removals.push(c.paperId);
      }
      // one row per paper in the store: a batch never names a paper twice
      await index.remove(removals);
      await index.upsert(upserts);
      index.markSynced(changes[changes.length - 1]!.seq);
      report.applied += changes.length;
      report.upserted += upserts.length;
      report.removed += removals.length;
      this.deps.onProgress?.(report.applied, total);
      if (changes.length < batch) break;
    }
    report.seq = index.syncedSeq;
    if (report.applied > 0 || rebuilt !== null) await index.save();
    return report;
  }
}
