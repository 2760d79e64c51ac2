/**
 * The keyword-search query language, parsed into a structure the index adapters compile safely
 * (FTS5 MATCH strings of quoted tokens, SQL parameters). Pure; any input parses, never throws.
 *
 * Syntax (also shown to readers in notices):
 *   language model          words: papers with more of them, and rarer ones, rank higher (BM25 over OR)
 *   "kv cache"              a phrase: the words adjacent, in order; kv-cache and GPT-4 are phrases too
 *   transform*              a prefix (at least 3 letters, at most 4 in a query): transformer, transformation…
 *   -survey  -"a phrase"    leave out papers with that word, phrase or prefix (also NOT word)
 *   author:hinton  author:"yann lecun"   one author’s name, its words in order
 *   cat:cs.CL  cat:cs       a category, or a whole archive; several cat: filters match any of them
 *   year:2025  year:2023..2025
 *   from:2025-03-01  to:2025-03-31   (YYYY, YYYY-MM or YYYY-MM-DD; inclusive)
 *   date:2025-03-01..2025-03-31  date:2025-03  date:2025-03..
 * Dates are the day a paper is listed under on the daily pages. Anything else is read as words;
 * parts that can't be used (a bad date, a lone "*") are listed in `ignored` with the reason.
 */
import { DATE_SYNTAX, dateRange } from './query-dates.js';
import { emptyQuery, LIMITS, STOP_WORDS, type ExcludedParts, type ParsedQuery, type QueryUnit } from './query-model.js';
import { tokenTexts } from './tokenize.js';

export { DATE_SYNTAX, dateRange, day } from './query-dates.js';
export * from './query-model.js';

const QUOTES = '"\u201c\u201d\u201e\u00ab\u00bb';
const FIELDS: Record<string, FieldName> = {
  author: 'author', authors: 'author', au: 'author',
  cat: 'cat', category: 'cat', categories: 'cat',
  year: 'year', from: 'from', to: 'to', date: 'date',
};
type FieldName = 'author' | 'cat' | 'year' | 'from' | 'to' | 'date';

/** Natural-language text as a bag of words, no operators: what the BEIR evaluation searches. */
export function parseWords(text: string): ParsedQuery {
  const b = new Builder();
  for (const t of tokenTexts(clean(text))) b.addUnit({ kind: 'term', tokens: [t] }, false);
  return b.build();
}

/** Parses a search box query. Any string is accepted. */
export function parseQuery(input: string): ParsedQuery {
  const b = new Builder();
  const s = clean(input);
  let i = 0;
  let negateNext = false;
  while (i < s.length) {
    while (i < s.length && s[i] === ' ') i++;
    if (i >= s.length) break;
    const chunk = readChunk(s, i);
    i = chunk.end;
    if (!chunk.quoted && (chunk.text === 'OR' || chunk.text === 'AND')) {
      b.ignore(chunk.text, 'words are combined automatically: papers with more of them rank higher');
      continue;
    }
    if (!chunk.quoted && chunk.text === 'NOT' && !chunk.negated) {
      negateNext = true;
      continue;
    }
    handleChunk(b, chunk, chunk.negated || negateNext);
    negateNext = false;
  }
  return b.build();
}

/**
 * Full-width Latin letters, digits and marks (ＶＩＤＥＯ, typed through an East Asian input
 * method) become the ASCII the papers are written in; control characters (NUL included) and all
 * white space become plain spaces. Not the whole of NFKC: the index keeps µ, ², ﬁ… as written,
 * and a query folded further would no longer match them.
 */
function clean(s: string): string {
  const ascii = /[\uff01-\uff5e]/.test(s) ? s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)) : s;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return ascii.replace(/[\u0000-\u001f\u007f\s]+/g, ' ');
}

interface Chunk {
  text: string;
  /** the text was in quotes (a phrase) */
  quoted: boolean;
  negated: boolean;
  /** field name, for field:value chunks */
  field: FieldName | null;
  /** the quote was never closed */
  unclosed: boolean;
  end: number;
}

