/**
 * Search quality on a BEIR benchmark: the corpus goes into a store as papers (title, abstract),
 * the product's own index ranks it, and every judged query is searched as a bag of words (no
 * operators: these are sentences) for its top 100, scored by core/metrics.ts.
 */
import { PaperboyError } from '../core/errors.js';
import { evaluate, type Metrics } from '../core/metrics.js';
import { emptyPaper, type Paper } from '../core/paper.js';
import { parseWords } from '../core/query.js';
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
}

/** BEIR's cut-off for retrieval: Recall@100 needs the top 100. */
const DEPTH = 100;
const BATCH = 2000;

export class EvalService {
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
      batch.push({ ...emptyPaper(d.id), title: d.title.trim() || null, abstract: d.text.trim() || null });
      n++;
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    await this.index.refresh();
    return n;
  }

  async run(queries: EvalQueries, opts: EvalOptions = {}): Promise<Metrics> {
    const mode = opts.mode ?? 'keyword';
    if (mode !== 'keyword') throw new PaperboyError('UNSUPPORTED', `${mode} evaluation is not available yet: only keyword mode is`);
    const ids = [...queries.qrels.keys()].slice(0, opts.maxQueries ?? Infinity);
    const run = new Map<string, Map<string, number>>();
    for (const q of ids) {
      const r = await this.index.search({ query: parseWords(queries.texts.get(q) ?? ''), sort: 'relevance', limit: DEPTH, offset: 0 });
      run.set(q, new Map(r.hits.map((h) => [h.paper.id, h.score])));
    }
    return evaluate(new Map(ids.map((q) => [q, queries.qrels.get(q)!])), run);
  }
}
