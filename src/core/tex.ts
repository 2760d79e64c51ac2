/**
 * Finding the LaTeX in titles and abstracts: splits one paragraph into plain text and math
 * (inline $…$ and \(…\), display $$…$$ and \[…\]). Used by the web pages (which render the
 * math with KaTeX) and by BibTeX (which keeps it as it is).
 *
 * Dollars are also money. An inline $ pairs only under pandoc's rule, which tells "$5 and $10"
 * from "$x$": the opening $ is followed by a non-space, the closing $ is preceded by a non-space
 * and not followed by a digit. Math never spans paragraphs (callers split first) and is at most
 * MAX_MATH characters long; "\$" is a literal dollar.
 */

export type TexSegment =
  | { kind: 'text'; text: string }
  | {
      kind: 'math';
      tex: string;
      display: boolean;
      /** the math with its delimiters, as written */
      source: string;
      /** where that source starts and ends in the paragraph */
      start: number;
      end: number;
    };

/** Longer "math" is far more likely a stray dollar than a formula. */
export const MAX_MATH = 1000;

const PAIRS = [
  { open: '$$', close: '$$', display: true },
  { open: '\\[', close: '\\]', display: true },
  { open: '\\(', close: '\\)', display: false },
] as const;

/** Splits a paragraph into text and math segments; adjacent text is merged. Linear in its length. */
export function splitTex(s: string): TexSegment[] {
  const out: TexSegment[] = [];
  const closers = new Closers(s);
  let text = '';
  let from = 0; // start of the text not yet copied into `text`
  // only a "$" or a backslash can start math or an escaped dollar: jump from one to the next
  const CANDIDATE = /[$\\]/g;
  for (let m = CANDIDATE.exec(s); m !== null; m = CANDIDATE.exec(s)) {
    const i = m.index;
    const math = mathAt(s, i, closers);
    if (math) {
      text += s.slice(from, i);
      if (text) out.push({ kind: 'text', text });
      text = '';
      out.push(math.segment);
      from = CANDIDATE.lastIndex = math.end;
    } else if (s.startsWith('\\$', i)) {
      text += `${s.slice(from, i)}$`;
      from = CANDIDATE.lastIndex = i + 2;
    }
  }
  text += s.slice(from);
  if (text) out.push({ kind: 'text', text });
  return out;
}

/** Whether a string may hold math at all: the cheap test before splitting. */
export function mayHoldMath(s: string): boolean {
  return s.includes('$') || s.includes('\\(') || s.includes('\\[');
}

/**
 * Where the math opened at a position would close. Openings are met left to right, so each
 * answer is remembered until the search moves past it: without that, "\[" or "$a " repeated
 * thousands of times would search the rest of the paragraph once per opening (quadratic: 0.6 s
 * for a 20,000-character abstract), with it every character is looked at a bounded number of times.
 */
class Closers {
  private readonly pairs = PAIRS.map(() => ({ at: -2, from: 0 }));
  private dollar = { at: -2, from: 0 };
  constructor(private readonly s: string) {}

  /** The first p.close at or after `from`, or -1; `from` never decreases between calls. */
  pair(k: number, from: number): number {
    const c = this.pairs[k]!;
    if (c.at >= from || (c.at === -1 && from >= c.from)) return c.at;
    c.from = from;
    c.at = this.s.indexOf(PAIRS[k]!.close, from);
    return c.at;
  }

  /** The first "$" at or after `from` that can close inline math (pandoc's rule), or -1. */
  inline(from: number): number {
    const c = this.dollar;
    if (c.at >= from || (c.at === -1 && from >= c.from)) return c.at;
    const s = this.s;
    let j = s.indexOf('$', Math.max(from, c.at + 1));
    while (j >= 0 && (s[j - 1] === '\\' || /\s/.test(s[j - 1]!) || /\d/.test(s[j + 1] ?? ''))) j = s.indexOf('$', j + 1);
    c.from = from;
    c.at = j;
    return j;
  }
}

function mathAt(s: string, i: number, closers: Closers): { segment: TexSegment; end: number } | null {
  for (let k = 0; k < PAIRS.length; k++) {
    const p = PAIRS[k]!;
    if (!s.startsWith(p.open, i)) continue;
    const close = closers.pair(k, i + p.open.length);
    if (close < 0) return null;
    return segment(s, i, i + p.open.length, close, close + p.close.length, p.display);
  }
  if (s[i] !== '$') return null;
  const start = i + 1;
  if (start >= s.length || /\s/.test(s[start]!)) return null;
  const j = closers.inline(start);
  return j >= 0 && j - start <= MAX_MATH ? segment(s, i, start, j, j + 1, false) : null;
}

function segment(s: string, from: number, texStart: number, texEnd: number, to: number, display: boolean) {
  const tex = s.slice(texStart, texEnd);
  if (tex.trim() === '' || tex.length > MAX_MATH) return null;
  const segment: TexSegment = { kind: 'math', tex, display, source: s.slice(from, to), start: from, end: to };
  return { segment, end: to };
}

/** Text-mode escapes that mean a plain character (\% \& \_ \# \{ \}), unescaped for display. */
export function unescapeTexText(s: string): string {
  return s.includes('\\') ? s.replace(/\\([%&_#{}])/g, '$1') : s;
}
