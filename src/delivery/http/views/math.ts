/**
 * Titles and abstracts with their LaTeX rendered on the server by KaTeX, so pages need no
 * script. Text between formulas is escaped; a formula KaTeX can't parse is shown as its escaped
 * source, delimiters included, in a <code class="tex">. KaTeX is the costly part of a page, so
 * each formula's rendering is kept in an LRU (the same formulas recur across pages and feeds).
 */
import katex from 'katex';
import type { HighlightPart } from '../../../core/highlight.js';
import { mayHoldMarkup, textRuns, type TextStyle } from '../../../core/tex-text.js';
import { mayHoldMath, splitTex, unescapeTexText, type TexSegment } from '../../../core/tex.js';
import { Lru } from '../../../core/lru.js';
import { esc, html, trusted, type Html } from './html.js';

/** Set when KaTeX asked about a command it was then refused (see trust below). */
let refused = false;

const OPTIONS = {
  output: 'htmlAndMathml', // HTML for the eye, MathML for screen readers
  throwOnError: true, // a parse error falls back to the source, not to KaTeX's red text
  // links to http(s) addresses (authors write "code at \href{https://…}{GitHub}"); no other
  // link, and no \includegraphics, \htmlClass… from metadata. KaTeX shows a refused command as
  // red text, so a formula with one is shown as its source instead, like one KaTeX can't parse
  trust: (ctx: { command: string; protocol?: string }) => {
    const ok = (ctx.command === '\\href' || ctx.command === '\\url') && (ctx.protocol === 'http' || ctx.protocol === 'https');
    if (!ok) refused = true;
    return ok;
  },
  strict: 'ignore', // arXiv abstracts are loose LaTeX; don't log every quirk
  maxSize: 20, // em: a \rule or \kern can't blow up the page
  maxExpand: 200, // macro expansions: a self-referential \def can't hang the server
} as const;

const rendered = new Lru<string, string>(20_000, 32 * 1024 * 1024, (s) => s.length);

/**
 * What one field (a title, an abstract, a comment) may have KaTeX render; the rest of its math
 * is shown as its source. KaTeX's time and output grow with every formula and every cell, so an
 * abstract of 20,000 characters made of "$a_1$ $a_2$…" (2,000 formulas: 1.9 s and 1.9 MB of
 * markup) or of one 1,000-character matrix of "&" (0.4 s, 300 kB) must not render whole. The
 * bounds sit far above the corpus (74,728 cs abstracts, 2025-26: at most 49 formulas and 1,106
 * characters of math in one abstract, 4 levels of braces and 3 cell separators in one formula).
 */
export const KATEX_BOUNDS = {
  formulas: 100,
  texChars: 5_000,
  /** {…} nesting inside one formula */
  depth: 12,
  /** "&" and "\\" (matrix cells and rows) in one formula */
  cells: 40,
} as const;

/** The bounds as they are used up across one field's formulas. */
export class MathBudget {
  private formulas = 0;
  private chars = 0;

  /** Whether this formula may be rendered, counting it if so. */
  allows(tex: string): boolean {
    if (this.formulas >= KATEX_BOUNDS.formulas || this.chars + tex.length > KATEX_BOUNDS.texChars) return false;
    if (!withinShape(tex)) return false;
    this.formulas++;
    this.chars += tex.length;
    return true;
  }
}

function withinShape(tex: string): boolean {
  let depth = 0;
  let cells = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') {
      if (tex[i + 1] === '\\') cells++;
      i++;
    } else if (c === '&') cells++;
    else if (c === '{' && ++depth > KATEX_BOUNDS.depth) return false;
    else if (c === '}') depth--;
  }
  return cells <= KATEX_BOUNDS.cells;
}

function source(seg: Extract<TexSegment, { kind: 'math' }>, why: string): string {
  return `<code class="tex" title="${why}">${esc(seg.source)}</code>`;
}

/** One formula as KaTeX markup, or its escaped source when KaTeX can't parse it or refuses a command in it. */
function formula(seg: Extract<TexSegment, { kind: 'math' }>, budget: MathBudget): string {
  if (!budget.allows(seg.tex)) return source(seg, 'LaTeX shown as written: too much of it to render');
  const key = `${seg.display ? 'D' : 'I'}${seg.tex}`;
  let out = rendered.get(key);
  if (out === undefined) {
    try {
      refused = false;
      out = katex.renderToString(seg.tex, { ...OPTIONS, displayMode: seg.display });
      if (refused) throw new Error('a command KaTeX was not allowed to render');
    } catch {
      out = source(seg, 'LaTeX that could not be rendered');
    }
    rendered.set(key, out);
  }
  return out;
}

/**
 * The math renderer of one comment body (core/comment-markdown.ts calls it per formula): KaTeX
 * within one budget for the whole body, a formula past it or that KaTeX refuses as its source.
 */
export function commentMath(): (tex: string, display: boolean, source: string) => string {
  const budget = new MathBudget();
  return (tex, display, source) => formula({ kind: 'math', tex, display, source, start: 0, end: source.length }, budget);
}

/**
 * A line of text with its math rendered, and its text commands (\emph, \textbf…) as styles:
 * every character outside KaTeX escaped. Links stay text: a title is itself inside a link.
 */
export function texLine(s: string | null | undefined): Html {
  return texMarkup(s, false, new MathBudget());
}

/** texLine for prose (abstracts, comments, summaries): \url, \href and bare http(s) addresses become links. */
export function texProse(s: string | null | undefined, budget = new MathBudget()): Html {
  return texMarkup(s, true, budget);
}

