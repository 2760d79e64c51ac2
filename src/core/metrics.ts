/**
 * Retrieval quality measures as BEIR reports them: nDCG@10 and Recall@100 as pytrec_eval
 * (trec_eval) computes them, MRR@10 as BEIR's own `mrr`. Pure: judgements and runs in, numbers out.
 *
 * trec_eval details kept on purpose, so that figures compare with published ones:
 * - a run is ordered by score descending, ties by document id descending (trec_eval's
 *   comp_sim_docno), whatever order it was given in;
 * - gains are the judgement values themselves (not 2^rel − 1), discounts log2(rank + 1), and the
 *   ideal ranking is every judged document sorted by gain;
 * - relevant means a judgement ≥ 1;
 * - as BEIR does by default, a document whose id equals the query's id is dropped from its run.
 */

/** query id → document id → graded relevance */
export type Qrels = ReadonlyMap<string, ReadonlyMap<string, number>>;
/** query id → document id → score (higher is better) */
export type Run = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface Metrics {
  'ndcg@10': number;
  'recall@100': number;
  'mrr@10': number;
  /** queries evaluated: those with judgements */
  queries: number;
}

/** The run of one query as trec_eval orders it. */
export function ranked(queryId: string, scores: ReadonlyMap<string, number>): string[] {
  return [...scores.entries()]
    .filter(([doc]) => doc !== queryId)
    .sort(([da, a], [db, b]) => b - a || (db < da ? -1 : db > da ? 1 : 0))
    .map(([doc]) => doc);
}

export function ndcgAt(k: number, docs: readonly string[], judged: ReadonlyMap<string, number>): number {
  const dcg = docs.slice(0, k).reduce((s, d, i) => s + Math.max(0, judged.get(d) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...judged.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

export function recallAt(k: number, docs: readonly string[], judged: ReadonlyMap<string, number>): number {
  const relevant = [...judged.values()].filter((g) => g >= 1).length;
  if (relevant === 0) return 0;
  return docs.slice(0, k).filter((d) => (judged.get(d) ?? 0) >= 1).length / relevant;
}

export function mrrAt(k: number, docs: readonly string[], judged: ReadonlyMap<string, number>): number {
  const i = docs.slice(0, k).findIndex((d) => (judged.get(d) ?? 0) >= 1);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** Means over every judged query (a query the run left out scores 0), as BEIR averages them. */
export function evaluate(qrels: Qrels, run: Run): Metrics {
  let ndcg = 0;
  let recall = 0;
  let mrr = 0;
  for (const [q, judged] of qrels) {
    const docs = ranked(q, run.get(q) ?? new Map());
    ndcg += ndcgAt(10, docs, judged);
    recall += recallAt(100, docs, judged);
    mrr += mrrAt(10, docs, judged);
  }
  const n = qrels.size;
  return { 'ndcg@10': n ? ndcg / n : 0, 'recall@100': n ? recall / n : 0, 'mrr@10': n ? mrr / n : 0, queries: n };
}
