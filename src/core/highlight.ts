/**
 * Highlighted titles and snippets for search results. Matching runs on the index's own tokens
 * and stems (tokenize.ts), so "models" is marked for a search for "model", as the index matched it.
 *
 * The result is a list of parts, text and math (found by tex.ts, as the listings find it), so
 * that a page can typeset the formulas and mark the words around them: a formula is never cut by
 * a snippet nor split by a mark, and one holding a matched word is marked whole. highlightHtml
 * and snippetHtml render the same parts as escaped HTML with the formulas' source as text (the
 * API's titleHtml and snippetHtml). Nothing here escapes for a page but those two: parts carry
 * the text as written.
 */
import type { ParsedQuery } from './query.js';
import { MAX_MATH, mayHoldMath, splitTex, type TexSegment } from './tex.js';
import { withoutTextCommands } from './tex-text.js';
import { stem, tokens, type Token } from './tokenize.js';

/** What to mark, as index terms (stems). */
export interface HighlightSpec {
  terms: ReadonlySet<string>;
  prefixes: readonly string[];
  phrases: readonly (readonly string[])[];
}

export type MathSegment = Extract<TexSegment, { kind: 'math' }>;

export interface TextPart {
  kind: 'text';
  /** as written (TeX escapes such as \$ included), runs of white space squashed; not escaped */
  text: string;
  marked: boolean;
}

export interface MathPart {
  kind: 'math';
  math: MathSegment;
  /** a matched word is inside the formula */
  marked: boolean;
  /** the formula's source as text, matched words marked: for renderings without math */
  source: TextPart[];
}

export type HighlightPart = TextPart | MathPart;

export const SNIPPET_WORDS = 30;
/**
 * A snippet keeps a formula whole up to this many characters of source; a longer one (a stray
 * dollar pairing far away, as often as a real formula) is shown as its text, and may be cut.
 */
export const SNIPPET_MATH_CHARS = 100;
/** Words of context a snippet shows before its first match. */
const CONTEXT = 3;

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

/** The whole text as parts, with matches marked; every formula kept whole. */
export function highlightParts(text: string | null, spec: HighlightSpec): HighlightPart[] {
  if (!text) return [];
  const a = analyse(withoutTextCommands(text), spec, MAX_MATH);
  return render(a, 0, a.units.length);
}

/**
 * The best ~30-word passage of text as parts: the window holding the most different matched
 * parts of the query, then the most matches; "…" marks where the text was cut. A formula counts
 * as the words inside it and is never cut: the window ends before one that would not fit.
 */
export function snippetParts(text: string | null, spec: HighlightSpec, words = SNIPPET_WORDS): HighlightPart[] {
  if (!text) return [];
  const a = analyse(withoutTextCommands(text), spec, SNIPPET_MATH_CHARS);
  const n = a.units.length;
  if (a.units.reduce((w, u) => w + u.weight, 0) <= words) return render(a, 0, n);
  const [start, end] = bestWindow(a.units, words);
  const parts = render(a, start, end);
  return tidy([...(start > 0 ? [text_('… ')] : []), ...parts, ...(end < n ? [text_(' …')] : [])]);
}

/** The whole text, escaped, with matches marked (formulas as their source). */
export function highlightHtml(text: string | null, spec: HighlightSpec): string {
  return partsHtml(highlightParts(text, spec));
}

/** snippetParts, escaped, with matches marked (formulas as their source). */
export function snippetHtml(text: string | null, spec: HighlightSpec, words = SNIPPET_WORDS): string {
  return partsHtml(snippetParts(text, spec, words));
}

/** Parts as escaped HTML whose only markup is <mark>: formulas as their source, words marked inside. */
export function partsHtml(parts: readonly HighlightPart[]): string {
  const piece = (p: TextPart) => (p.marked ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text));
  return parts.map((p) => (p.kind === 'text' ? piece(p) : p.source.map(piece).join(''))).join('');
}

// ---- matching ----

interface Matches {
  marked: boolean[];
  /** for each token, the query part it matched (an index), or -1 */
  part: number[];
}

