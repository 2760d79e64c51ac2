/**
 * The Porter stemmer exactly as SQLite's FTS5 "porter" tokenizer applies it (ext/fts5/
 * fts5_tokenize.c, public domain), ported rule for rule. Keyword search indexes with FTS5 on
 * SQLite and with this port on PostgreSQL, so the two must agree byte for byte: the port works
 * on UTF-8 bytes, as the C code does, and passes through tokens shorter than 3 or longer than 64
 * bytes untouched.
 */

const MAX_TOKEN_BYTES = 64;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

type Buf = number[];

const isVowel = (c: number, yIsVowel: boolean): boolean =>
  c === 0x61 || c === 0x65 || c === 0x69 || c === 0x6f || c === 0x75 || (yIsVowel && c === 0x79);

/** Skips one vowel-consonant run; returns the index after it, or 0 when there is none. */
function gobbleVC(s: Buf, from: number, n: number, prevCons: boolean): number {
  let cons = prevCons;
  let i = from;
  for (; i < n; i++) if (!(cons = !isVowel(s[i]!, cons))) break;
  for (i++; i < n; i++) if ((cons = !isVowel(s[i]!, cons))) return i + 1 - from;
  return 0;
}

/** m > 0 */
const mGt0 = (s: Buf, n: number): boolean => gobbleVC(s, 0, n, false) !== 0;
/** m > 1 */
function mGt1(s: Buf, n: number): boolean {
  const k = gobbleVC(s, 0, n, false);
  return k !== 0 && gobbleVC(s, k, n, true) !== 0;
}
/** m = 1 */
function mEq1(s: Buf, n: number): boolean {
  const k = gobbleVC(s, 0, n, false);
  return k !== 0 && gobbleVC(s, k, n, true) === 0;
}
/** *o: ends consonant-vowel-consonant, the last not w, x or y */
function oStar(s: Buf, n: number): boolean {
  const last = s[n - 1];
  if (last === 0x77 || last === 0x78 || last === 0x79) return false;
  let mask = 0;
  let cons = false;
  for (let i = 0; i < n; i++) {
    cons = !isVowel(s[i]!, cons);
    mask = ((mask << 1) + (cons ? 1 : 0)) & 0xff;
  }
  return (mask & 7) === 5;
}
/** *v*: the stem holds a vowel */
function hasVowel(s: Buf, n: number): boolean {
  for (let i = 0; i < n; i++) if (isVowel(s[i]!, i > 0)) return true;
  return false;
}
const mGt1AndSOrT = (s: Buf, n: number): boolean => (s[n - 1] === 0x73 || s[n - 1] === 0x74) && mGt1(s, n);

type Cond = ((s: Buf, n: number) => boolean) | null;
/** [suffix, condition on the stem, replacement]; the first suffix that matches decides, as in the C switch. */
type Rule = [string, Cond, string];

const endsWith = (s: Buf, n: number, suffix: string): boolean => {
  if (n <= suffix.length) return false;
  for (let i = 0; i < suffix.length; i++) if (s[n - suffix.length + i] !== suffix.charCodeAt(i)) return false;
  return true;
};

/** Applies the first rule whose suffix matches (the C code switches on the second-last byte first; same effect). */
function applyRules(s: Buf, n: number, rules: readonly Rule[]): { n: number; fired: boolean } {
  for (const [suffix, cond, out] of rules) {
    if (!endsWith(s, n, suffix)) continue;
    const stem = n - suffix.length;
    if (cond && !cond(s, stem)) return { n, fired: false };
    for (let i = 0; i < out.length; i++) s[stem + i] = out.charCodeAt(i);
    return { n: stem + out.length, fired: true };
  }
  return { n, fired: false };
}

