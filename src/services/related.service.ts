/**
 * Related papers ("similar papers" on a paper page), computed ahead of time for the whole archive
 * and stored, so that a paper page reads one row instead of running a search (decision 007).
 *
 * refresh() recomputes every paper's list when the papers changed since the last computation:
 * signatures from titles and abstracts with the search index's word statistics, then each paper's
 * nearest neighbours (core/related.ts). It runs in slices that give the event loop back, so a
 * server keeps answering while it works; a second call while one runs joins it. Until the first
 * computation, and for papers added since the last one, similar() falls back to a live keyword
 * search.
 *
 * Once an embedder's vectors are complete (services/embeddings.service.ts), the lists come from
 * them instead (services/vector-related.ts, decision 025): nearest neighbours by meaning, kept
 * current incrementally, in proportion to the papers that changed. Without vectors, they stay
 * lexical as above.
 */
import { RELATED_PER_PAPER, RelatedGraph, signature } from '../core/related.js';
import type { Paper } from '../core/paper.js';
import type { PaperCard, RelatedList, RelatedLists } from '../ports/related-lists.js';
import type { SearchIndex } from '../ports/search-index.js';
import type { VectorIndex } from '../ports/vector-index.js';
import type { VectorRelated, VectorRelatedReport } from './vector-related.js';

/** Where vector-made lists come from: the active embedder's synced index, if any. */
export interface RelatedVectors {
  current(): { embedderId: string; index: VectorIndex } | null;
  related: VectorRelated;
}

export interface RelatedRefresh {
  /** papers whose lists were computed */
  papers: number;
  seconds: number;
  /** set when the lists came from vectors: which embedder, and whether every list was redone */
  vectors?: Pick<VectorRelatedReport, 'embedderId' | 'full' | 'searched' | 'merged'>;
}

export interface RelatedProgress {
  phase: 'signatures' | 'neighbours';
  done: number;
  /** an estimate while reading signatures (the index's paper count) */
  total: number;
}

export interface RelatedOptions {
  /** longest stretch of work between two turns of the event loop, in ms */
  sliceMs?: number;
  /** papers read or lists written per store call */
  batch?: number;
}

/** Thrown inside a computation when stop() was called; refresh() then answers null. */
class Stopped extends Error {}

export class RelatedService {
  private running: Promise<RelatedRefresh | null> | null = null;
  private stopped = false;
  private readonly sliceMs: number;
  private readonly batch: number;
  private vectors: RelatedVectors | null = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly store: RelatedLists,
    private readonly index: SearchIndex,
    opts: RelatedOptions = {},
  ) {
    this.sliceMs = opts.sliceMs ?? 20;
    this.batch = opts.batch ?? 2000;
  }

  /** The store the lists are kept in. */
  get lists(): RelatedLists {
    return this.store;
  }

  /** From now on, lists come from the active embedder's vectors whenever one is complete. */
  useVectors(vectors: RelatedVectors): void {
    this.vectors = vectors;
  }

  /** Papers like this one, best first, itself and deleted papers left out; empty for an unknown id. */
  async similar(id: string, limit: number): Promise<PaperCard[]> {
    if (limit <= 0) return [];
    return (await this.store.relatedCards(id, limit)) ?? this.index.similar(id, limit);
  }

  /**
   * A paper with its stored similar papers, in one store read (a paper page); similar is null
   * when no list was computed for it yet (similar() then searches), and the whole null for an
   * unknown id.
   */
  async paperPage(id: string, limit: number): Promise<{ paper: Paper; similar: PaperCard[] | null } | null> {
    const found = await this.store.paperPage(id, limit);
    return found && { paper: found.paper, similar: found.related };
  }

  /**
   * Recomputes every list if the papers changed since the last computation (or always, with
   * force); null when they were up to date. Brings the search index up to date first: its word
   * statistics weigh the signatures.
   */
  refresh(opts: { force?: boolean; onProgress?: (p: RelatedProgress) => void } = {}): Promise<RelatedRefresh | null> {
    if (this.stopped) return Promise.resolve(null);
    this.running ??= this.compute(opts)
      .catch((e: unknown) => {
        if (e instanceof Stopped) return null;
        throw e;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /**
   * Stops a computation under way at its next slice (what it stored so far stays: every list
   * written is a whole one) and refuses new ones: call before closing the store.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  private async compute(opts: { force?: boolean; onProgress?: (p: RelatedProgress) => void }): Promise<RelatedRefresh | null> {
    const started = Date.now();
    await this.index.refresh();
    if (this.stopped) return null;
    const active = this.vectors?.current();
    if (active) {
      const r = await this.vectors!.related.update(active.embedderId, active.index, { signal: this.abort.signal });
      if (!r) return null;
      const { embedderId, full, searched, merged } = r;
      return { papers: searched + merged, seconds: r.seconds, vectors: { embedderId, full, searched, merged } };
    }
    const contentVersion = await this.store.contentVersion();
    const state = await this.store.relatedState();
    if (!opts.force && state?.contentVersion === contentVersion) return null;
    // lists made from vectors are kept current by the process that holds the embeddings (serve);
    // one without them (the CLI's index, harvest, migrate) leaves them alone rather than undo them
    if (!opts.force && !this.vectors && state?.contentVersion.startsWith('vectors:')) return null;

    const stats = await this.index.termStats();
    const graph = new RelatedGraph();
    const turn = this.turns();
    for (let after = ''; ; ) {
      const texts = await this.store.paperTexts(after, this.batch);
      for (const t of texts) {
        graph.add(t.id, signature(t.title, t.abstract, stats));
        await turn();
      }
      opts.onProgress?.({ phase: 'signatures', done: graph.size, total: Math.max(stats.papers, graph.size) });
      if (texts.length < this.batch) break;
      after = texts[texts.length - 1]!.id;
    }
    graph.seal();

    let lists: RelatedList[] = [];
    for (let p = 0; p < graph.size; p++) {
      lists.push({ id: graph.id(p), related: graph.nearest(p, RELATED_PER_PAPER).map((n) => graph.id(n.index)) });
      if (lists.length === this.batch || p === graph.size - 1) {
        await this.store.saveRelated(lists);
        lists = [];
        opts.onProgress?.({ phase: 'neighbours', done: p + 1, total: graph.size });
      }
      await turn();
    }
    await this.store.finishRelated({ contentVersion, computedAt: new Date().toISOString(), papers: graph.size });
    return { papers: graph.size, seconds: (Date.now() - started) / 1000 };
  }

  /** A function to await after each unit of work: gives the event loop a turn every sliceMs. */
  private turns(): () => Promise<void> {
    let since = performance.now();
    return async () => {
      if (this.stopped) throw new Stopped();
      if (performance.now() - since < this.sliceMs) return;
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    };
  }
}
