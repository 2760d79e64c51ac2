/**
 * BibTeX for a paper, as arXiv recommends citing preprints: an @misc entry with eprint,
 * archivePrefix and primaryClass (biblatex and natbib styles both read them).
 *
 * arXiv titles and abstracts are TeX-ish already: math ($…$) and commands (\"o, \emph{…}) are
 * kept as written; characters that are special to TeX but plainly meant as text (& % # _ ^ and
 * a lone $ or brace) are escaped, so the entry always compiles.
 */
import { absUrl } from './arxiv-id.js';
import type { Paper } from './paper.js';
import { splitTex } from './tex.js';
import { charTable, replaceChars, WHITESPACE_TO_FOLD } from './text.js';

const STOP_WORDS = new Set(['a', 'an', 'the', 'on', 'of', 'for', 'in', 'and', 'to', 'with', 'from', 'towards', 'toward', 'via', 'is', 'are', 'how', 'why', 'what', 'when', 'do', 'does', 'can']);

export function bibtex(p: Paper): string {
  const year = (p.submittedAt ?? p.listedOn ?? '').slice(0, 4);
  const fields: [string, string | null][] = [
    ['title', p.title ? escapeField(p.title) : null],
    ['author', p.authors && p.authors.length > 0 ? p.authors.map(escapeAuthor).join(' and ') : null],
    ['year', /^\d{4}$/.test(year) ? year : null],
    ['eprint', p.id],
    ['archivePrefix', 'arXiv'],
    ['primaryClass', p.categories?.[0] ?? null],
    ['doi', p.doi ? escapeField(p.doi) : null],
    ['url', absUrl(p.id)],
  ];
  const width = Math.max(...fields.map(([k]) => k.length));
  const body = fields
    .filter((f): f is [string, string] => f[1] !== null)
    .map(([k, v]) => `  ${k.padEnd(width)} = {${v}}`)
    .join(',\n');
  return `@misc{${citeKey(p)},\n${body}\n}`;
}

/** authoryearword, e.g. donatella2024thermodynamic; plain ASCII letters and digits only. */
export function citeKey(p: Paper): string {
  const ascii = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z0-9 ]/g, '').toLowerCase();
  const surname = ascii(p.authors?.[0]?.split(',')[0]?.trim().split(/\s+/).pop() ?? '');
  const year = (p.submittedAt ?? p.listedOn ?? '').slice(0, 4);
  const word = ascii(p.title ?? '').split(/\s+/).find((w) => w.length > 2 && !STOP_WORDS.has(w)) ?? '';
  const key = `${surname}${/^\d{4}$/.test(year) ? year : ''}${word}`;
  return surname && word ? key : `arxiv${p.id.replace(/[^A-Za-z0-9]/g, '')}`;
}

/** What makes a field more than plain text: math, commands, braces, characters special to TeX. */
const TEX_SPECIAL = /[$\\&%#_^{}]/;

/** A field value: math kept, text escaped, braces escaped when they would not balance. */
export function escapeField(s: string): string {
  const oneLine = s.replace(WHITESPACE_TO_FOLD, ' ').trim();
  if (!TEX_SPECIAL.test(oneLine)) return oneLine; // most names and many titles: nothing to keep or escape
  const out = splitTex(oneLine)
    .map((seg) => (seg.kind === 'math' && balanced(seg.tex) ? seg.source : escapeText(seg.kind === 'math' ? seg.source : seg.text)))
    .join('');
  return balanced(out) ? out : replaceChars(out, BRACES, { unlessEscaped: true });
}

// one pass each, not a global String.replace: over 20,000 "$" that costs V8 far more than linear
const BRACES = charTable({ '{': '\\{', '}': '\\}' });
const TEXT_SPECIALS = charTable({ '&': '\\&', '%': '\\%', '#': '\\#', _: '\\_', $: '\\$', '^': '\\^{}' });

function escapeText(s: string): string {
  return replaceChars(s, TEXT_SPECIALS, { unlessEscaped: true });
}

/** An author as one name; " and " inside a name (a collaboration) would split it, so it is braced. */
function escapeAuthor(name: string): string {
  const e = escapeField(name);
  return / and /i.test(e) ? `{${e}}` : e;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth < 0) return false;
  }
  return depth === 0;
}
