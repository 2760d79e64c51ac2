import { describe, expect, it } from 'vitest';
import { texPlainText } from './tex-plain.js';

describe('texPlainText', () => {
  it('reads simple formulas as Unicode text', () => {
    expect(texPlainText('M$^3$Eval: A Benchmark')).toBe('M³Eval: A Benchmark');
    expect(texPlainText('$\\alpha$-NAS and $\\mathcal{O}(n^2)$ time')).toBe('α-NAS and O(n²) time');
    expect(texPlainText('CO$_2$ and $x_{ij}$, $\\mathbb{R}^{d}$')).toBe('CO₂ and xᵢⱼ, Rᵈ');
    expect(texPlainText('$10\\times$ faster, $\\geq 90\\%$')).toBe('10× faster, ≥ 90%');
  });

  it('shows text commands as their text and TeX escapes as their characters; money stays money', () => {
    expect(texPlainText('\\textbf{Bold} ideas at 50\\% off')).toBe('Bold ideas at 50% off');
    expect(texPlainText('prices of $5 and $10')).toBe('prices of $5 and $10');
    expect(texPlainText('No markup at all')).toBe('No markup at all');
  });

  it('keeps a formula it cannot read as written, without its dollars', () => {
    expect(texPlainText('Strings in $AdS_5 \\times S^5$')).toBe('Strings in AdS₅ × S⁵');
    expect(texPlainText('Broken $\\frac{a}{b}$ math')).toBe('Broken \\frac{a}{b} math');
    expect(texPlainText('$x^{\\dagger}$')).toBe('x^†');
  });

  it('reads a long run of formulas and unclosed scripts in one pass', () => {
    expect(texPlainText('$x^{2}$ '.repeat(20_000)).length).toBe(20_000 * 3);
    // every ^ opens a group that never closes: each is looked at once, then the formula kept as written
    const open = `$${'^{'.repeat(499)}$`;
    expect(texPlainText(open)).toBe(open.slice(1, -1));
  });
});
