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

/** Splits a paragraph into text and math segments; adjacent text is merged. */
export function splitTex(s: string): TexSegment[] {
  const out: TexSegment[] = [];
  let text = '';
  let from = 0; // start of the text not yet copied into `text`
  // only a "$" or a backslash can start math or an escaped dollar: jump from one to the next
  const CANDIDATE = /[$\\]/g;
  for (let m = CANDIDATE.exec(s); m !== null; m = CANDIDATE.exec(s)) {
    const i = m.index;
    const math = mathAt(s, i);
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

function mathAt(s: string, i: number): { segment: TexSegment; end: number } | null {
  for (const p of PAIRS) {
    if (!s.startsWith(p.open, i)) continue;
    const close = s.indexOf(p.close, i + p.open.length);
    if (close < 0) return null;
    return segment(s, i, i + p.open.length, close, close + p.close.length, p.display);
  }
  if (s[i] !== '$') return null;
  const start = i + 1;
  if (start >= s.length || /\s/.test(s[start]!)) return null;
  for (let j = s.indexOf('$', start); j >= 0 && j - start <= MAX_MATH; j = s.indexOf('$', j + 1)) {
    if (s[j - 1] === '\\') continue;
    if (/\s/.test(s[j - 1]!) || /\d/.test(s[j + 1] ?? '')) continue;
    return segment(s, i, start, j, j + 1, false);
  }
  return null;
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
