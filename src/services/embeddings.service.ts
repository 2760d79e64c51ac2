/**
 * The embeddings runtime of one store (issue 12; decision 025): which embedder search answers
 * from, its vector index kept in step with the store, and the background work that embeds new
 * papers and, after a change of embedder, the whole archive again.
 *
 * The ACTIVE embedder is the configured one once its vectors are complete, else the one most
 * recently complete that can still embed a query: switching embedders (a new model, a retrained
 * built-in one) re-embeds in the background while search keeps answering from the old vectors,
 * and moves over only when the new ones are complete. With no complete embedder, search has no
 * semantic side (status() says why) and falls back to keywords; similar papers and topic alerts
 * stay lexical.
 *
 * It is the SemanticRetriever that search uses (services/semantic-retriever.ts).
 */
import type { Embedder } from '../ports/embedder.js';
import type { VectorIndex } from '../ports/vector-index.js';
import { EmbeddingJob, type EmbeddingJobOptions, type EmbeddingRunReport, type EmbeddingTarget } from './embedding-job.js';
import type { EmbedderState, PaperVectors } from '../ports/paper-vectors.js';
import {
  IndexSemanticRetriever,
  type ClosestSentence,
  type SemanticRetriever,
  type SemanticSearchOptions,
  type SemanticStatus,
  type VectorHit,
} from './semantic-retriever.js';

/** An embedder's vector index, opened and kept in step with the store's vectors. */
export interface SyncedIndex {
  readonly index: VectorIndex;
  /** Applies the store's vector changes since the index's last sync; how many it applied. */
  sync(): Promise<number>;
  /** Writes the index to its file, if it keeps one and changed since (after a job's run). */
  save?(): Promise<void>;
  /** Persists the index (if it keeps a file) and releases it. */
  close(): Promise<void>;
}

export interface EmbeddingsDeps {
  vectors: EmbeddingTarget & Pick<PaperVectors, 'embedders'>;
  /** the embedder the settings name; null when none can be made (no model trained yet) */
  configured: Embedder | null;
  /** an embedder that made vectors before, to embed queries while it is the active one; null if gone */
  embedderFor?: (id: string) => Promise<Embedder | null>;
  openIndex(embedderId: string, dimensions: number): Promise<SyncedIndex>;
  /** after a run that completed the configured embedder's vectors (keeping its model, say) */
  onComplete?(embedder: Embedder): Promise<void>;
  /**
   * Once the configured embedder is complete and answers search: drops what it supersedes
   * (older built-in models' vectors, models and index files; decision 030). Given the embedders
   * the store holds besides it.
   */
  superseded?(embedder: Embedder, others: EmbedderState[]): Promise<void>;
  log?: (message: string) => void;
}

interface Active {
  record: EmbedderState;
  embedder: Embedder;
  synced: SyncedIndex;
  retriever: IndexSemanticRetriever;
}

export class EmbeddingsService implements SemanticRetriever {
  private active: Active | null = null;
  /** the configured embedder's index while it is being filled (not yet active) */
  private filling: { id: string; synced: SyncedIndex } | null = null;
  private notReady = 'no embeddings yet: run `paperboy embeddings train`, or wait for serve to embed the papers';
  private readonly job: EmbeddingJob;
  private closed = false;

  constructor(private readonly deps: EmbeddingsDeps) {
    this.job = new EmbeddingJob(deps.vectors);
  }

  get configured(): Embedder | null {
    return this.deps.configured;
  }

  /**
   * Embeds with `embedder` from now on (a built-in model trained while serving, say). Search
   * stays on the active embedder until refresh() finds the new one complete; a replaced embedder
   * that nothing answers from is closed.
   */
  async useConfigured(embedder: Embedder): Promise<void> {
    const old = this.deps.configured;
    this.deps.configured = embedder;
    if (old && old !== embedder && old !== this.active?.embedder) await old.close();
  }

  status(): SemanticStatus {
    if (this.active) return { ready: true, embedderId: this.active.record.id };
    return { ready: false, reason: this.notReady };
  }

  /** The active embedder's id and synced index (similar papers read it); null when none is complete. */
  current(): { embedderId: string; index: VectorIndex } | null {
    return this.active && { embedderId: this.active.record.id, index: this.active.synced.index };
  }

  search(query: string, k: number, options?: SemanticSearchOptions): Promise<VectorHit[]> {
    if (!this.active) return Promise.reject(new Error(`semantic search is not available: ${this.notReady}`));
    return this.active.retriever.search(query, k, options);
  }

  closestSentences(query: string, documents: ReadonlyArray<readonly string[]>): Promise<Array<ClosestSentence | null>> {
    if (!this.active) return Promise.resolve(documents.map(() => null));
    return this.active.retriever.closestSentences(query, documents);
  }

