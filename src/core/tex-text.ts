/**
 * The text between formulas as readers should see it. Authors write LaTeX text commands in
 * their abstracts (about one arXiv cs abstract in twenty has \textbf, \emph, \textit, \texttt or
 * \textsc), links as \url{…} or \href{…}{…}, and bare URLs (about one in six: code, data, project
 * pages). This turns one text segment (splitTex's, so no math) into runs of text with their
 * styles and link; the views render them. Anything else (an unknown command, an unclosed brace)
 * stays as written, and TeX's escapes (\%, \&, \_ …) become their characters.
 */
import { splitTex, unescapeTexText } from './tex.js';

export type TextStyle = 'em' | 'strong' | 'code' | 'smallcaps';

export interface TextRun {
  text: string;
  /** outermost first */
  styles: readonly TextStyle[];
  /** an http(s) address, or null */
  href: string | null;
}

const STYLES: Record<string, TextStyle> = {
  emph: 'em',
  textit: 'em',
  textsl: 'em',
  textbf: 'strong',
  texttt: 'code',
  textsc: 'smallcaps',
};

/** Commands whose argument is shown as plain text (fonts and boxes that don't carry meaning here). */
const PLAIN = new Set(['textrm', 'textup', 'textnormal', 'textsf', 'textmd', 'mbox', 'text', 'underline']);
/** Commands whose first argument (a colour) is dropped and whose second is shown: \textcolor{red}{…}. */
const SECOND = new Set(['textcolor', 'colorbox']);

/** Whether a segment may hold anything textRuns changes: the cheap test before parsing. */
export function mayHoldMarkup(s: string): boolean {
  return s.includes('\\') || s.includes('http');
}

/**
 * Text whose text commands are replaced by what they show (\textbf{Foo} is Foo, \href{u}{the
 * code} is "the code"), its math and paragraphs kept as written: for search highlighting, which
 * marks words in plain text. A "\$" stays escaped, so the result splits into the same formulas.
 */
export function withoutTextCommands(s: string): string {
  if (!s.includes('\\')) return s;
  return s
    .split(/(\n\s*\n)/) // paragraphs, with the blank lines between them (math never spans one)
    .map((p, i) =>
      i % 2 === 1 || !p.includes('\\')
        ? p
        : splitTex(p)
            .map((seg) => (seg.kind === 'math' ? seg.source : textRuns(seg.text).map((r) => r.text).join('').replaceAll('$', '\\$')))
            .join(''),
    )
    .join('');
}

/** A text segment as runs; adjacent runs with the same styles and link are merged. Linear in its length. */
export function textRuns(s: string): TextRun[] {
  const out: TextRun[] = [];
  parse(new Source(s), 0, s.length, [], null, 0, out);
  return out;
}

/**
 * Commands nested deeper than this are shown as written: real abstracts nest two or three, and
 * a bound keeps "\textbf{\textbf{…" of a 20,000-character abstract from recursing 2,000 deep.
 */
const MAX_DEPTH = 32;

/**
 * A segment with its commands and brace pairs found once, in one pass each. Searching for them
 * again inside every argument, or for a closing brace from every unclosed "\textbf{", costs the
 * square of the length on nested or unbalanced input (seconds for one crafted abstract).
 */
class Source {
  /** every "\name{", by position: the ones inside an argument are the argument's */
  readonly commands: { index: number; name: string; open: number }[] = [];
  /** at each "{", the index of the "}" closing it; -1 elsewhere and for an unclosed one */
  private readonly closes: Int32Array;

