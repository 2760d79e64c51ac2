/**
 * Comment bodies render in linear time on adversarial input of the largest size accepted
 * (MAX_COMMENT_LENGTH): nested and unbalanced emphasis, backtick storms, "$" storms, long chains
 * of links and brackets, deep quotes and lists, mentions. Measured by growth from an eighth of
 * the size to the whole, as test/text-linearity.test.ts measures every other text path
 * (test/support/linear.ts: no wall-clock threshold), through the real math renderer (KaTeX).
 */
import { describe, expect, it } from 'vitest';
import { MAX_COMMENT_LENGTH, renderCommentBody } from '../src/core/comment-markdown.js';
import { commentMath } from '../src/delivery/http/views/math.js';
import { adversarial, superLinear } from './support/linear.js';

/** [name, repeated pattern, what comes before it, what comes after it] */
const PATTERNS: [string, string, string, string?][] = [
  ['nested emphasis', '*a **b ***c _d __e ', ''],
  ['emphasis openers that never close', '*a ', ''],
  ['runs of "*"', '*', 'x'],
  ['runs of "_" inside a word', '_', 'a', 'b'],
  ['alternating "*" and "_"', '*_', ''],
  ['strikethrough runs', '~~a ', ''],
  ['runs of backticks', '`', ''],
  ['backtick runs of growing length', '`a``b```c', ''],
  ['unclosed code spans', '``a ', ''],
  ['runs of "$"', '$', ''],
  ['"$a " repeated (dollars that never close)', '$a ', ''],
  ['"$1" repeated', '$1', ''],
  ['many small formulas', '$a_1$ ', ''],
  ['runs of "$$"', '$$ ', ''],
  ['"\\(" that never close', '\\(', ''],
  ['"\\[" that never close', '\\[', ''],
  ['backslashes', '\\', ''],
  ['a chain of links', '[a](http://a.b/c)', ''],
  ['unclosed link labels', '[', ''],
  ['nested link labels', '[a', ''],
  ['labels without destinations', '[a]', ''],
  ['destinations without labels', '](', ''],
  ['unclosed destinations', '[a](http://a.b/', ''],
  ['link titles that never close', '[a](http://a.b "', ''],
  ['image syntax', '![a](', ''],
  ['reference definitions', '[a]: http://a.b\n', ''],
  ['autolinks that never close', '<http://a.b/', ''],
  ['bare URLs run together', 'http://a.b/', ''],
  ['many bare URLs', 'http://a.b/c ', ''],
  ['mentions', '@ada ', ''],
  ['runs of "@"', '@', ''],
  ['deep block quotes', '>', ''],
  ['deep lists', '- ', ''],
  ['numbered lists', '1. ', ''],
  ['indented list items', '\n  - a', ''],
  ['fences that never close', '```\n', ''],
  ['HTML', '<b>&amp;</b>', ''],
  ['entities', '&#', ''],
  ['table rows', '|a', ''],
  ['blank lines', '\n \n', ''],
  ['one long word', 'a', ''],
];

const members = new Set(['ada']);
const render = (s: string) => renderCommentBody(s, { mention: (h) => (members.has(h) ? `/members/${h}` : null), math: commentMath() });

describe('a comment body renders in linear time on adversarial input of the maximum size', () => {
  it('renders every pattern at the maximum size', () => {
    // a sanity check on the inputs themselves: the largest size, and rendered without throwing
    for (const [name, pattern, prefix, suffix] of PATTERNS) {
      const input = adversarial(pattern, MAX_COMMENT_LENGTH, prefix, suffix);
      expect(input.length, name).toBe(MAX_COMMENT_LENGTH);
      expect(render(input), name).toMatch(/^(<(p|pre|blockquote|ul|ol|hr)[ >]|$)/);
    }
  }, 120_000);

  it('grows linearly on every pattern', () => {
    const failures: string[] = [];
    for (const [name, pattern, prefix, suffix] of PATTERNS) {
      const why = superLinear(render, (n) => adversarial(pattern, n, prefix, suffix), MAX_COMMENT_LENGTH);
      if (why) failures.push(`${name}: ${why}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
