/**
 * Comment bodies (issue 13): a safe Markdown subset with LaTeX, from the source a member wrote
 * to HTML. Pure: what needs the outside world (whether "@ada" is a member, how a formula looks)
 * is passed in as functions, so the same source renders the same way on a web node, in a test
 * or in an email.
 *
 * Two walls (decision 029). markdown-it parses with raw HTML off, images, headings and tables
 * off, and links limited to http(s) and mailto; then sanitize-html keeps only the handful of
 * tags and attributes that subset can produce, so a parser bug or a future option can't let
 * markup through. Math is parsed as Markdown tokens (so that "*" and "_" inside a formula are not
 * emphasis) and left as placeholders through the sanitiser, which never has to allow KaTeX's
 * styled spans: the caller's renderer (KaTeX, already trusted for abstracts) fills them in after.
 */
import MarkdownIt, { type Env, type StateInline, type Token } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { PaperboyError } from './errors.js';

/** Longest body accepted, in UTF-16 units: a long review fits, a pasted paper does not. */
export const MAX_COMMENT_LENGTH = 10_000;

/** Math longer than this is a stray dollar, not a formula (the rule core/tex.ts applies to abstracts). */
const MAX_MATH = 1000;

/** A member's handle after "@": letters, digits, "_" and inner "-", at most 32. */
const MENTION = /@([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,30}[A-Za-z0-9_])?)(?![A-Za-z0-9_-])/y;
/** What may come right before an "@" that starts a mention: not part of an address or a word. */
const BEFORE_MENTION = /[A-Za-z0-9_.+-]/;

export interface CommentRenderer {
  /** The path or URL of a member's page, or null when no member has that handle (left as text). */
  mention(handle: string): string | null;
  /** A formula's markup (trusted: KaTeX's), or null to show its source as code. */
  math(tex: string, display: boolean, source: string): string | null;
}

/** What one render keeps in markdown-it's env, under `comment`. */
interface RenderState {
  renderer: CommentRenderer;
  formulas: { tex: string; display: boolean; source: string }[];
  /** where each closing delimiter was last found, per delimiter (see closerAt) */
  closers: Map<string, { src: string; from: number; at: number }>;
}
type RenderEnv = Env & { comment: RenderState };
const stateOf = (env: Env): RenderState => (env as RenderEnv).comment;

// markers around a formula's number between parsing and the math renderer: private-use
// characters, removed from every source first, so a body can never forge one
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKS = /[\uE000\uE001]/g;
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false, breaks: false });
md.disable(['image', 'heading', 'lheading', 'table', 'html_block', 'html_inline']);
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
md.options.maxNesting = 20;
md.validateLink = (url) => /^(https?:\/\/|mailto:)/i.test(url.trim());
md.inline.ruler.before('escape', 'math', mathRule);
md.inline.ruler.before('escape', 'mention', mentionRule);
md.renderer.rules.math = (tokens: Token[], idx: number, _o, env: Env | undefined) => {
  const t = tokens[idx]!;
  const { formulas } = stateOf(env!);
  formulas.push({ tex: t.content, display: t.info === 'display', source: t.markup });
  return `${MARK_OPEN}${formulas.length - 1}${MARK_CLOSE}`;
};

/** The second wall: exactly what the subset above can produce, nothing else. */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr'],
  allowedAttributes: { a: ['href', 'class', 'rel'], ol: ['start'] },
  allowedClasses: { a: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // links in what members write: not endorsed (nofollow), user content (ugc), no window.opener
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener' }) },
};

/**
 * A body as it is stored: newlines as "\n", control characters other than tab and newline
 * removed, trimmed. Throws RECORD_INVALID, saying why, when empty or longer than MAX_COMMENT_LENGTH.
 */
export function normaliseCommentBody(body: unknown): string {
  if (typeof body !== 'string') throw new PaperboyError('RECORD_INVALID', 'comment body: missing (the form field "body" must be text)');
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const s = body.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '').trim();
  if (s === '') throw new PaperboyError('RECORD_INVALID', 'comment body: empty (write something)');
  if (s.length > MAX_COMMENT_LENGTH)
    throw new PaperboyError('RECORD_INVALID', `comment body: ${s.length} characters, more than the ${MAX_COMMENT_LENGTH} allowed`);
  return s;
}

