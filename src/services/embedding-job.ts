/**
 * The embedding job (issue 12, "new papers are embedded as they arrive"; decision 025): embeds
 * the papers that have no vector from an embedder yet, or whose text changed since theirs was
 * made (the store compares content hashes), in keyset batches by paper id. Its only state is the
 * store: each batch's vectors are written in one call, so a job killed mid-way resumes where it
 * stopped, redoing at most the batch it was in. The cost of a run is in proportion to the papers
 * it embeds, never the archive: a harvest of 1,000 new papers embeds those 1,000.
 *
 * After each batch `afterBatch` runs (serve syncs the embedder's vector index there, so that the
 * papers become findable as they are embedded); when a run finds nothing left to embed, the
 * embedder is marked complete, which is when search moves to it (services/embeddings.service.ts).
 */
import type { Embedder } from '../ports/embedder.js';
import type { EmbeddingTarget, PaperToEmbed } from './embedding-store.js';

export interface EmbeddingProgress {
  /** papers embedded by this run so far */
  done: number;
  /** papers this run had to embed when it started (more may arrive while it runs) */
  total: number;
}

export interface EmbeddingRunReport {
  embedderId: string;
  /** papers embedded by this run */
  embedded: number;
  /** the embedder had every paper when the run ended (and is now marked complete) */
  complete: boolean;
  /** the run stopped before the end (stop() or its signal) */
  stopped: boolean;
  seconds: number;
}

export interface EmbeddingJobOptions {
  /** papers read, embedded and written per batch */
  batch?: number;
  onProgress?: (p: EmbeddingProgress) => void;
  /** after each batch is stored, before the next one is read */
  afterBatch?: (ids: readonly string[]) => Promise<void>;
  /** checked between batches */
  signal?: AbortSignal;
}

export const EMBEDDING_BATCH = 256;

/**
 * The text an embedder gets for a paper: its title, then its abstract. What the content hash is
 * computed from (with the embedder's id), so changing either embeds the paper again.
 */
export function embeddingText(p: Pick<PaperToEmbed, 'title' | 'abstract'>): string {
  const title = (p.title ?? '').trim();
  const abstract = (p.abstract ?? '').trim();
  return title && abstract ? `${title}.\n${abstract}` : title || abstract;
}

export class EmbeddingJob {
  private running: Promise<EmbeddingRunReport> | null = null;

  constructor(private readonly store: EmbeddingTarget) {}

  /** Embeds what the embedder lacks; a second call while one runs for the same store joins it. */
  run(embedder: Embedder, opts: EmbeddingJobOptions = {}): Promise<EmbeddingRunReport> {
    this.running ??= this.runNow(embedder, opts).finally(() => (this.running = null));
    return this.running;
  }

  private async runNow(embedder: Embedder, opts: EmbeddingJobOptions): Promise<EmbeddingRunReport> {
    const started = Date.now();
    const batch = Math.max(1, opts.batch ?? EMBEDDING_BATCH);
    await this.store.registerEmbedder(embedder.id, embedder.dimensions);
    const total = await this.store.papersToEmbedCount(embedder.id);
    const report: EmbeddingRunReport = { embedderId: embedder.id, embedded: 0, complete: false, stopped: false, seconds: 0 };
    opts.onProgress?.({ done: 0, total });
    for (let after = ''; ; ) {
      if (opts.signal?.aborted) {
        report.stopped = true;
        break;
      }
      const papers = await this.store.papersToEmbed(embedder.id, after, batch);
      if (papers.length === 0) break;
      const vectors = await embedder.embed(papers.map(embeddingText), 'document');
      if (vectors.length !== papers.length)
        throw new Error(`embedder ${embedder.id} returned ${vectors.length} vectors for ${papers.length} papers`);
      await this.store.putVectors(
        embedder.id,
        papers.map((p, i) => ({ paperId: p.id, vector: vectors[i]!, contentHash: p.contentHash })),
      );
      report.embedded += papers.length;
      opts.onProgress?.({ done: report.embedded, total: Math.max(total, report.embedded) });
      await opts.afterBatch?.(papers.map((p) => p.id));
      after = papers[papers.length - 1]!.id;
      if (papers.length < batch) break;
    }
    if (!report.stopped) {
      // papers written while this run walked past their ids are left for the next run: complete
      // means nothing was left when it looked
      report.complete = (await this.store.papersToEmbedCount(embedder.id)) === 0;
      if (report.complete) await this.store.markEmbedderComplete(embedder.id);
    }
    report.seconds = (Date.now() - started) / 1000;
    return report;
  }
}