function matches(toks: Token[], spec: HighlightSpec): Matches {
  // A Porter stem keeps its word's first character (its rules only rewrite a suffix after a
  // non-empty stem), so a token starting otherwise than every query stem cannot match: it is not
  // stemmed at all ('' matches nothing). Most of an abstract's words are skipped so.
  const firsts = firstCharacters(spec);
  const stems = toks.map((t) => (firsts.has(t.text[0]!) ? stem(t.text) : ''));
  const marked = stems.map(() => false);
  const part = stems.map(() => -1);
  const mark = (i: number, p: number) => {
    marked[i] = true;
    if (part[i] === -1) part[i] = p;
  };
  for (let i = 0; i < stems.length; i++) {
    const s = stems[i]!;
    if (spec.terms.has(s)) mark(i, hashPart(s));
    for (let k = 0; k < spec.prefixes.length; k++) if (s.startsWith(spec.prefixes[k]!)) mark(i, 1_000_000 + k);
  }
  spec.phrases.forEach((phrase, k) => {
    for (let i = 0; i + phrase.length <= stems.length; i++)
      if (phrase.every((s, j) => stems[i + j] === s)) for (let j = 0; j < phrase.length; j++) mark(i + j, 2_000_000 + k);
  });
  return { marked, part };
}

/** The first characters of everything the spec marks. */
function firstCharacters(spec: HighlightSpec): Set<string> {
  const out = new Set<string>();
  for (const t of spec.terms) out.add(t[0]!);
  for (const p of spec.prefixes) out.add(p[0]!);
  for (const ph of spec.phrases) for (const t of ph) out.add(t[0]!);
  return out;
}

/** A stable small number per distinct term, to count distinct parts in a window. */
function hashPart(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) % 999_983;
  return h;
}

// ---- units: a word, or a formula with the words inside it ----

/** What a snippet is cut between: one token of text, or one whole formula. */
interface Unit {
  start: number;
  end: number;
  /** set when the unit is a formula */
  math: MathSegment | null;
  /** its tokens, [from, to) */
  from: number;
  to: number;
  /** words it counts for in a snippet's length */
  weight: number;
  /** matched tokens inside, and the query parts they matched */
  hits: number;
  parts: number[];
}

interface Analysed {
  text: string;
  toks: Token[];
  m: Matches;
  units: Unit[];
}

function analyse(text: string, spec: HighlightSpec, maxMath: number): Analysed {
  const toks = tokens(text);
  const m = matches(toks, spec);
  const maths = mathSegments(text).filter((s) => s.source.length <= maxMath);
  const units: Unit[] = [];
  const unit = (start: number, end: number, math: MathSegment | null, from: number, to: number) => {
    let hits = 0;
    const parts: number[] = [];
    for (let i = from; i < to; i++) {
      if (!m.marked[i]) continue;
      hits++;
      if (!parts.includes(m.part[i]!)) parts.push(m.part[i]!);
    }
    units.push({ start, end, math, from, to, weight: math ? Math.max(1, to - from) : 1, hits, parts });
  };
  let k = 0;
  let i = 0;
  while (i < toks.length || k < maths.length) {
    const f = maths[k];
    // delimiters are never token characters, so a token is wholly inside a formula or outside it
    if (f && (i >= toks.length || f.start <= toks[i]!.start)) {
      let j = i;
      while (j < toks.length && toks[j]!.start < f.end) j++;
      unit(f.start, f.end, f, i, j);
      k++;
      i = j;
    } else {
      unit(toks[i]!.start, toks[i]!.end, null, i, i + 1);
      i++;
    }
  }
  return { text, toks, m, units };
}

/** The formulas of text, offsets into text; math never spans paragraphs (blank lines). */
function mathSegments(text: string): MathSegment[] {
  if (!mayHoldMath(text)) return [];
  const out: MathSegment[] = [];
  let from = 0;
  const paragraph = (to: number) => {
    for (const s of splitTex(text.slice(from, to)))
      if (s.kind === 'math') out.push({ ...s, start: s.start + from, end: s.end + from });
  };
  for (const gap of text.matchAll(/\n\s*\n/g)) {
    paragraph(gap.index);
    from = gap.index + gap[0].length;
  }
  paragraph(text.length);
  return out;
}

// ---- the snippet's window ----

function bestWindow(units: Unit[], words: number): [number, number] {
  let best = fill(units, 0, words);
  let bestScore = -1;
  units.forEach((u, i) => {
    if (u.hits === 0) return;
    const [start, end] = windowAround(units, i, words);
    const parts = new Set<number>();
    let hits = 0;
    for (let j = start; j < end; j++) {
      hits += units[j]!.hits;
      for (const p of units[j]!.parts) parts.add(p);
    }
    const score = parts.size * 1000 + hits;
    if (score > bestScore) {
      bestScore = score;
      best = [start, end];
    }
  });
  return best;
}