function readChunk(s: string, start: number): Chunk {
  let i = start;
  let negated = false;
  if ((s[i] === '-' || s[i] === '+') && i + 1 < s.length && s[i + 1] !== ' ') {
    negated = s[i] === '-';
    i++;
  }
  // "author:hinton", and "author: hinton" as readers also type it; "author:" with nothing
  // after it (or only another filter, or an exclusion) is a filter without a value (ignored,
  // with the reason), not the word "author"
  const field = /^([A-Za-z]+):(?: +(?![-+]?[A-Za-z]+:|[-+][^ ]))?/.exec(s.slice(i, i + 64));
  const name = field ? FIELDS[field[1]!.toLowerCase()] : undefined;
  if (field && name) i += field[0].length;
  const value = QUOTES.includes(s[i]!) ? readQuoted(s, i) : readBare(s, i);
  return { ...value, negated, field: name ?? null };
}

function readQuoted(s: string, start: number): Omit<Chunk, 'negated' | 'field'> {
  let i = start + 1;
  while (i < s.length && !QUOTES.includes(s[i]!)) i++;
  const unclosed = i >= s.length;
  return { text: s.slice(start + 1, i), quoted: true, unclosed, end: unclosed ? i : i + 1 };
}

function readBare(s: string, start: number): Omit<Chunk, 'negated' | 'field'> {
  let i = start;
  while (i < s.length && s[i] !== ' ' && !QUOTES.includes(s[i]!)) i++;
  return { text: s.slice(start, i), quoted: false, unclosed: false, end: i };
}

function handleChunk(b: Builder, c: Chunk, negated: boolean): void {
  if (c.unclosed) b.ignore('"', 'the closing quote was missing: the phrase runs to the end of the query');
  if (c.field) {
    if (negated) b.ignore(`-${c.text}`, 'filters can’t be negated');
    else handleField(b, c.field, c.text);
    return;
  }
  if (c.quoted) {
    b.addWords(tokenTexts(c.text), negated, c.text);
    return;
  }
  // "title:attention", "NEAR(quokka" or "a,b" are separate words; only word-internal marks
  // (kv-cache, GPT-4, don't, 2405.15738) hold tokens together as a phrase
  for (const part of c.text.split(BREAKS)) if (part !== '') handleBare(b, part, negated);
}

/** Punctuation that separates words in a bare chunk (everything but -, ., _, ', /, * and the like). */
const BREAKS = /[()[\]{}<>,;:!?^~=&|@#$%\\`"\u00ab\u00bb\u201c\u201d\u201e\u2026]+/;

function handleBare(b: Builder, text: string, negated: boolean): void {
  // endsWith, not /\*+$/: that regex retries from every star of a long run that does not end the
  // chunk ("a***…***b", 16,000 stars: 0.7 s)
  const star = text.endsWith('*');
  const toks = tokenTexts(text);
  if (!star) {
    b.addWords(toks, negated, text);
    return;
  }
  const last = toks.pop();
  if (last === undefined || last.length < LIMITS.prefixMin) {
    b.ignore(text, `a * needs at least ${LIMITS.prefixMin} letters before it`);
    if (last !== undefined) toks.push(last);
    for (const t of toks) b.addWords([t], negated, t);
    return;
  }
  for (const t of toks) b.addWords([t], negated, t);
  b.addPrefix(last, negated, text);
}

function handleField(b: Builder, field: FieldName, value: string): void {
  if (field === 'author') return addAuthor(b, value);
  if (field === 'cat') return addCategory(b, value);
  const range = dateRange(field, value);
  if (!range) return b.ignore(`${field}:${value}`, `not a date: ${DATE_SYNTAX}`);
  b.narrowDates(range.from, range.to);
}

function addAuthor(b: Builder, value: string): void {
  const toks = tokenTexts(value).slice(0, LIMITS.authorTokens);
  if (toks.length === 0) return b.ignore(`author:${value}`, 'author: needs a name, e.g. author:hinton');
  if (b.q.filters.authors.length >= LIMITS.authors) return b.ignore(`author:${value}`, `at most ${LIMITS.authors} author filters`);
  b.q.filters.authors.push(toks);
}

function addCategory(b: Builder, value: string): void {
  const cat = value.trim().toLowerCase();
  if (!/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)?$/.test(cat) || cat.length > 40)
    return b.ignore(`cat:${value}`, 'not an arXiv category such as cs.CL, hep-th or cs');
  const cats = b.q.filters.categories;
  if (cats.length >= LIMITS.categories) return b.ignore(`cat:${value}`, `at most ${LIMITS.categories} categories`);
  if (!cats.includes(cat)) cats.push(cat);
}