/** A comment's source as safe HTML: Markdown subset, links marked, mentions linked, math rendered. */
export function renderCommentBody(source: string, renderer: CommentRenderer): string {
  const state: RenderState = { renderer, formulas: [], closers: new Map() };
  const env: RenderEnv = { comment: state };
  const raw = md.render(source.slice(0, MAX_COMMENT_LENGTH).replace(MARKS, '\uFFFD'), env);
  const clean = sanitizeHtml(raw, SANITIZE);
  if (state.formulas.length === 0) return clean;
  return clean.replace(PLACEHOLDER, (_m, n: string) => {
    const f = state.formulas[Number(n)];
    if (!f) return '';
    return renderer.math(f.tex, f.display, f.source) ?? `<code class="tex">${md.utils.escapeHtml(f.source)}</code>`;
  });
}

/** The distinct handles a source mentions, in order of first mention (to look them up before rendering). */
export function mentionsIn(source: string): string[] {
  const seen = new Set<string>();
  for (let i = source.indexOf('@'); i !== -1; i = source.indexOf('@', i + 1)) {
    if (i > 0 && BEFORE_MENTION.test(source[i - 1]!)) continue;
    MENTION.lastIndex = i;
    const m = MENTION.exec(source);
    if (m) seen.add(m[1]!);
  }
  return [...seen];
}

function mentionRule(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== 0x40 /* @ */ || state.linkLevel > 0) return false;
  if (pos > 0 && BEFORE_MENTION.test(src[pos - 1]!)) return false;
  MENTION.lastIndex = pos;
  const m = MENTION.exec(src);
  if (!m || pos + m[0].length > state.posMax) return false;
  const href = stateOf(state.env).renderer.mention(m[1]!);
  if (href === null) return false;
  if (!silent) {
    const open = state.push('link_open', 'a', 1);
    open.attrs = [
      ['href', href],
      ['class', 'mention'],
    ];
    state.push('text', '', 0).content = m[0];
    state.push('link_close', 'a', -1);
  }
  state.pos += m[0].length;
  return true;
}

const OPENERS = [
  { open: '$$', close: '$$', display: true },
  { open: '\\[', close: '\\]', display: true },
  { open: '\\(', close: '\\)', display: false },
  { open: '$', close: '$', display: false },
] as const;

/** Inline and display math: $…$ (pandoc's rule, so "$5 and $10" stays money), $$…$$, \(…\), \[…\]. */
function mathRule(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  const c = src.charCodeAt(pos);
  if (c !== 0x24 /* $ */ && c !== 0x5c /* \ */) return false;
  const d = OPENERS.find((o) => src.startsWith(o.open, pos));
  if (!d) return false;
  const start = pos + d.open.length;
  // "$" opens only before a non-space (and is not "$$", matched above)
  if (d.open === '$' && (start >= state.posMax || /\s/.test(src[start]!))) return false;
  const end = closerAt(state, d.close, start);
  if (end === -1 || end + d.close.length > state.posMax || end - start > MAX_MATH) return false;
  const tex = src.slice(start, end);
  if (tex.trim() === '') return false;
  if (!silent) {
    const t = state.push('math', '', 0);
    t.content = tex;
    t.info = d.display ? 'display' : 'inline';
    t.markup = src.slice(pos, end + d.close.length);
  }
  state.pos = end + d.close.length;
  return true;
}

/**
 * Where the first valid `close` at or after `from` is, or -1. Openings are met left to right, so
 * each answer is kept until parsing moves past it: without that, "$a " or "\(" repeated thousands
 * of times would search the rest of the paragraph once per opening (quadratic).
 */
function closerAt(state: StateInline, close: string, from: number): number {
  const { closers } = stateOf(state.env);
  const known = closers.get(close);
  if (known && known.src === state.src && known.from <= from && (known.at === -1 || known.at >= from)) return known.at;
  const at = findCloser(state.src, close, from);
  closers.set(close, { src: state.src, from, at });
  return at;
}

function findCloser(src: string, close: string, from: number): number {
  for (let i = src.indexOf(close, from); i !== -1; i = src.indexOf(close, i + 1)) {
    if (close !== '$') return i;
    // pandoc: a closing "$" follows a non-space that is not a backslash, and no digit follows it
    const before = src[i - 1]!;
    if (i > from && !/\s/.test(before) && before !== '\\' && !/[0-9]/.test(src[i + 1] ?? '')) return i;
  }
  return -1;
}