  /**
   * Picks the active embedder from the store's records (the configured one if complete, else the
   * newest complete one that can embed) and brings its index up to date. Cheap when nothing
   * changed: one read of the embedders, one sync that applies nothing.
   */
  async refresh(): Promise<SemanticStatus> {
    if (this.closed) return this.status();
    const records = await this.deps.vectors.embedders();
    const pick = await this.pick(records);
    if (pick && this.active?.record.id === pick.record.id) {
      this.active.record = pick.record;
      await this.active.synced.sync();
      return this.status();
    }
    const previous = this.active;
    if (pick) {
      const synced = await this.indexFor(pick.record);
      await synced.sync();
      this.active = { record: pick.record, embedder: pick.embedder, synced, retriever: new IndexSemanticRetriever(pick.embedder, synced.index) };
      this.deps.log?.(`semantic search answers from ${pick.record.id}${previous ? ` (was ${previous.record.id})` : ''}`);
    } else {
      this.active = null;
      const configured = this.deps.configured && records.find((r) => r.id === this.deps.configured!.id);
      this.notReady = configured
        ? `the papers are still being embedded with ${configured.id}`
        : 'no embeddings yet: run `paperboy embeddings train`, or wait for serve to embed the papers';
    }
    if (previous && previous.synced !== this.active?.synced) {
      await previous.synced.close();
      if (previous.embedder !== this.deps.configured) await previous.embedder.close();
    }
    return this.status();
  }

  /**
   * Embeds what the configured embedder lacks (new papers, changed ones, or the whole archive
   * after a switch), syncing its index after each batch; then refreshes the active embedder (the
   * configured one, if this run completed it). Null without a configured embedder.
   */
  async embedNew(opts: Omit<EmbeddingJobOptions, 'afterBatch'> = {}): Promise<EmbeddingRunReport | null> {
    const embedder = this.deps.configured;
    if (!embedder || this.closed) return null;
    await this.deps.vectors.registerEmbedder(embedder.id, embedder.dimensions, new Date().toISOString());
    const synced = await this.indexFor({ id: embedder.id, dimensions: embedder.dimensions });
    const report = await this.job.run(embedder, {
      ...opts,
      afterBatch: async () => {
        await synced.sync();
      },
    });
    if (report.complete) await this.deps.onComplete?.(embedder);
    await synced.save?.();
    await this.refresh();
    if (report.complete && this.active?.record.id === embedder.id && this.deps.superseded) {
      // only those registered before it: one registered since (a newer model being filled) is not superseded
      const since = this.active.record.createdAt;
      const others = (await this.deps.vectors.embedders()).filter((r) => r.id !== embedder.id && r.createdAt <= since);
      if (others.length > 0) await this.deps.superseded(embedder, others);
    }
    return report;
  }

  async close(): Promise<void> {
    this.closed = true;
    const a = this.active;
    const f = this.filling;
    this.active = null;
    this.filling = null;
    if (a) await a.synced.close();
    if (f && f.synced !== a?.synced) await f.synced.close();
    if (a && a.embedder !== this.deps.configured) await a.embedder.close();
    await this.deps.configured?.close();
  }

  private async pick(records: EmbedderState[]): Promise<{ record: EmbedderState; embedder: Embedder } | null> {
    const complete = records.filter((r) => r.completedAt !== null);
    const configured = this.deps.configured;
    const mine = configured && complete.find((r) => r.id === configured.id && r.dimensions === configured.dimensions);
    if (configured && mine) return { record: mine, embedder: configured };
    complete.sort((a, b) => (a.completedAt! < b.completedAt! ? 1 : a.completedAt! > b.completedAt! ? -1 : 0));
    for (const record of complete) {
      if (record.id === configured?.id) continue;
      if (this.active?.record.id === record.id) return { record, embedder: this.active.embedder };
      const embedder = await this.deps.embedderFor?.(record.id).catch(() => null);
      if (embedder && embedder.dimensions === record.dimensions) return { record, embedder };
    }
    return null;
  }

  /** The index of an embedder: the active one's, the one being filled, or opened now. */
  private async indexFor(record: Pick<EmbedderState, 'id' | 'dimensions'>): Promise<SyncedIndex> {
    if (this.active?.record.id === record.id) return this.active.synced;
    if (this.filling?.id === record.id) return this.filling.synced;
    const synced = await this.deps.openIndex(record.id, record.dimensions);
    if (record.id === this.deps.configured?.id) {
      const old = this.filling;
      this.filling = { id: record.id, synced };
      if (old && old.synced !== this.active?.synced) await old.synced.close();
    }
    return synced;
  }
}

/**
 * A SemanticRetriever to hand the read services before the runtime exists (the runtime needs the
 * container's store): not ready until use() gives it the runtime, then the runtime's answers.
 */
export class DeferredRetriever implements SemanticRetriever {
  private target: SemanticRetriever | null = null;

  use(target: SemanticRetriever): void {
    this.target = target;
  }

  status(): SemanticStatus {
    return this.target?.status() ?? { ready: false, reason: 'the embeddings are being loaded' };
  }

  search(query: string, k: number, options?: SemanticSearchOptions): Promise<VectorHit[]> {
    if (!this.target) return Promise.reject(new Error('semantic search is not available: the embeddings are being loaded'));
    return this.target.search(query, k, options);
  }

  closestSentences(query: string, documents: ReadonlyArray<readonly string[]>): Promise<Array<ClosestSentence | null>> {
    return this.target?.closestSentences?.(query, documents) ?? Promise.resolve(documents.map(() => null));
  }
}
