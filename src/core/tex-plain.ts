/**
 * A line of TeX as plain text, for where neither HTML nor KaTeX can show it (feed titles, which
 * readers show as text): splitTex finds the formulas, textRuns gives the text between them as
 * it reads (\textbf{Foo} is Foo, \% a percent), and a simple formula becomes its Unicode
 * reading: M$^3$Eval is M³Eval, $\alpha$-NAS α-NAS, $\mathcal{O}(n^2)$ O(n²). A formula with
 * anything this does not know stays as written, without its dollars. One pass over the text.
 */
import { mayHoldMath, splitTex } from './tex.js';
import { mayHoldMarkup, textRuns } from './tex-text.js';

export function texPlainText(s: string): string {
  if (!mayHoldMath(s) && !mayHoldMarkup(s)) return s;
  return splitTex(s)
    .map((seg) => (seg.kind === 'math' ? (mathText(seg.tex) ?? seg.tex.trim()) : textRuns(seg.text).map((r) => r.text).join('')))
    .join('');
}

const SUPER: Record<string, string> = {
  0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹',
  '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', T: 'ᵀ', '*': '*', '′': '′',
  a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', f: 'ᶠ', g: 'ᵍ', h: 'ʰ', i: 'ⁱ', j: 'ʲ', k: 'ᵏ', l: 'ˡ', m: 'ᵐ',
  n: 'ⁿ', o: 'ᵒ', p: 'ᵖ', r: 'ʳ', s: 'ˢ', t: 'ᵗ', u: 'ᵘ', v: 'ᵛ', w: 'ʷ', x: 'ˣ', y: 'ʸ', z: 'ᶻ',
};
const SUB: Record<string, string> = {
  0: '₀', 1: '₁', 2: '₂', 3: '₃', 4: '₄', 5: '₅', 6: '₆', 7: '₇', 8: '₈', 9: '₉',
  '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', o: 'ₒ', x: 'ₓ', h: 'ₕ',
  k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', p: 'ₚ', s: 'ₛ', t: 'ₜ', i: 'ᵢ', j: 'ⱼ',
};

const SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ',
  upsilon: 'υ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ',
  Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  times: '×', cdot: '·', pm: '±', mp: '∓', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈',
  sim: '∼', infty: '∞', to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', leftrightarrow: '↔', in: '∈',
  ell: 'ℓ', partial: '∂', nabla: '∇', sum: '∑', prod: '∏', int: '∫', sqrt: '√', circ: '∘', star: '⋆', ast: '∗',
  dagger: '†', ddagger: '‡', prime: '′', cdots: '⋯', ldots: '…', dots: '…', log: 'log', exp: 'exp', max: 'max',
  min: 'min', sin: 'sin', cos: 'cos', '%': '%', '&': '&', '#': '#', _: '_', '{': '{', '}': '}', '$': '$',
  ',': ' ', ';': ' ', ':': ' ', '!': '', ' ': ' ', quad: ' ', qquad: ' ', left: '', right: '', big: '', Big: '',
};

/** Commands whose one argument is shown as it is (fonts, text, boxes). */
const ARGUMENT = new Set(['mathrm', 'mathbf', 'mathit', 'mathsf', 'mathtt', 'mathcal', 'mathbb', 'mathfrak', 'mathscr', 'boldsymbol', 'bm', 'text', 'textrm', 'textbf', 'textit', 'operatorname', 'mbox', 'hat', 'bar', 'tilde', 'vec', 'widetilde', 'widehat', 'overline']);

/** A formula's Unicode reading, or null when it holds anything not read here. */
function mathText(tex: string): string | null {
  let out = '';
  let i = 0;
  while (i < tex.length) {
    const c = tex[i]!;
    if (c === '^' || c === '_') {
      const arg = argument(tex, i + 1);
      if (!arg) return null;
      const inner = mathText(arg.text);
      if (inner === null) return null;
      out += script(inner.trim(), c === '^' ? SUPER : SUB, c);
      i = arg.end;
    } else if (c === '\\') {
      const name = /^[A-Za-z]+|^./s.exec(tex.slice(i + 1, i + 40))?.[0];
      if (name === undefined) return null;
      i += 1 + name.length;
      if (ARGUMENT.has(name)) {
        const arg = argument(tex, i);
        if (!arg) return null;
        const inner = mathText(arg.text);
        if (inner === null) return null;
        out += inner;
        i = arg.end;
      } else if (name in SYMBOLS) out += SYMBOLS[name];
      else return null;
    } else if (c === '{' || c === '}') i++;
    else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The argument at i: {…} (no nested braces) or one character, with where it ends. */
function argument(tex: string, i: number): { text: string; end: number } | null {
  while (tex[i] === ' ') i++;
  if (i >= tex.length) return null;
  if (tex[i] !== '{') return tex[i] === '\\' || tex[i] === '}' ? null : { text: tex[i]!, end: i + 1 };
  const close = tex.indexOf('}', i + 1);
  if (close < 0 || tex.slice(i + 1, close).includes('{')) return null;
  return { text: tex.slice(i + 1, close), end: close + 1 };
}

/** Super- or subscript characters when each has one, else ^x or _(xy) as written in plain text. */
function script(s: string, map: Record<string, string>, mark: string): string {
  const chars = [...s];
  if (chars.length > 0 && chars.every((ch) => ch in map)) return chars.map((ch) => map[ch]).join('');
  return chars.length === 1 ? `${mark}${s}` : `${mark}(${s})`;
}
