/**
 * Highlighted titles and snippets for search results: every character HTML-escaped, the words
 * the query matched wrapped in <mark>. Matching runs on the index's own tokens and stems
 * (tokenize.ts), so "models" is marked for a search for "model", as the index matched it.
 */
import type { ParsedQuery } from './query.js';
import { stem, tokens, type Token } from './tokenize.js';

/** What to mark, as index terms (stems). */
export interface HighlightSpec {
  terms: ReadonlySet<string>;
  prefixes: readonly string[];
  phrases: readonly (readonly string[])[];
}

export const SNIPPET_WORDS = 30;

export function highlightSpec(q: Pick<ParsedQuery, 'terms' | 'phrases' | 'prefixes'>): HighlightSpec {
  return {
    terms: new Set(q.terms.map(stem)),
    prefixes: q.prefixes.map(stem),
    phrases: q.phrases.map((p) => p.map(stem)),
  };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The whole text, escaped, with matches marked. */
export function highlightHtml(text: string | null, spec: HighlightSpec): string {
  if (!text) return '';
  const toks = tokens(text);
  return render(text, toks, matches(toks, spec).marked, 0, toks.length);
}

/**
 * The best ~30-word passage of text: the window holding the most different matched parts of the
 * query, then the most matches; "…" marks where the text was cut.
 */
export function snippetHtml(text: string | null, spec: HighlightSpec, words = SNIPPET_WORDS): string {
  if (!text) return '';
  const toks = tokens(text);
  const m = matches(toks, spec);
  if (toks.length <= words) return render(text, toks, m.marked, 0, toks.length);
  const start = bestWindow(m, toks.length, words);
  const end = Math.min(toks.length, start + words);
  return (start > 0 ? '… ' : '') + render(text, toks, m.marked, start, end) + (end < toks.length ? ' …' : '');
}

interface Matches {
  marked: boolean[];
  /** for each token, the query part it matched (an index), or -1 */
  part: number[];
}

function matches(toks: Token[], spec: HighlightSpec): Matches {
  const stems = toks.map((t) => stem(t.text));
  const marked = stems.map(() => false);
  const part = stems.map(() => -1);
  const mark = (i: number, p: number) => {
    marked[i] = true;
    if (part[i] === -1) part[i] = p;
  };
  stems.forEach((s, i) => {
    if (spec.terms.has(s)) mark(i, hashPart(s));
    spec.prefixes.forEach((p, k) => s.startsWith(p) && mark(i, 1_000_000 + k));
  });
  spec.phrases.forEach((phrase, k) => {
    for (let i = 0; i + phrase.length <= stems.length; i++)
      if (phrase.every((s, j) => stems[i + j] === s)) for (let j = 0; j < phrase.length; j++) mark(i + j, 2_000_000 + k);
  });
  return { marked, part };
}

/** A stable small number per distinct term, to count distinct parts in a window. */
function hashPart(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) % 999_983;
  return h;
}

function bestWindow(m: Matches, n: number, words: number): number {
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < n; i++) {
    if (!m.marked[i]) continue;
    // a little context before the first match
    const start = Math.max(0, Math.min(i - 3, n - words));
    const parts = new Set<number>();
    let hits = 0;
    for (let j = start; j < Math.min(n, start + words); j++)
      if (m.marked[j]) {
        hits++;
        parts.add(m.part[j]!);
      }
    const score = parts.size * 1000 + hits;
    if (score > bestScore) {
      bestScore = score;
      best = start;
    }
  }
  return best;
}

/** Escaped text from token `from` to token `to` (exclusive), runs of marked tokens in one <mark>. */
function render(text: string, toks: Token[], marked: boolean[], from: number, to: number): string {
  if (toks.length === 0) return escapeHtml(squash(text.trim()));
  const begin = from === 0 ? 0 : toks[from]!.start;
  // keep punctuation stuck to the last word ("model." , "(LLMs)")
  const finish = to >= toks.length ? text.length : endOfWord(text, toks[to - 1]!.end);
  let out = '';
  let at = begin;
  for (let i = from; i < to; i++) {
    if (!marked[i]) continue;
    let j = i;
    while (j + 1 < to && marked[j + 1] && /^\s*$/.test(text.slice(toks[j]!.end, toks[j + 1]!.start))) j++;
    out += esc(text.slice(at, toks[i]!.start)) + '<mark>' + esc(text.slice(toks[i]!.start, toks[j]!.end)) + '</mark>';
    at = toks[j]!.end;
    i = j;
  }
  return (out + esc(text.slice(at, finish))).trim();
}

function endOfWord(text: string, from: number): number {
  let i = from;
  while (i < text.length && !/\s/.test(text[i]!)) i++;
  return i;
}

const squash = (s: string) => s.replace(/\s+/g, ' ');
const esc = (s: string) => escapeHtml(squash(s));