function texMarkup(s: string | null | undefined, links: boolean, budget: MathBudget): Html {
  if (!s) return html``;
  if (!mayHoldMath(s)) return trusted(textHtml(s, links));
  return trusted(splitTex(s).map((seg) => (seg.kind === 'text' ? textHtml(seg.text, links) : formula(seg, budget))).join(''));
}

const STYLE_TAGS: Record<TextStyle, [string, string]> = {
  em: ['<em>', '</em>'],
  strong: ['<strong>', '</strong>'],
  code: ['<code>', '</code>'],
  smallcaps: ['<span class="smallcaps">', '</span>'],
};

/** Text between formulas, escaped, with its styles and (when links) its links. */
function textHtml(text: string, links: boolean): string {
  if (!mayHoldMarkup(text)) return esc(text);
  let out = '';
  let inLink: string | null = null; // the href of the <a> open in `out`
  for (const run of textRuns(text)) {
    let h = esc(run.text);
    for (let i = run.styles.length - 1; i >= 0; i--) {
      const [open, close] = STYLE_TAGS[run.styles[i]!];
      h = open + h + close;
    }
    const href = links ? run.href : null;
    if (href !== inLink) {
      if (inLink !== null) out += '</a>';
      // an author's link: nofollow and ugc, as links in user content are marked
      if (href !== null) out += `<a href="${esc(href)}" rel="nofollow ugc noopener">`;
      inLink = href;
    }
    out += h;
  }
  return inLink === null ? out : `${out}</a>`;
}

/**
 * Search highlighting (core/highlight.ts) with its math rendered as texLine renders it: text
 * escaped and TeX-unescaped as texLine's text, matched words in <mark>, and a formula that holds
 * a matched word marked whole (KaTeX's markup can't take a mark inside it).
 */
export function texHighlight(parts: readonly HighlightPart[]): Html {
  const budget = new MathBudget();
  return trusted(
    parts
      .map((p) => {
        const out = p.kind === 'math' ? formula(p.math, budget) : esc(texText(p.text));
        return p.marked ? `<mark>${out}</mark>` : out;
      })
      .join(''),
  );
}

/** Text as written shown as texLine shows text between formulas: "\$" a dollar, "\%" a percent… */
function texText(s: string): string {
  return unescapeTexText(s.includes('\\$') ? s.replaceAll('\\$', '$') : s);
}

/** Paragraphs (split on blank lines, as the ingesters store them), each in a <p>, as prose. */
export function texParagraphs(paragraphs: readonly string[]): Html {
  const budget = new MathBudget(); // one for the whole field: a blank line between formulas must not reset it
  return html`${paragraphs.map((p) => html`<p>${texProse(p, budget)}</p>`)}`;
}

export interface AbstractParts {
  /** what a listing shows at once */
  teaser: string[];
  /** the remainder behind "more"; empty when the abstract is short */
  rest: string[];
}

/** Abstracts up to this length are shown whole. */
const SHORT = 420;
/** A teaser ends at the first sentence end past this many characters… */
const TEASER_MIN = 180;
/** …or, lacking one, at the last space before this many. */
const TEASER_MAX = 360;

/** Splits an abstract for a listing: a teaser ending at a sentence (never inside a formula) and the rest. */
export function splitAbstract(abstract: string | null): AbstractParts {
  const paragraphs = (abstract ?? '').split(/\n\s*\n/).filter((p) => p.trim() !== '');
  if (paragraphs.reduce((n, p) => n + p.length, 0) <= SHORT) return { teaser: paragraphs, rest: [] };
  const [first, ...others] = paragraphs as [string, ...string[]];
  if (first.length <= TEASER_MAX) return { teaser: [first], rest: others };
  const cut = cutPoint(first);
  const rest = [first.slice(cut).trimStart(), ...others].filter((r) => r !== '');
  return { teaser: [first.slice(0, cut).trimEnd()], rest };
}

function cutPoint(p: string): number {
  // never inside a formula, nor inside a command's braces (\textbf{…}, \href{…}{…}); a cut is
  // looked for among the first LOOK characters only, so only those are marked, each at most twice
  const LOOK = TEASER_MAX + 201;
  const inside = new Uint8Array(LOOK);
  const mark = (a: number, b: number) => inside.fill(1, a + 1, Math.min(b, LOOK));
  if (mayHoldMath(p)) for (const s of splitTex(p)) if (s.kind === 'math' && s.start < LOOK) mark(s.start, s.end);
  for (const [a, b] of braceGroups(p)) if (a < LOOK) mark(a, b);
  const safe = (i: number) => inside[i] !== 1;
  for (const m of p.slice(0, TEASER_MAX + 200).matchAll(/[.?!]["')\]]?\s+/g)) {
    const end = m.index + m[0].length;
    if (end >= TEASER_MIN && end <= TEASER_MAX + 200 && safe(end)) return end;
  }
  for (let i = TEASER_MAX; i > TEASER_MIN / 2; i--) if (p[i] === ' ' && safe(i)) return i;
  return p.length;
}

/** The outermost {…} groups of a paragraph (start and end index); none when it has no backslash. */
function braceGroups(p: string): [number, number][] {
  if (!p.includes('\\')) return [];
  const groups: [number, number][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '{' && depth++ === 0) start = i;
    else if (c === '}' && depth > 0 && --depth === 0) groups.push([start, i + 1]);
  }
  return groups;
}