// ---- building ----

class Builder {
  readonly q = emptyQuery();
  private readonly units: QueryUnit[] = [];
  private readonly excluded: QueryUnit[] = [];
  private readonly seen = new Set<string>();
  private unitsDropped = 0;
  private prefixes = 0;
  private ignoredDropped = 0;

  ignore(text: string, reason: string): void {
    if (this.q.ignored.length < LIMITS.ignoredListed) this.q.ignored.push({ text: text.slice(0, 80), reason });
    else this.ignoredDropped++;
  }

  /** A run of tokens: one word, or a phrase (quoted, or joined by punctuation as in kv-cache). */
  addWords(toks: string[], negated: boolean, source: string): void {
    const long = toks.filter((t) => t.length > LIMITS.tokenLength);
    if (long.length > 0) this.ignore(source, `words longer than ${LIMITS.tokenLength} characters are not searched`);
    const usable = toks.filter((t) => t.length <= LIMITS.tokenLength);
    if (usable.length === 0) return;
    if (usable.length === 1) return this.addUnit({ kind: 'term', tokens: usable }, negated);
    if (usable.length > LIMITS.phraseTokens)
      this.ignore(source, `a phrase is matched on its first ${LIMITS.phraseTokens} words`);
    this.addUnit({ kind: 'phrase', tokens: usable.slice(0, LIMITS.phraseTokens) }, negated);
  }

  /** A word beginning, while the query has fewer than LIMITS.prefixes. */
  addPrefix(token: string, negated: boolean, source: string): void {
    if (this.prefixes >= LIMITS.prefixes) return this.ignore(source, `a query has at most ${LIMITS.prefixes} word beginnings (word*)`);
    const before = this.units.length + this.excluded.length;
    this.addUnit({ kind: 'prefix', tokens: [token] }, negated);
    if (this.units.length + this.excluded.length > before) this.prefixes++;
  }

  addUnit(u: QueryUnit, negated: boolean): void {
    if (u.tokens.some((t) => t.length > LIMITS.tokenLength)) return;
    const key = `${negated ? '-' : '+'}${u.kind}:${u.tokens.join(' ')}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const list = negated ? this.excluded : this.units;
    const cap = negated ? LIMITS.excluded : LIMITS.units;
    if (list.length >= cap) this.unitsDropped++;
    else list.push(u);
  }

  narrowDates(from: string | null, to: string | null): void {
    const f = this.q.filters;
    if (from !== null && (f.from === null || from > f.from)) f.from = from;
    if (to !== null && (f.to === null || to < f.to)) f.to = to;
  }

  build(): ParsedQuery {
    for (const u of withoutStopWords(this.units)) addTo(this.q, u);
    for (const u of this.excluded) addTo(this.q.exclude, u);
    if (this.unitsDropped > 0)
      this.ignore(
        `${this.unitsDropped} more`,
        `a query searches at most ${LIMITS.units} words, phrases or prefixes and leaves out at most ${LIMITS.excluded}`,
      );
    if (this.ignoredDropped > 0) this.q.ignored.push({ text: `${this.ignoredDropped} more`, reason: 'further parts ignored' });
    return this.q;
  }
}

/** Stop words go, unless nothing else would be left to search for ("the who"). */
function withoutStopWords(units: QueryUnit[]): QueryUnit[] {
  const kept = units.filter((u) => u.kind !== 'term' || !STOP_WORDS.has(u.tokens[0]!));
  return kept.length > 0 ? kept : units;
}

function addTo(target: ExcludedParts, u: QueryUnit): void {
  if (u.kind === 'term') target.terms.push(u.tokens[0]!);
  else if (u.kind === 'prefix') target.prefixes.push(u.tokens[0]!);
  else target.phrases.push(u.tokens);
}
