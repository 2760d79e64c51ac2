import { describe, expect, it } from 'vitest';
import type { PaperRecord } from './paper.js';
import { LIMITS, validateRecord } from './validate.js';

const base = { id: '2405.15738', version: 1, source: 'kaggle' as const, title: 'A title' };

describe('validateRecord', () => {
  it('accepts a plain record and a deletion without title', () => {
    expect(validateRecord(base)).toBeNull();
    expect(validateRecord({ id: '2405.15738', version: null, source: 'oai-pmh', deleted: true })).toBeNull();
  });

  it('names what is wrong', () => {
    expect(validateRecord({ ...base, title: undefined })).toMatch(/2405\.15738: missing title/);
    expect(validateRecord({ ...base, id: '' })).toBe('missing arXiv id');
    expect(validateRecord({ ...base, abstract: 'x'.repeat(LIMITS.abstract + 1) })).toMatch(/abstract of 20001 characters/);
    expect(validateRecord({ ...base, authors: Array(LIMITS.authors + 1).fill('A') })).toMatch(/authors exceed/);
    expect(validateRecord({ ...base, version: 0 })).toMatch(/impossible version 0/);
  });
});

describe('validateRecord: every field is capped, and the error names the record and the field', () => {
  const over = (n: number) => 'x'.repeat(n + 1);
  const cases: [string, Partial<PaperRecord>, RegExp][] = [
    ['1,000 versions of 5 kB sizes', { versions: Array.from({ length: 1000 }, (_, i) => ({ version: i + 1, submittedAt: null, size: 'k'.repeat(5000) })) }, /version 1 size of 5000 characters exceeds 32/],
    ['too many versions', { versions: Array.from({ length: LIMITS.versions + 1 }, () => ({ version: 1, submittedAt: null, size: null })) }, /1001 versions exceed 1000/],
    ['an impossible version number in the list', { versions: [{ version: 99_999, submittedAt: null, size: null }] }, /impossible version 99999 in versions/],
    ['a long version date', { versions: [{ version: 1, submittedAt: over(LIMITS.versionDate), size: null }] }, /version 1 date of 65 characters exceeds 64/],
    ['author names too long in all', { authors: Array(LIMITS.authors).fill('n'.repeat(LIMITS.authorName)) }, /author names of 5000000 characters in all exceed 200000/],
    ['a long category', { categories: [over(LIMITS.category)] }, /category of 41 characters exceeds 40/],
    ['a long journal ref', { journalRef: over(LIMITS.other) }, /journalRef of 2001 characters exceeds 2000/],
    ['a long DOI', { doi: over(LIMITS.other) }, /doi of 2001/],
    ['a long code link', { codeUrl: over(LIMITS.other) }, /codeUrl of 2001/],
    ['a long project link', { projectUrl: over(LIMITS.other) }, /projectUrl of 2001/],
    ['a long submission date', { submittedAt: over(LIMITS.versionDate) }, /submittedAt of 65/],
    ['a listing day that is not a day', { listedOn: over(100) }, /listedOn "x{40}" is not a YYYY-MM-DD day/],
    ['too many AI keywords', { hf: { aiKeywords: Array(LIMITS.keywords + 1).fill('kv') } }, /101 Hugging Face AI keywords exceed 100/],
    ['a long AI keyword', { hf: { aiKeywords: [over(LIMITS.keyword)] } }, /Hugging Face AI keyword of 201 characters exceeds 200/],
    ['a long AI summary', { hf: { aiSummary: over(LIMITS.aiSummary) } }, /Hugging Face AI summary of 5001 characters exceeds 5000/],
    ['an impossible upvote count', { hf: { upvotes: 1e12 } }, /Hugging Face upvotes 1000000000000 is not a count/],
    ['a negative star count', { hf: { githubStars: -5 } }, /Hugging Face githubStars -5 is not a count/],
    ['a featured day that is not a day', { hf: { featuredOn: 'yesterday' } }, /Hugging Face featuredOn "yesterday" is not a YYYY-MM-DD day/],
  ];
  it.each(cases)('%s', (_, fields, reason) => {
    const why = validateRecord({ ...base, ...fields });
    expect(why).toMatch(/^paper 2405\.15738: /);
    expect(why).toMatch(reason);
  });

  it('keeps records at every cap', () => {
    const at = (n: number) => 'x'.repeat(n);
    expect(
      validateRecord({
        ...base,
        title: at(LIMITS.title),
        versions: Array.from({ length: LIMITS.versions }, (_, i) => ({ version: i + 1, submittedAt: at(LIMITS.versionDate), size: at(LIMITS.versionSize) })),
        authors: Array(200).fill(at(LIMITS.authorName)),
        categories: Array(LIMITS.categories).fill(at(LIMITS.category)),
        doi: at(LIMITS.other),
        listedOn: '2025-03-01',
        hf: { upvotes: 12, githubStars: 0, aiKeywords: Array(LIMITS.keywords).fill(at(LIMITS.keyword)), aiSummary: at(LIMITS.aiSummary), featuredOn: '2025-03-02' },
      }),
    ).toBeNull();
  });
});
