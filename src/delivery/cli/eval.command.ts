/**
 * `paperboy eval beir <dir>`: the keyword ranking's quality on a BEIR benchmark, loaded into a
 * temporary store (never the user's database). Prints nDCG@10, Recall@100 and MRR@10; --json as
 * {"ndcg@10":…,"recall@100":…,"mrr@10":…,"queries":N} (PRODUCT.md).
 */
import { basename } from 'node:path';
import { readCorpus, readQueries } from '../../adapters/search/beir-files.js';
import { openScratchSearch } from '../../adapters/search/scratch-index.js';
import { PaperboyError } from '../../core/errors.js';
import { EvalService } from '../../services/eval.service.js';
import type { SearchMode } from '../../services/search.service.js';
import type { Io } from './main.js';

export interface EvalOpts {
  split: string;
  mode: SearchMode;
  json?: boolean;
  maxQueries?: number;
}

export async function runEvalBeir(dir: string, opts: EvalOpts, io: Io): Promise<number> {
  // refuse before loading a corpus for nothing
  if (opts.mode !== 'keyword') throw new PaperboyError('UNSUPPORTED', `${opts.mode} evaluation is not available yet: only keyword mode is`);
  const queries = await readQueries(dir, opts.split);
  const scratch = await openScratchSearch();
  try {
    const service = new EvalService(scratch.store, scratch.index);
    const started = Date.now();
    const docs = await service.load(readCorpus(dir));
    const m = await service.run(queries, { mode: opts.mode, maxQueries: opts.maxQueries });
    const r = (x: number) => Math.round(x * 1e5) / 1e5;
    if (opts.json) {
      io.stdout.write(JSON.stringify({ 'ndcg@10': r(m['ndcg@10']), 'recall@100': r(m['recall@100']), 'mrr@10': r(m['mrr@10']), queries: m.queries }) + '\n');
    } else {
      io.stdout.write(
        `${basename(dir)} (${opts.split}): ${m.queries} queries over ${docs} documents, ${opts.mode} search, ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
          `nDCG@10     ${m['ndcg@10'].toFixed(4)}\nRecall@100  ${m['recall@100'].toFixed(4)}\nMRR@10      ${m['mrr@10'].toFixed(4)}\n`,
      );
    }
    return 0;
  } finally {
    await scratch.dispose();
  }
}
