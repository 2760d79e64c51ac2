/**
 * Text to search tokens, exactly as SQLite's FTS5 tokenizer "porter unicode61 remove_diacritics 2"
 * cuts and folds it, so that keyword search behaves the same on SQLite (FTS5 itself) and on
 * PostgreSQL (this module), and so that highlighting marks what the index matched.
 *
 * unicode61: a token is a run of letters, numbers and private-use characters (Unicode categories
 * L*, N*, Co); combining diacritics inside a token are dropped; everything else separates tokens.
 * Each character is folded to lower case and stripped of its diacritic by SQLite's own tables
 * (fts5_unicode2.c, public domain), ported below, rather than by JavaScript's toLowerCase and
 * NFD: those fold more (Greek accents, final sigma) than FTS5 does. Letter categories come from
 * JavaScript's Unicode tables, which may be a newer Unicode version than SQLite's: characters
 * added since differ, which no real abstract has met.
 */
import { porterStem } from './porter.js';

// ---- SQLite's case folding and diacritic tables (sqlite3Fts5UnicodeFold, fts5_remove_diacritic) ----

/** [first code point, flags, range length] triples */
const FOLD_ENTRIES = [
  65, 14, 26, 181, 64, 1, 192, 14, 23, 216, 14, 7, 256, 1, 48,
  306, 1, 6, 313, 1, 16, 330, 1, 46, 376, 116, 1, 377, 1, 6,
  383, 104, 1, 385, 50, 1, 386, 1, 4, 390, 44, 1, 391, 0, 1,
  393, 42, 2, 395, 0, 1, 398, 32, 1, 399, 38, 1, 400, 40, 1,
  401, 0, 1, 403, 42, 1, 404, 46, 1, 406, 52, 1, 407, 48, 1,
  408, 0, 1, 412, 52, 1, 413, 54, 1, 415, 56, 1, 416, 1, 6,
  422, 60, 1, 423, 0, 1, 425, 60, 1, 428, 0, 1, 430, 60, 1,
  431, 0, 1, 433, 58, 2, 435, 1, 4, 439, 62, 1, 440, 0, 1,
  444, 0, 1, 452, 2, 1, 453, 0, 1, 455, 2, 1, 456, 0, 1,
  458, 2, 1, 459, 1, 18, 478, 1, 18, 497, 2, 1, 498, 1, 4,
  502, 122, 1, 503, 134, 1, 504, 1, 40, 544, 110, 1, 546, 1, 18,
  570, 70, 1, 571, 0, 1, 573, 108, 1, 574, 68, 1, 577, 0, 1,
  579, 106, 1, 580, 28, 1, 581, 30, 1, 582, 1, 10, 837, 36, 1,
  880, 1, 4, 886, 0, 1, 902, 18, 1, 904, 16, 3, 908, 26, 1,
  910, 24, 2, 913, 14, 17, 931, 14, 9, 962, 0, 1, 975, 4, 1,
  976, 140, 1, 977, 142, 1, 981, 146, 1, 982, 144, 1, 984, 1, 24,
  1008, 136, 1, 1009, 138, 1, 1012, 130, 1, 1013, 128, 1, 1015, 0, 1,
  1017, 152, 1, 1018, 0, 1, 1021, 110, 3, 1024, 34, 16, 1040, 14, 32,
  1120, 1, 34, 1162, 1, 54, 1216, 6, 1, 1217, 1, 14, 1232, 1, 88,
  1329, 22, 38, 4256, 66, 38, 4295, 66, 1, 4301, 66, 1, 7680, 1, 150,
  7835, 132, 1, 7838, 96, 1, 7840, 1, 96, 7944, 150, 8, 7960, 150, 6,
  7976, 150, 8, 7992, 150, 8, 8008, 150, 6, 8025, 151, 8, 8040, 150, 8,
  8072, 150, 8, 8088, 150, 8, 8104, 150, 8, 8120, 150, 2, 8122, 126, 2,
  8124, 148, 1, 8126, 100, 1, 8136, 124, 4, 8140, 148, 1, 8152, 150, 2,
  8154, 120, 2, 8168, 150, 2, 8170, 118, 2, 8172, 152, 1, 8184, 112, 2,
  8186, 114, 2, 8188, 148, 1, 8486, 98, 1, 8490, 92, 1, 8491, 94, 1,
  8498, 12, 1, 8544, 8, 16, 8579, 0, 1, 9398, 10, 26, 11264, 22, 47,
  11360, 0, 1, 11362, 88, 1, 11363, 102, 1, 11364, 90, 1, 11367, 1, 6,
  11373, 84, 1, 11374, 86, 1, 11375, 80, 1, 11376, 82, 1, 11378, 0, 1,
  11381, 0, 1, 11390, 78, 2, 11392, 1, 100, 11499, 1, 4, 11506, 0, 1,
  42560, 1, 46, 42624, 1, 24, 42786, 1, 14, 42802, 1, 62, 42873, 1, 4,
  42877, 76, 1, 42878, 1, 10, 42891, 0, 1, 42893, 74, 1, 42896, 1, 4,
  42912, 1, 10, 42922, 72, 1, 65313, 14, 26,
];
const FOLD_OFFSETS = [
  1, 2, 8, 15, 16, 26, 28, 32, 37, 38, 40, 48, 63, 64, 69, 71,
  79, 80, 116, 202, 203, 205, 206, 207, 209, 210, 211, 213, 214, 217, 218, 219,
  775, 7264, 10792, 10795, 23228, 23256, 30204, 54721, 54753, 54754, 54756, 54787, 54793, 54809, 57153, 57274,
  57921, 58019, 58363, 61722, 65268, 65341, 65373, 65406, 65408, 65410, 65415, 65424, 65436, 65439, 65450, 65462,
  65472, 65476, 65478, 65480, 65482, 65488, 65506, 65511, 65514, 65521, 65527, 65528, 65529,
];

