/**
 * The seam between search and the embeddings runtime (issue 12): what semantic and hybrid search
 * ask of "the vectors", whatever keeps them. The embeddings runtime (services/embeddings-runtime,
 * per store: the active, complete embedder and its synced VectorIndex, re-embedding in the
 * background) fills it for `serve`; IndexSemanticRetriever below fills it over one (Embedder,
 * VectorIndex) pair for tests, the CLI and the benchmark; NO_SEMANTIC when there are no vectors.
 *
 * Search never fails for want of vectors in its default mode: it reads status() and falls back
 * to keyword search, saying why (status().reason). Only an explicit mode=semantic is refused.
 */
import type { Embedder } from '../ports/embedder.js';
import type { VectorHit, VectorIndex } from '../ports/vector-index.js';

export type { VectorHit } from '../ports/vector-index.js';

export interface SemanticStatus {
  /** true when search() answers from a complete set of vectors */
  ready: boolean;
  /** the embedder the vectors were made with (Embedder.id), when ready */
  embedderId?: string;
  /** when not ready: why, in a sentence a reader can act on ("no embeddings yet: run …") */
  reason?: string;
}

export interface SemanticSearchOptions {
  /** only these ids are returned */
  among?: ReadonlySet<string>;
}

/** The sentence of a document closest in meaning to the query. */
export interface ClosestSentence {
  /** index into the document's sentences */
  index: number;
  /** cosine similarity to the query */
  score: number;
}

export interface SemanticRetriever {
  status(): SemanticStatus;
  /**
   * The k papers closest in meaning to the query text, best first (k is capped at
   * SEMANTIC_MAX_K: the cost of a request is bounded). Rejects with UNSUPPORTED-worthy errors
   * only when not ready; callers check status() first.
   */
  search(query: string, k: number, options?: SemanticSearchOptions): Promise<VectorHit[]>;
  /**
   * For each document (given as its sentences), the sentence closest to the query, or null for a
   * document with no sentence of positive similarity. Embeds only what it is given: call it with the
   * hits of one page.
   */
  closestSentences?(query: string, documents: ReadonlyArray<readonly string[]>): Promise<Array<ClosestSentence | null>>;
}

/** The most neighbours one request may ask for (oversampling for filters included). */
export const SEMANTIC_MAX_K = 2_000;

/** No vectors at all: search falls back to keyword, explicit semantic search is refused. */
export function noSemantic(reason = 'no embeddings yet: run `paperboy embeddings train`'): SemanticRetriever {
  return {
    status: () => ({ ready: false, reason }),
    search: () => Promise.reject(new Error(`semantic search is not available: ${reason}`)),
  };
}

export const NO_SEMANTIC: SemanticRetriever = noSemantic();

/**
 * A query's neighbours found where the vectors are (serve's main thread), sent with the search to
 * a read worker, so that the rest of a semantic or hybrid search — the keyword ranking, the
 * filters, the fusion, the page's papers and highlights — is one call there (decision 024).
 */
export interface GivenNeighbours {
  /** how many were asked for */
  k: number;
  hits: VectorHit[];
}

/** A search needed more neighbours than it was given: ask again where the vectors are. */
export class MoreNeighboursNeeded extends Error {}

/** The given neighbours as a retriever; asking for more than were asked for throws MoreNeighboursNeeded. */
export function givenNeighbours(given: GivenNeighbours): SemanticRetriever {
  return {
    status: () => ({ ready: true }),
    search: async (_query, k) => {
      if (k <= given.k) return given.hits.slice(0, k);
      // fewer than asked for: the vectors had no more
      if (given.hits.length < given.k) return given.hits;
      throw new MoreNeighboursNeeded(`${k} neighbours needed, ${given.k} given`);
    },
  };
}

/**
 * Over one embedder and the index of its vectors (complete, made by that embedder). Keeps the
 * last few query vectors so that oversampling for filters, and hybrid after semantic, embed a
 * query once.
 */
export class IndexSemanticRetriever implements SemanticRetriever {
  private readonly queryVectors = new Map<string, Promise<Float32Array>>();

  constructor(
    private readonly embedder: Embedder,
    private readonly index: VectorIndex,
    private readonly options: { cachedQueries?: number } = {},
  ) {
    if (embedder.dimensions !== index.dimensions)
      throw new Error(`embedder ${embedder.id} makes ${embedder.dimensions}-d vectors but the index holds ${index.dimensions}-d ones`);
  }

  status(): SemanticStatus {
    if (this.index.size === 0) return { ready: false, embedderId: this.embedder.id, reason: 'no papers are embedded yet' };
    return { ready: true, embedderId: this.embedder.id };
  }

  async search(query: string, k: number, options: SemanticSearchOptions = {}): Promise<VectorHit[]> {
    const n = Math.min(SEMANTIC_MAX_K, Math.max(0, Math.trunc(k)));
    if (n === 0) return [];
    const v = await this.queryVector(query);
    if (isZero(v)) return [];
    return this.index.search(v, n, options.among ? { among: options.among } : {});
  }

  async closestSentences(query: string, documents: ReadonlyArray<readonly string[]>): Promise<Array<ClosestSentence | null>> {
    const q = await this.queryVector(query);
    const flat = documents.flat();
    if (flat.length === 0 || isZero(q)) return documents.map(() => null);
    const vs = await this.embedder.embed(flat, 'document');
    const out: Array<ClosestSentence | null> = [];
    let at = 0;
    for (const sentences of documents) {
      let best: ClosestSentence | null = null;
      for (let i = 0; i < sentences.length; i++) {
        const v = vs[at + i];
        if (v === undefined) continue;
        const score = dot(q, v);
        // a sentence sharing nothing with the query is not "closest", however short the abstract
        if (score > 0 && (best === null || score > best.score)) best = { index: i, score };
      }
      at += sentences.length;
      out.push(best);
    }
    return out;
  }

  private queryVector(query: string): Promise<Float32Array> {
    const key = query.trim();
    let p = this.queryVectors.get(key);
    if (p !== undefined) {
      this.queryVectors.delete(key);
      this.queryVectors.set(key, p);
      return p;
    }
    p = this.embedder.embed([key], 'query').then((vs) => {
      const v = vs[0];
      if (v === undefined) throw new Error(`embedder ${this.embedder.id} returned no vector for the query`);
      return v;
    });
    p.catch(() => this.queryVectors.delete(key));
    this.queryVectors.set(key, p);
    const max = this.options.cachedQueries ?? 64;
    while (this.queryVectors.size > max) {
      const oldest = this.queryVectors.keys().next().value;
      if (oldest === undefined) break;
      this.queryVectors.delete(oldest);
    }
    return p;
  }
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

function isZero(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) return false;
  return true;
}
