/**
 * Search quality on a BEIR benchmark: the corpus goes into a store as papers (title, abstract),
 * the product's own index ranks it, and every judged query is searched as a bag of words (no
 * operators: these are sentences) for its top 100, scored by core/metrics.ts. In semantic and
 * hybrid modes the corpus is also embedded (embedCorpus: by the built-in model trained on that
 * corpus, unless another embedder is given) and searched exactly (a dot product per document);
 * hybrid fuses the two top-100 lists with core/fusion.ts.
 */
import { PaperboyError } from '../core/errors.js';
import { paperText } from '../core/embedding/sif-model.js';
import { fuseHybrid, type ScoredId } from '../core/fusion.js';
import { evaluate, type Metrics } from '../core/metrics.js';
import { emptyPaper, type Paper } from '../core/paper.js';
import { parseWords } from '../core/query.js';
import type { Embedder } from '../ports/embedder.js';
import type { PaperWriter } from '../ports/paper-writer.js';
import type { SearchIndex } from '../ports/search-index.js';
import type { SearchMode } from './search.service.js';

export interface EvalDoc {
  id: string;
  title: string;
  text: string;
}

export interface EvalQueries {
  texts: ReadonlyMap<string, string>;
  qrels: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export interface EvalOptions {
  mode?: SearchMode;
  /** evaluate only the first N judged queries (a quick check) */
  maxQueries?: number;
  /** hybrid mode: the keyword list's weight (core/fusion.ts's KEYWORD_WEIGHT unless given) */
  keywordWeight?: number;
}



/** BEIR's cut-off for retrieval: Recall@100 needs the top 100. */
const DEPTH = 100;
const BATCH = 2000;

export class EvalService {
  private readonly ids: string[] = [];
  private readonly texts: string[] = [];
  private embedded: { embedder: Embedder; matrix: Float32Array } | null = null;

  constructor(
    private readonly store: PaperWriter,
    private readonly index: SearchIndex,
  ) {}

  /** Stores the corpus (ids kept as they are) and indexes it; returns how many documents. */
  async load(docs: AsyncIterable<EvalDoc> | Iterable<EvalDoc>): Promise<number> {
    let batch: Paper[] = [];
    let n = 0;
    const flush = async () => {
      const papers = batch;
      batch = [];
      await this.store.transaction((tx) => tx.savePapers(papers.map((paper) => ({ paper, day: null })), []));
    };
    for await (const d of docs) {
      const paper = { ...emptyPaper(d.id), title: d.title.trim() || null, abstract: d.text.trim() || null };
      batch.push(paper);
      this.ids.push(d.id);
      this.texts.push(paperText(paper.title, paper.abstract));
      n++;
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    await this.index.refresh();
    return n;
  }

  /** The loaded documents' texts (title, then abstract), in load order: what a model learns from. */
  corpusTexts(): readonly string[] {
    return this.texts;
  }

  /** Embeds every loaded document with the embedder, for semantic and hybrid runs. */
  async embedCorpus(embedder: Embedder, onProgress?: (done: number, total: number) => void): Promise<void> {
    const d = embedder.dimensions;
    const matrix = new Float32Array(this.texts.length * d);
    for (let i = 0; i < this.texts.length; i += BATCH) {
      const vectors = await embedder.embed(this.texts.slice(i, i + BATCH), 'document');
      vectors.forEach((v, j) => matrix.set(v, (i + j) * d));
      onProgress?.(Math.min(i + BATCH, this.texts.length), this.texts.length);
    }
    this.embedded = { embedder, matrix };
  }

  async run(queries: EvalQueries, opts: EvalOptions = {}): Promise<Metrics> {
    const mode = opts.mode ?? 'keyword';
    if (mode !== 'keyword' && !this.embedded) throw new PaperboyError('UNSUPPORTED', `${mode} evaluation needs the corpus embedded first (EvalService.embedCorpus)`);
    const ids = [...queries.qrels.keys()].slice(0, opts.maxQueries ?? Infinity);
    const run = new Map<string, Map<string, number>>();
    for (const q of ids) {
      const text = queries.texts.get(q) ?? '';
      const keyword = mode === 'semantic' ? [] : await this.keywordHits(text);
      const semantic = mode === 'keyword' ? [] : await this.semanticHits(text);
      const hits = mode === 'keyword' ? keyword : mode === 'semantic' ? semantic : fuseHybrid(keyword, semantic, { keywordWeight: opts.keywordWeight, limit: DEPTH });
      run.set(q, new Map(hits.map((h) => [h.id, h.score])));
    }
    return evaluate(new Map(ids.map((q) => [q, queries.qrels.get(q)!])), run);
  }

  private async keywordHits(text: string): Promise<ScoredId[]> {
    const r = await this.index.search({ query: parseWords(text), sort: 'relevance', limit: DEPTH, offset: 0 });
    return r.hits.map((h) => ({ id: h.paper.id, score: h.score }));
  }

  /** Exact search: the query's dot product with every document, the top DEPTH kept. */
  private async semanticHits(text: string): Promise<ScoredId[]> {
    const { embedder, matrix } = this.embedded!;
    const [v] = await embedder.embed([text], 'query');
    const d = embedder.dimensions;
    const scores = new Float32Array(this.ids.length);
    let any = false;
    for (let c = 0; c < d; c++) if (v![c] !== 0) any = true;
    if (!any) return []; // nothing the model knows: no semantic hits rather than arbitrary ones
    for (let i = 0; i < this.ids.length; i++) {
      let s = 0;
      const o = i * d;
      for (let c = 0; c < d; c++) s += v![c]! * matrix[o + c]!;
      scores[i] = s;
    }
    const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || (this.ids[a]! < this.ids[b]! ? -1 : 1));
    return order.slice(0, DEPTH).map((i) => ({ id: this.ids[i]!, score: scores[i]! }));
  }
}