/** (code point << 3) | range length, and the ASCII letter each range strips down to (high bit: complex only) */
const DIA_KEYS = [
  0, 1797, 1848, 1859, 1891, 1928, 1940, 1995, 2024, 2040, 2060, 2110, 2168, 2206, 2264, 2286,
  2344, 2383, 2472, 2488, 2516, 2596, 2668, 2732, 2782, 2842, 2894, 2954, 2984, 3000, 3028, 3336,
  3456, 3696, 3712, 3728, 3744, 3766, 3832, 3896, 3912, 3928, 3944, 3968, 4008, 4040, 4056, 4106,
  4138, 4170, 4202, 4234, 4266, 4296, 4312, 4344, 4408, 4424, 4442, 4472, 4488, 4504, 6148, 6198,
  6264, 6280, 6360, 6429, 6505, 6529, 61448, 61468, 61512, 61534, 61592, 61610, 61642, 61672, 61688, 61704,
  61726, 61784, 61800, 61816, 61836, 61880, 61896, 61914, 61948, 61998, 62062, 62122, 62154, 62184, 62200, 62218,
  62252, 62302, 62364, 62410, 62442, 62478, 62536, 62554, 62584, 62604, 62640, 62648, 62656, 62664, 62730, 62766,
  62830, 62890, 62924, 62974, 63032, 63050, 63082, 63118, 63182, 63242, 63274, 63310, 63368, 63390,
];
const DIA_CHARS = [
  0, 97, 99, 101, 105, 110, 111, 117, 121, 121, 97, 99, 100, 101, 101, 103,
  104, 105, 106, 107, 108, 110, 111, 114, 115, 116, 117, 117, 119, 121, 122, 111,
  117, 97, 105, 111, 117, 245, 225, 103, 107, 111, 239, 106, 103, 110, 225, 97,
  101, 105, 111, 114, 117, 115, 116, 104, 97, 101, 239, 111, 239, 121, 0, 0,
  0, 0, 0, 0, 0, 0, 97, 98, 227, 100, 100, 229, 101, 229, 102, 103,
  104, 104, 105, 233, 107, 108, 236, 108, 109, 110, 239, 112, 114, 242, 114, 115,
  243, 116, 117, 245, 118, 119, 119, 120, 121, 122, 104, 116, 119, 121, 97, 225,
  225, 225, 101, 229, 229, 105, 111, 239, 239, 239, 117, 245, 245, 121,
];

