/**
 * Normalising the text arXiv and Hugging Face send: hard-wrapped titles and abstracts, author
 * lists written as prose, dates in RFC 2822 or ISO-8601.
 */

/** Control characters other than whitespace: never meaningful in metadata, and PostgreSQL refuses NUL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

function withoutControls(s: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(s) ? s.replace(CONTROL, '') : s;
}

/**
 * Whitespace that folding to one space changes: runs, and single characters other than a space.
 * Replacing only these gives what replace(/\s+/g, ' ') gives, faster: most single spaces stay.
 */
export const WHITESPACE_TO_FOLD = /\s{2,}|[^\S ]/g;

/**
 * The first `max` characters of `s` on one line (every run of whitespace one space), as
 * `s.replace(/\s+/g, ' ').slice(0, max)` gives them, without collapsing the whole of a long
 * abstract for a 200-character description.
 */
export function oneLinePrefix(s: string, max: number): string {
  for (let take = 2 * max + 16; ; take *= 4) {
    // collapsing a prefix gives a prefix of the collapsed whole
    const out = s.slice(0, take).replace(WHITESPACE_TO_FOLD, ' ');
    if (out.length > max || take >= s.length) return out.slice(0, max);
  }
}

/** Collapses all runs of whitespace to one space and trims: titles, comments, names. */
export function cleanLine(s: string | null | undefined): string | null {
  if (s == null) return null;
  s = withoutControls(s);
  // replaces only what needs replacing: most single spaces are left alone, which is much faster
  const t = s.replace(WHITESPACE_TO_FOLD, ' ').trim();
  return t === '' ? null : t;
}

/**
 * Abstracts arrive hard-wrapped at ~80 columns, with a new paragraph marked by a blank line or
 * by a line that starts indented. Unwraps lines and keeps paragraphs, separated by "\n\n".
 */
export function cleanAbstract(s: string | null | undefined): string | null {
  if (s == null) return null;
  const paragraphs = withoutControls(s)
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n\s*\n|\n(?=[ \t]+\S)/)
    .map((p) => p.replace(WHITESPACE_TO_FOLD, ' ').trim())
    .filter((p) => p !== '');
  return paragraphs.length === 0 ? null : paragraphs.join('\n\n');
}

/**
 * Splits an arXiv author string ("A. One, B. Two, and C. Three", "A. One and B. Two") into names.
 * Parenthesised affiliations are dropped: "A. One (MIT), B. Two" gives ["A. One", "B. Two"].
 */
export function splitAuthors(s: string | null | undefined): string[] | null {
  if (s == null) return null;
  const withoutAffiliations = stripParenthesised(s.replace(/\s+/g, ' '));
  const names = withoutAffiliations
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*/i)
    .map((n) => n.trim())
    .filter((n) => n !== '' && !/^et al\.?$/i.test(n));
  return names.length === 0 ? null : names;
}

function stripParenthesised(s: string): string {
  let out = '';
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/** Parses RFC 2822 ("Tue, 3 Apr 2007 22:04:11 GMT") or ISO dates to ISO-8601 UTC; null when unparseable. */
export function toIsoTimestamp(s: string | null | undefined): string | null {
  if (s == null || s.trim() === '') return null;
  const ms = Date.parse(s.trim());
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString();
}

/** YYYY-MM-DD of an ISO timestamp or a date string; null when unparseable. */
export function toDay(s: string | null | undefined): string | null {
  if (s == null) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(s.trim())) return s.trim();
  return toIsoTimestamp(s)?.slice(0, 10) ?? null;
}

const BACKSLASH = 92;

/** A replacement per ASCII character, indexed by its code: replaceChars's table. */
export function charTable(map: Record<string, string>): readonly (string | undefined)[] {
  const table: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined);
  for (const [c, r] of Object.entries(map)) table[c.charCodeAt(0)] = r;
  return table;
}

/**
 * s with each ASCII character that has a replacement in `table` replaced, in one pass. A global
 * String.replace with a callback costs more than linearly on V8 once the matches run into the
 * thousands (20,000 quotes: 4.7 ms, 40,000: 10 ms, against 0.15 and 0.3 ms here), and an
 * abstract of quotes is exactly what a stranger can send. unlessEscaped: a character right after
 * a backslash is kept as it is (TeX's \$, for BibTeX).
 */
export function replaceChars(s: string, table: readonly (string | undefined)[], opts: { unlessEscaped?: boolean } = {}): string {
  const unlessEscaped = opts.unlessEscaped ?? false;
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const r = c < 128 && !(unlessEscaped && s.charCodeAt(i - 1) === BACKSLASH) ? table[c] : undefined;
    if (r === undefined) continue;
    out += s.slice(last, i) + r;
    last = i + 1;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** The text with its first character upper-cased ("the display name …" → "The display name …"). */
export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
