/**
 * The embedding job (issue 12, "new papers are embedded as they arrive"; decision 025): embeds
 * the papers that have no vector from an embedder yet, or whose text changed since theirs was
 * made (the store compares content hashes). An embedder's first run walks every paper in keyset
 * batches by id; after that, each run takes only the papers the store queued for it as they were
 * added or changed (decision 042). Its only state is the store: each batch's vectors are written
 * in one call, and taken off the queue after, so a job killed mid-way resumes where it stopped,
 * redoing at most the batch it was in. The cost of a run is in proportion to the papers it
 * embeds, never the archive: a harvest of 1,000 new papers reads and embeds those 1,000.
 *
 * After each batch `afterBatch` runs (serve syncs the embedder's vector index there, so that the
 * papers become findable as they are embedded); when a run finds nothing left to embed, the
 * embedder is marked complete, which is when search moves to it (services/embeddings.service.ts).
 */
import { createHash } from 'node:crypto';
import type { Embedder } from '../ports/embedder.js';
import type { PaperToEmbed, PaperVectors, PaperVectorWrite } from '../ports/paper-vectors.js';

/** What the job uses of the vectors store. */
export type EmbeddingTarget = Pick<
  PaperVectors,
  | 'registerEmbedder'
  | 'papersToEmbed'
  | 'putVectors'
  | 'vectorsOf'
  | 'vectorCounts'
  | 'markEmbedderComplete'
  | 'markEmbedderWalked'
  | 'queuedPapers'
  | 'queueLength'
>;

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
  /** papers offered whose text had not changed (their vector kept, not embedded again) */
  unchanged: number;
  /** deleted papers whose vector was removed */
  removed: number;
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

/** The hash a vector is stored under: the embedder and the exact text it was made from. */
export function contentHash(embedderId: string, text: string): string {
  return createHash('sha256').update(embedderId).update('\0').update(text).digest('base64url').slice(0, 22);
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
    const state = await this.store.registerEmbedder(embedder.id, embedder.dimensions, new Date().toISOString());
    // the first run walks every paper; later ones take only what the store queued (decision 042)
    let total = await this.store.queueLength(embedder.id);
    if (!state.walked) {
      const counts = await this.store.vectorCounts(embedder.id);
      total += Math.max(0, counts.papers - counts.current);
    }
    const report: EmbeddingRunReport = { embedderId: embedder.id, embedded: 0, unchanged: 0, removed: 0, complete: false, stopped: false, seconds: 0 };
    opts.onProgress?.({ done: 0, total });
    let done = 0;
    const embedBatch = async (papers: readonly PaperToEmbed[]) => {
      const writes = await this.writes(embedder, papers, report);
      await this.store.putVectors(embedder.id, writes);
      done += papers.length;
      opts.onProgress?.({ done, total: Math.max(total, done) });
      await opts.afterBatch?.(papers.map((p) => p.id));
      // a turn of the event loop between batches: serve answers requests while a job runs
      await new Promise((resolve) => setImmediate(resolve));
    };
    const stopping = () => (report.stopped ||= opts.signal?.aborted === true);
    if (!state.walked) {
      for (let after = ''; !stopping(); ) {
        const papers = await this.store.papersToEmbed(embedder.id, after, batch);
        if (papers.length > 0) await embedBatch(papers);
        if (papers.length < batch) break;
        after = papers[papers.length - 1]!.id;
      }
      // papers written while the walk went past their ids are in the queue, taken below
      if (!report.stopped) await this.store.markEmbedderWalked(embedder.id);
    }
    while (!stopping()) {
      const queued = await this.store.queuedPapers(embedder.id, batch);
      if (queued.papers.length > 0) {
        await embedBatch(queued.papers);
        await queued.done();
      }
      if (queued.papers.length < batch) break;
    }
    if (!report.stopped) {
      // complete: walked, and nothing was queued when it last looked
      report.complete = true;
      await this.store.markEmbedderComplete(embedder.id, new Date().toISOString());
    }
    report.seconds = (Date.now() - started) / 1000;
    return report;
  }

  /** A batch's writes: deleted papers lose their vector, unchanged texts keep theirs, the rest are embedded. */
  private async writes(embedder: Embedder, papers: readonly PaperToEmbed[], report: EmbeddingRunReport): Promise<PaperVectorWrite[]> {
    const writes: PaperVectorWrite[] = [];
    const toEmbed: { paper: PaperToEmbed; text: string; hash: string }[] = [];
    const kept: { paper: PaperToEmbed; hash: string }[] = [];
    for (const paper of papers) {
      if (paper.deleted) {
        // a queued paper deleted before it ever had a vector: nothing to remove
        if (paper.contentHash === null) continue;
        writes.push({ paperId: paper.id, contentHash: paper.contentHash ?? '', paperModified: paper.modifiedAt, vector: null });
        report.removed++;
        continue;
      }
      const text = embeddingText(paper);
      const hash = contentHash(embedder.id, text);
      if (hash === paper.contentHash) kept.push({ paper, hash });
      else toEmbed.push({ paper, text, hash });
    }
    if (kept.length > 0) {
      // the text is what it was: the stored vector stands (the write only notes the paper's time)
      const old = await this.store.vectorsOf(embedder.id, kept.map((k) => k.paper.id));
      for (const k of kept) {
        const vector = old.get(k.paper.id);
        if (vector) {
          writes.push({ paperId: k.paper.id, contentHash: k.hash, paperModified: k.paper.modifiedAt, vector });
          report.unchanged++;
        } else toEmbed.push({ paper: k.paper, text: embeddingText(k.paper), hash: k.hash });
      }
    }
    if (toEmbed.length > 0) {
      const vectors = await embedder.embed(toEmbed.map((t) => t.text), 'document');
      if (vectors.length !== toEmbed.length)
        throw new Error(`embedder ${embedder.id} returned ${vectors.length} vectors for ${toEmbed.length} papers`);
      toEmbed.forEach((t, i) => writes.push({ paperId: t.paper.id, contentHash: t.hash, paperModified: t.paper.modifiedAt, vector: vectors[i]! }));
      report.embedded += toEmbed.length;
    }
    return writes;
  }
}
