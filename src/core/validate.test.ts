import { describe, expect, it } from 'vitest';
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
