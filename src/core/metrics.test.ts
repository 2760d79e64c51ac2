import { describe, expect, it } from 'vitest';
import { evaluate, mrrAt, ndcgAt, ranked, recallAt } from './metrics.js';

const judged = new Map([
  ['d1', 2],
  ['d2', 1],
  ['d3', 0],
]);

describe('retrieval metrics (trec_eval / BEIR)', () => {
  it('orders a run by score, ties by id descending, and drops the query’s own id', () => {
    const run = new Map([
      ['a', 1],
      ['c', 3],
      ['b', 1],
      ['q1', 9],
    ]);
    expect(ranked('q1', run)).toEqual(['c', 'b', 'a']);
  });

  it('nDCG uses the grades as gains and log2(rank + 1) discounts', () => {
    // ranks: d2 (1), x, d1 (2)  →  DCG = 1/log2(2) + 2/log2(4) = 2 ; ideal = 2/1 + 1/log2(3)
    const dcg = 1 + 2 / 2;
    const ideal = 2 + 1 / Math.log2(3);
    expect(ndcgAt(10, ['d2', 'x', 'd1'], judged)).toBeCloseTo(dcg / ideal, 12);
    expect(ndcgAt(1, ['d1'], judged)).toBe(1);
    expect(ndcgAt(10, ['x'], new Map())).toBe(0);
  });

  it('recall counts judgements ≥ 1 within the cut-off', () => {
    expect(recallAt(100, ['d3', 'd2'], judged)).toBe(0.5);
    expect(recallAt(1, ['d3', 'd2', 'd1'], judged)).toBe(0);
  });

  it('MRR is the reciprocal rank of the first relevant document, 0 past the cut-off', () => {
    expect(mrrAt(10, ['x', 'd3', 'd2'], judged)).toBeCloseTo(1 / 3, 12);
    expect(mrrAt(2, ['x', 'd3', 'd2'], judged)).toBe(0);
  });

  it('averages over judged queries; a query with no results scores 0', () => {
    const qrels = new Map([
      ['q1', new Map([['d1', 1]])],
      ['q2', new Map([['d9', 1]])],
    ]);
    const run = new Map([['q1', new Map([['d1', 1.5]])]]);
    expect(evaluate(qrels, run)).toEqual({ 'ndcg@10': 0.5, 'recall@100': 0.5, 'mrr@10': 0.5, queries: 2 });
  });
});