  constructor(readonly s: string) {
    for (const m of s.matchAll(/\\([a-zA-Z]+)\{/g)) this.commands.push({ index: m.index, name: m[1]!, open: m.index + m[0].length });
    this.closes = new Int32Array(s.length).fill(-1);
    const stack: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '\\') i++; // \{ and \} don't count
      else if (c === '{') stack.push(i);
      else if (c === '}' && stack.length > 0) this.closes[stack.pop()!] = i;
    }
  }

  /** The index of the "}" closing the group that starts just before `from` (its "{" is at from - 1), or -1. */
  closingBrace(from: number): number {
    return from > 0 && from <= this.s.length ? this.closes[from - 1]! : -1;
  }

  /** The index in `commands` of the first command at or after `at`. */
  firstCommand(at: number): number {
    let lo = 0;
    let hi = this.commands.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.commands[mid]!.index < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Runs of src.s[start, end): commands met in it become styles and links, arguments parsed in
 * turn. A group closes inside the range it opened in (braces pair up like the range's own), so
 * the brace table of the whole segment answers for every argument.
 */
function parse(src: Source, start: number, end: number, styles: readonly TextStyle[], href: string | null, depth: number, out: TextRun[]): void {
  const s = src.s;
  let from = start;
  for (let k = src.firstCommand(start); k < src.commands.length; k++) {
    const { index, name, open } = src.commands[k]!;
    if (index >= end) break;
    const close = src.closingBrace(open);
    if (close < 0 || close >= end || depth >= MAX_DEPTH) continue; // unclosed or too deep: left as written
    let after = close + 1;
    // the end of a second argument, for \href{url}{text} and \textcolor{colour}{text}
    const second = s[after] === '{' && after < end ? src.closingBrace(after + 1) : -1;
    const style = STYLES[name];
    if (style || PLAIN.has(name)) {
      plain(s.slice(from, index), styles, href, out);
      // a style already on (\textbf inside \textbf) adds nothing: at most four tags around a run
      parse(src, open, close, style && !styles.includes(style) ? [...styles, style] : styles, href, depth + 1, out);
    } else if (name === 'url') {
      plain(s.slice(from, index), styles, href, out);
      const url = unescapeTexText(s.slice(open, close));
      push(out, url, styles, href ?? webAddress(url));
    } else if ((name === 'href' || SECOND.has(name)) && second >= 0 && second < end) {
      plain(s.slice(from, index), styles, href, out);
      const link = name === 'href' ? (href ?? webAddress(unescapeTexText(s.slice(open, close)))) : href;
      parse(src, after + 1, second, styles, link, depth + 1, out);
      after = second + 1;
    } else {
      continue; // another command: left as written
    }
    from = after;
    k = src.firstCommand(from) - 1; // past the commands inside the arguments just parsed
  }
  plain(s.slice(from, end), styles, href, out);
}

/**
 * A bare http(s) address: no spaces, quotes, angle brackets or braces; trailing punctuation is
 * the sentence's, and a closing parenthesis is the address's only if it opened one.
 */
const BARE_URL = /https?:\/\/[^\s<>"'{}\\]+/g;

/** Text without commands: TeX escapes undone, bare addresses made links (outside a link). */
function plain(raw: string, styles: readonly TextStyle[], href: string | null, out: TextRun[]): void {
  if (raw === '') return;
  const s = unescapeTexText(raw);
  if (href !== null || !s.includes('http')) return push(out, s, styles, href);
  let from = 0;
  BARE_URL.lastIndex = 0;
  for (let m = BARE_URL.exec(s); m !== null; m = BARE_URL.exec(s)) {
    const url = trimUrl(m[0]);
    const link = webAddress(url);
    if (!link) continue;
    push(out, s.slice(from, m.index), styles, null);
    push(out, url, styles, link);
    from = m.index + url.length;
    BARE_URL.lastIndex = from;
  }
  push(out, s.slice(from), styles, null);
}

/**
 * The address without the sentence's trailing punctuation, and without closing brackets it did
 * not open. One pass from the end with the brackets counted once: trimming a character at a
 * time and counting again each time was quadratic ("see http://a.b/" and 19,900 ")": 4.9 s).
 */
function trimUrl(url: string): string {
  let end = withoutTrailing(url, url.length);
  // trailing punctuation holds no bracket: what opened stays counted, what closed goes one by one
  const opened = { ')': count(url, '(', end), ']': count(url, '[', end) };
  const closed = { ')': count(url, ')', end), ']': count(url, ']', end) };
  // "(see https://x.org/a)" ends at the "a"; "https://en.wikipedia.org/wiki/F_(G)" keeps its ")"
  for (let c = url[end - 1]; (c === ')' || c === ']') && opened[c] < closed[c]; c = url[end - 1]) {
    closed[c]--;
    end = withoutTrailing(url, end - 1);
  }
  return url.slice(0, end);
}

const TRAILING_CHARS = new Set('.,;:!?\'"*');

/** Where `url`'s first `end` characters end without trailing punctuation. */
function withoutTrailing(url: string, end: number): number {
  while (end > 0 && TRAILING_CHARS.has(url[end - 1]!)) end--;
  return end;
}

/** How many times c occurs in s's first `end` characters. */
function count(s: string, c: string, end: number): number {
  let n = 0;
  for (let i = s.indexOf(c); i >= 0 && i < end; i = s.indexOf(c, i + 1)) n++;
  return n;
}

/** The address if it is an absolute http(s) URL, else null: no javascript:, no relative paths. */
function webAddress(url: string): string | null {
  const address = url.trim();
  if (!/^https?:\/\//i.test(address)) return null;
  try {
    return new URL(address).hostname !== '' ? address : null;
  } catch {
    return null;
  }
}

function push(out: TextRun[], text: string, styles: readonly TextStyle[], href: string | null): void {
  if (text === '') return;
  const last = out.at(-1);
  if (last && last.href === href && sameStyles(last.styles, styles)) last.text += text;
  else out.push({ text, styles, href });
}

function sameStyles(a: readonly TextStyle[], b: readonly TextStyle[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