function removeDiacritic(c: number): number {
  const key = (c << 3) | 7;
  let res = 0;
  let lo = 0;
  let hi = DIA_KEYS.length - 1;
  while (hi >= lo) {
    const mid = (hi + lo) >> 1;
    if (key >= DIA_KEYS[mid]!) {
      res = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const k = DIA_KEYS[res]!;
  // remove_diacritics=2: the "complex" ranges (high bit set) are stripped too
  return c > (k >> 3) + (k & 7) ? c : DIA_CHARS[res]! & 0x7f;
}

/** SQLite's fold of one code point: lower case, diacritic removed; 0 when the character vanishes. */
export function foldCodePoint(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  if (c >= 65536) return c >= 66560 && c < 66600 ? c + 40 : c;
  let res = -1;
  let lo = 0;
  let hi = FOLD_ENTRIES.length / 3 - 1;
  while (hi >= lo) {
    const mid = (hi + lo) >> 1;
    if (c - FOLD_ENTRIES[mid * 3]! >= 0) {
      res = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  let ret = c;
  const code = FOLD_ENTRIES[res * 3]!;
  const flags = FOLD_ENTRIES[res * 3 + 1]!;
  const range = FOLD_ENTRIES[res * 3 + 2]!;
  if (c < code + range && (1 & flags & (code ^ c)) === 0) ret = (c + FOLD_OFFSETS[flags >> 1]!) & 0xffff;
  return removeDiacritic(ret);
}

/** The combining diacritics (U+0300–U+0331) that FTS5 keeps inside a token, then drops. */
function isDiacritic(c: number): boolean {
  if (c < 768 || c > 817) return false;
  return c < 800 ? (0x08029fdf & (1 << (c - 768))) !== 0 : (0x000361f8 & (1 << (c - 800))) !== 0;
}

const ALNUM = /[\p{L}\p{N}\p{Co}]/u;

function isAlnum(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return ALNUM.test(String.fromCodePoint(c));
}

// ---- tokens ----

export interface Token {
  /** folded: lower case, no diacritics */
  text: string;
  /** UTF-16 offsets of the token in the input */
  start: number;
  end: number;
}

const ASCII_ALNUM = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_ALNUM[c] = isAlnum(c) ? 1 : 0;

/** Calls fn for every token of text, in order. */
export function forEachToken(text: string, fn: (token: string, start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (ASCII_ALNUM[c] === 0) {
        i++;
        continue;
      }
    } else {
      const cp = text.codePointAt(i)!;
      if (!isAlnum(cp)) {
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
    }
    i = readToken(text, i, fn);
  }
}

/** Reads the token starting at i (a token character); returns where it ends. */
function readToken(text: string, start: number, fn: (token: string, start: number, end: number) => void): number {
  // most tokens are plain ASCII: slice and lower-case them in one go
  let j = start;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c >= 128) break;
    if (ASCII_ALNUM[c] === 0) {
      fn(text.slice(start, j).toLowerCase(), start, j);
      return j;
    }
    j++;
  }
  if (j === text.length) {
    fn(text.slice(start, j).toLowerCase(), start, j);
    return j;
  }
  return readFoldedToken(text, start, fn);
}

/** The general case: code point by code point through SQLite's fold. */
function readFoldedToken(text: string, start: number, fn: (token: string, start: number, end: number) => void): number {
  let i = start;
  let out = '';
  while (i < text.length) {
    const c = text.codePointAt(i)!;
    if (!(isAlnum(c) || isDiacritic(c))) break;
    const f = foldCodePoint(c);
    if (f !== 0) out += String.fromCodePoint(f);
    i += c > 0xffff ? 2 : 1;
  }
  fn(out, start, i);
  return i;
}

export function tokens(text: string): Token[] {
  const out: Token[] = [];
  forEachToken(text, (t, start, end) => out.push({ text: t, start, end }));
  return out;
}

/** The folded tokens of text, in order. */
export function tokenTexts(text: string): string[] {
  const out: string[] = [];
  forEachToken(text, (t) => out.push(t));
  return out;
}

const stems = new Map<string, string>();

/**
 * What the index stores for a folded token: its Porter stem. Memoised: a paper's ~200 tokens are
 * mostly words seen before, and stemming is the costly part of indexing.
 */
export function stem(token: string): string {
  let s = stems.get(token);
  if (s === undefined) {
    if (stems.size >= 200_000) stems.clear();
    stems.set(token, (s = porterStem(token)));
  }
  return s;
}

/** The index terms of text, in order: tokens, folded and stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  forEachToken(text, (t) => out.push(stem(t)));
  return out;
}
