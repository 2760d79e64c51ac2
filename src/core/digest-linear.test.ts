/**
 * Composition is linear on hostile text: a title and an abstract of patterns that trip TeX,
 * whitespace folding and escaping, at the largest size a record may have (core/validate.ts),
 * and a topic of 100 kB.
 */
import { describe, expect, it } from 'vitest';
import { adversarial, growth, MAX_GROWTH, type Growth } from '../../test/support/linear.js';
import { composeDigest, type DigestInput } from './digest.js';
import { emptyPaper } from './paper.js';
import { LIMITS } from './validate.js';

/** As test/text-linearity.test.ts: what stays under 25 ms at the largest size passes whatever its curve; three tries against noise. */
const FLOOR_MS = 25;

function worstGrowth(fn: (s: string) => unknown, make: (n: number) => string, max: number): Growth {
  let g = growth(fn, make, max);
  for (let attempt = 1; attempt < 3 && g.ratio > MAX_GROWTH && g.large > FLOOR_MS; attempt++) g = growth(fn, make, max);
  return g.large <= FLOOR_MS ? { ...g, ratio: Math.min(g.ratio, MAX_GROWTH - 1) } : g;
}

const PATTERNS = ['$', '$a ', '$^{', '\\textbf{', '{', '<&"\'>', ' \n', '$\\alpha^', '\\', 'a'];

function digest(title: string, abstract: string, topic: string): DigestInput {
  return {
    subscription: { id: 's', email: 'r@example.org', frequency: 'daily', topics: [topic] },
    period: '2026-08-21',
    papers: [{ paper: { ...emptyPaper('2608.00001'), title, abstract, authors: [title] }, topic }],
    siteUrl: 'https://papers.example.org',
    links: { manage: 'https://papers.example.org/m', unsubscribe: 'https://papers.example.org/u', unsubscribeMailto: 'mailto:u@papers.example.org' },
  };
}

describe('composeDigest on hostile text', () => {
  for (const pattern of PATTERNS) {
    it(`grows linearly with ${JSON.stringify(pattern)}`, () => {
      const abstract = worstGrowth((s) => composeDigest(digest('t', s, 'x')), (n) => adversarial(pattern, n), LIMITS.abstract);
      expect(abstract.ratio, `abstract: ${abstract.small.toFixed(3)} → ${abstract.large.toFixed(3)} ms`).toBeLessThan(MAX_GROWTH);
      const title = worstGrowth((s) => composeDigest(digest(s, 'a', 'x')), (n) => adversarial(pattern, n), LIMITS.title);
      expect(title.ratio, `title: ${title.small.toFixed(3)} → ${title.large.toFixed(3)} ms`).toBeLessThan(MAX_GROWTH);
      const topic = worstGrowth((s) => composeDigest(digest('t', 'a', s)), (n) => adversarial(pattern, n), 100_000);
      expect(topic.ratio, `topic: ${topic.small.toFixed(3)} → ${topic.large.toFixed(3)} ms`).toBeLessThan(MAX_GROWTH);
    });
  }
});
