/**
 * `paperboy eval beir <dir>`: the search quality on a BEIR benchmark, loaded into a temporary
 * store (never the user's database). In semantic and hybrid modes the built-in embeddings are
 * learned from that corpus first (nothing downloaded; a progress bar on a terminal), or read
 * from --model. Prints nDCG@10, Recall@100 and MRR@10; --json as
 * {"ndcg@10":…,"recall@100":…,"mrr@10":…,"queries":N} (PRODUCT.md).
 */
import { basename } from 'node:path';
import { readCorpus, readQueries } from '../../adapters/search/beir-files.js';
import { openScratchSearch } from '../../adapters/search/scratch-index.js';
import { BuiltinEmbedder } from '../../adapters/embedding/builtin-embedder.js';
import { SifModel } from '../../core/embedding/sif-model.js';
import { EvalService } from '../../services/eval.service.js';
import type { SearchMode } from '../../services/search.service.js';
import type { Io } from './main.js';
import { createCounter } from './progress.js';

export interface EvalOpts {
  split: string;
  mode: SearchMode;
  json?: boolean;
  maxQueries?: number;
  /** a trained built-in model to use instead of learning one from the corpus */
  model?: string;
  keywordWeight?: number;
}

export async function runEvalBeir(dir: string, opts: EvalOpts, io: Io): Promise<number> {
  const queries = await readQueries(dir, opts.split);
  const scratch = await openScratchSearch();
  try {
    const service = new EvalService(scratch.store, scratch.index);
    const started = Date.now();
    const docs = await service.load(readCorpus(dir));
    let embedderId = '';
    if (opts.mode !== 'keyword') {
      const tty = (io.stderr as NodeJS.WriteStream).isTTY ? (io.stderr as NodeJS.WriteStream) : null;
      let embedder: BuiltinEmbedder;
      if (opts.model) embedder = await BuiltinEmbedder.fromFile(opts.model);
      else {
        let bar: ReturnType<typeof createCounter> | null = null;
        let phase = '';
        const model = SifModel.train(service.corpusTexts(), {
          onProgress: (p, done, total) => {
            if (p !== phase) {
              bar?.stop();
              phase = p;
              bar = createCounter(`training (${p})`, p === 'svd' ? 'passes' : 'texts', total, tty);
            }
            bar?.update(done);
          },
        });
        (bar as ReturnType<typeof createCounter> | null)?.stop();
        embedder = new BuiltinEmbedder(model);
      }
      embedderId = embedder.id;
      const bar = createCounter('embedding', 'texts', docs, tty);
      await service.embedCorpus(embedder, (done) => bar.update(done));
      bar.stop();
    }
    const m = await service.run(queries, { mode: opts.mode, maxQueries: opts.maxQueries, keywordWeight: opts.keywordWeight });
    const r = (x: number) => Math.round(x * 1e5) / 1e5;
    if (opts.json) {
      io.stdout.write(JSON.stringify({ 'ndcg@10': r(m['ndcg@10']), 'recall@100': r(m['recall@100']), 'mrr@10': r(m['mrr@10']), queries: m.queries }) + '\n');
    } else {
      io.stdout.write(
        `${basename(dir)} (${opts.split}): ${m.queries} queries over ${docs} documents, ${opts.mode} search${embedderId ? ` (${embedderId})` : ''}, ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
          `nDCG@10     ${m['ndcg@10'].toFixed(4)}\nRecall@100  ${m['recall@100'].toFixed(4)}\nMRR@10      ${m['mrr@10'].toFixed(4)}\n`,
      );
    }
    return 0;
  } finally {
    await scratch.dispose();
  }
}