// Each list keeps the C code's order within a switch case; suffixes of different cases never
// both match, because they differ in their second-last letter.
const STEP2: Rule[] = [
  ['ational', mGt0, 'ate'], ['tional', mGt0, 'tion'], ['enci', mGt0, 'ence'], ['anci', mGt0, 'ance'],
  ['izer', mGt0, 'ize'], ['logi', mGt0, 'log'], ['bli', mGt0, 'ble'], ['alli', mGt0, 'al'], ['entli', mGt0, 'ent'],
  ['eli', mGt0, 'e'], ['ousli', mGt0, 'ous'], ['ization', mGt0, 'ize'], ['ation', mGt0, 'ate'], ['ator', mGt0, 'ate'],
  ['alism', mGt0, 'al'], ['iveness', mGt0, 'ive'], ['fulness', mGt0, 'ful'], ['ousness', mGt0, 'ous'],
  ['aliti', mGt0, 'al'], ['iviti', mGt0, 'ive'], ['biliti', mGt0, 'ble'],
];
const STEP3: Rule[] = [
  ['ical', mGt0, 'ic'], ['ness', mGt0, ''], ['icate', mGt0, 'ic'], ['iciti', mGt0, 'ic'], ['ful', mGt0, ''],
  ['ative', mGt0, ''], ['alize', mGt0, 'al'],
];
const STEP4: Rule[] = [
  ['al', mGt1, ''], ['ance', mGt1, ''], ['ence', mGt1, ''], ['er', mGt1, ''], ['ic', mGt1, ''], ['able', mGt1, ''],
  ['ible', mGt1, ''], ['ant', mGt1, ''], ['ement', mGt1, ''], ['ment', mGt1, ''], ['ent', mGt1, ''],
  ['ion', mGt1AndSOrT, ''], ['ou', mGt1, ''], ['ism', mGt1, ''], ['ate', mGt1, ''], ['iti', mGt1, ''],
  ['ous', mGt1, ''], ['ive', mGt1, ''], ['ize', mGt1, ''],
];
const STEP1B2: Rule[] = [['at', null, 'ate'], ['bl', null, 'ble'], ['iz', null, 'ize']];

function step1a(s: Buf, n: number): number {
  if (s[n - 1] !== 0x73) return n;
  if (s[n - 2] === 0x65) {
    if ((n > 4 && s[n - 4] === 0x73 && s[n - 3] === 0x73) || (n > 3 && s[n - 3] === 0x69)) return n - 2;
    return n - 1;
  }
  return s[n - 2] !== 0x73 ? n - 1 : n;
}

function step1b(s: Buf, n: number): number {
  if (endsWith(s, n, 'eed')) return mGt0(s, n - 3) ? n - 1 : n; // eed -> ee
  const stem = endsWith(s, n, 'ed') ? n - 2 : endsWith(s, n, 'ing') ? n - 3 : -1;
  if (stem < 0 || !hasVowel(s, stem)) return n;
  n = stem;
  const r = applyRules(s, n, STEP1B2);
  if (r.fired) return r.n;
  const c = s[n - 1]!;
  if (!isVowel(c, false) && c !== 0x6c && c !== 0x73 && c !== 0x7a && c === s[n - 2]) return n - 1;
  if (mEq1(s, n) && oStar(s, n)) {
    s[n] = 0x65;
    return n + 1;
  }
  return n;
}

function stemBytes(s: Buf): Buf {
  let n = s.length;
  n = step1a(s, n);
  n = step1b(s, n);
  if (s[n - 1] === 0x79 && hasVowel(s, n - 1)) s[n - 1] = 0x69;
  n = applyRules(s, n, STEP2).n;
  n = applyRules(s, n, STEP3).n;
  n = applyRules(s, n, STEP4).n;
  if (s[n - 1] === 0x65 && (mGt1(s, n - 1) || (mEq1(s, n - 1) && !oStar(s, n - 1)))) n--;
  if (n > 1 && s[n - 1] === 0x6c && s[n - 2] === 0x6c && mGt1(s, n - 1)) n--;
  return s.slice(0, n);
}

// eslint-disable-next-line no-control-regex -- "all ASCII" includes the control characters
const ASCII = /^[\x00-\x7f]*$/;

/** The FTS5 porter stem of one (already folded, lower-case) token. */
export function porterStem(token: string): string {
  if (ASCII.test(token)) {
    if (token.length < 3 || token.length > MAX_TOKEN_BYTES) return token;
    const s: Buf = [];
    for (let i = 0; i < token.length; i++) s.push(token.charCodeAt(i));
    return String.fromCharCode(...stemBytes(s));
  }
  const bytes = encoder.encode(token);
  if (bytes.length < 3 || bytes.length > MAX_TOKEN_BYTES) return token;
  return decoder.decode(Uint8Array.from(stemBytes(Array.from(bytes))));
}
