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

/** A text segment as runs; adjacent runs with the same styles and link are merged. */
export function textRuns(s: string): TextRun[] {
  const out: TextRun[] = [];
  parse(s, [], null, out);
  return out;
}

function parse(s: string, styles: readonly TextStyle[], href: string | null, out: TextRun[]): void {
  let from = 0;
  const command = /\\([a-zA-Z]+)\{/g; // one per call: parse recurses into arguments
  for (let m = command.exec(s); m !== null; m = command.exec(s)) {
    const name = m[1]!;
    const open = m.index + m[0].length; // just after "{"
    const close = closingBrace(s, open);
    if (close < 0) continue; // unclosed: left as written
    const arg = s.slice(open, close);
    let end = close + 1;
    // the end of a second argument, for \href{url}{text} and \textcolor{colour}{text}
    const second = s[end] === '{' ? closingBrace(s, end + 1) : -1;
    const style = STYLES[name];
    if (style || PLAIN.has(name)) {
      plain(s.slice(from, m.index), styles, href, out);
      parse(arg, style ? [...styles, style] : styles, href, out);
    } else if (name === 'url') {
      plain(s.slice(from, m.index), styles, href, out);
      const url = unescapeTexText(arg);
      push(out, url, styles, href ?? webAddress(url));
    } else if ((name === 'href' || SECOND.has(name)) && second >= 0) {
      plain(s.slice(from, m.index), styles, href, out);
      const link = name === 'href' ? (href ?? webAddress(unescapeTexText(arg))) : href;
      parse(s.slice(end + 1, second), styles, link, out);
      end = second + 1;
    } else {
      continue; // another command: left as written
    }
    from = end;
    command.lastIndex = end;
  }
  plain(s.slice(from), styles, href, out);
}

/** The index of the "}" closing a group that starts at `from` (just after its "{"), or -1. */
function closingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++; // \{ and \} don't count
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * A bare http(s) address: no spaces, quotes, angle brackets or braces; trailing punctuation is
 * the sentence's, and a closing parenthesis is the address's only if it opened one.
 */
const BARE_URL = /https?:\/\/[^\s<>"'{}\\]+/g;
const TRAILING = /[.,;:!?'"*]+$/;

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

function trimUrl(url: string): string {
  let u = url.replace(TRAILING, '');
  // "(see https://x.org/a)" ends at the "a"; "https://en.wikipedia.org/wiki/F_(G)" keeps its ")"
  while (/[)\]]$/.test(u) && count(u, u.endsWith(')') ? '(' : '[') < count(u, u.at(-1)!)) u = u.slice(0, -1).replace(TRAILING, '');
  return u;
}

function count(s: string, c: string): number {
  return s.split(c).length - 1;
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