/** A window holding unit i, with a little context before it when it fits. */
function windowAround(units: Unit[], i: number, words: number): [number, number] {
  let start = Math.max(0, i - CONTEXT);
  const weight = (from: number) => units.slice(from, i + 1).reduce((w, u) => w + u.weight, 0);
  while (start < i && weight(start) > words) start++;
  return fill(units, start, words);
}

/** The units from start that fit in `words` (at least one); moved back to fill up at the end. */
function fill(units: Unit[], start: number, words: number): [number, number] {
  let end = start + 1;
  let sum = units[start]!.weight;
  while (end < units.length && sum + units[end]!.weight <= words) sum += units[end++]!.weight;
  if (end === units.length) while (start > 0 && sum + units[start - 1]!.weight <= words) sum += units[--start]!.weight;
  return [start, end];
}

// ---- rendering to parts ----

/** Units `from` to `to` (exclusive) as parts: text between formulas, runs of marked words in one part. */
function render(a: Analysed, from: number, to: number): HighlightPart[] {
  const { text, units } = a;
  if (units.length === 0) return tidy([text_(text)]);
  const begin = from === 0 ? 0 : units[from]!.start;
  const finish = to >= units.length ? text.length : finishAfter(a, to);
  const out: HighlightPart[] = [];
  let at = begin;
  let i = from;
  while (i < to) {
    const u = units[i]!;
    if (u.math) {
      out.push(text_(text.slice(at, u.start)), { kind: 'math', math: u.math, marked: u.hits > 0, source: tidy(marks(a, u.from, u.to, u.start, u.end), false) });
      at = u.end;
      i++;
      continue;
    }
    let j = i;
    while (j < to && !units[j]!.math) j++;
    const stop = j < to ? units[j]!.start : finish;
    out.push(...marks(a, u.from, units[j - 1]!.to, at, stop));
    at = stop;
    i = j;
  }
  if (at < finish) out.push(text_(text.slice(at, finish)));
  return tidy(out);
}

/** text[begin, finish) holding tokens t0 to t1 (exclusive), runs of marked tokens in one part. */
function marks(a: Analysed, t0: number, t1: number, begin: number, finish: number): TextPart[] {
  const { text, toks, m } = a;
  const out: TextPart[] = [];
  let at = begin;
  for (let i = t0; i < t1; i++) {
    if (!m.marked[i]) continue;
    let j = i;
    while (j + 1 < t1 && m.marked[j + 1] && /^\s*$/.test(text.slice(toks[j]!.end, toks[j + 1]!.start))) j++;
    out.push(text_(text.slice(at, toks[i]!.start)), { kind: 'text', text: text.slice(toks[i]!.start, toks[j]!.end), marked: true });
    at = toks[j]!.end;
    i = j;
  }
  out.push(text_(text.slice(at, finish)));
  return out;
}

/**
 * Where a window ending before unit `to` ends: past the punctuation stuck to its last word
 * ("model." , "(LLMs)"), but never into a formula.
 */
function finishAfter(a: Analysed, to: number): number {
  const { text, units } = a;
  let end = units[to - 1]!.end;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  for (let k = to; k < units.length && units[k]!.start < end; k++) if (units[k]!.math) return units[k]!.start;
  return end;
}

const text_ = (text: string): TextPart => ({ kind: 'text', text, marked: false });

/** Drops empty text, merges neighbouring text parts alike, squashes white space; trims the ends. */
function tidy<P extends HighlightPart>(parts: P[], trim = true): P[] {
  const out: P[] = [];
  for (const p of parts) {
    if (p.kind === 'text' && p.text === '') continue;
    const last = out.at(-1);
    if (p.kind === 'text' && last?.kind === 'text' && last.marked === p.marked) out[out.length - 1] = { ...last, text: last.text + p.text };
    else out.push(p);
  }
  const edit = (i: number, f: (s: string) => string) => {
    const p = out[i];
    if (p?.kind !== 'text') return;
    const text = f(p.text);
    if (text !== p.text) out[i] = { ...p, text };
  };
  // most parts hold no white space but single spaces: a test is cheaper than rebuilding them
  out.forEach((_, i) => edit(i, (s) => (/\s\s|[^\S ]/.test(s) ? s.replace(/\s+/g, ' ') : s)));
  if (trim) {
    edit(0, (s) => s.trimStart());
    edit(out.length - 1, (s) => s.trimEnd());
  }
  return out.filter((p) => p.kind === 'math' || p.text !== '');
}
