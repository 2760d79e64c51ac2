import { describe, expect, it } from 'vitest';
import { samplePaper } from '../../test/support/papers.js';
import { bibtex, citeKey, escapeField } from './bibtex.js';

describe('bibtex', () => {
  it('writes an @misc entry with eprint, archivePrefix and primaryClass', () => {
    const b = bibtex(samplePaper('2405.15738', { title: 'Thermodynamic Natural Gradient Descent' }));
    expect(b).toMatch(/^@misc\{donatella2024thermodynamic,\n/);
    expect(b).toContain('  title         = {Thermodynamic Natural Gradient Descent},');
    expect(b).toContain('  author        = {Kaelan Donatella and Samuel Duffield and Maxwell Aifer},');
    expect(b).toContain('  eprint        = {2405.15738},');
    expect(b).toContain('  archivePrefix = {arXiv},');
    expect(b).toContain('  primaryClass  = {cs.LG},');
    expect(b).toContain('  doi           = {10.1000/xyz},');
    expect(b).toMatch(/url += \{https:\/\/arxiv\.org\/abs\/2405\.15738\}\n\}$/);
  });

  it('escapes TeX specials in text but keeps math and commands as written', () => {
    expect(escapeField('R&D at 50% for #1 and snake_case')).toBe('R\\&D at 50\\% for \\#1 and snake\\_case');
    expect(escapeField('Bounds in $O(n^2)$ for $5 and $10')).toBe('Bounds in $O(n^2)$ for \\$5 and \\$10');
    expect(escapeField('Already 50\\% escaped, G\\"odel')).toBe('Already 50\\% escaped, G\\"odel');
    expect(escapeField('a {lone brace')).toBe('a \\{lone brace');
    expect(escapeField('x^y outside math')).toBe('x\\^{}y outside math');
  });

  it('builds ASCII cite keys, falling back to the arXiv id', () => {
    expect(citeKey(samplePaper('2405.15738', { authors: ['Jürgen Müller'], title: 'On the Theory of Everything' }))).toBe('muller2024theory');
    expect(citeKey(samplePaper('hep-th/9901001', { authors: null, title: null }))).toBe('arxivhepth9901001');
  });

  it('keeps a collaboration with "and" in its name as one author, and leaves absent fields out', () => {
    const b = bibtex(samplePaper('2405.15738', { authors: ['ATLAS and CMS Collaborations', 'Ada Lovelace'], doi: null, categories: null }));
    expect(b).toContain('author        = {{ATLAS and CMS Collaborations} and Ada Lovelace}');
    expect(b).not.toContain('doi');
    expect(b).not.toContain('primaryClass');
  });
});
