/**
 * Word co-occurrence statistics for the built-in embeddings (issue 12, decision 021): the stemmed
 * terms of every paper (core/tokenize.ts, the same terms keyword search indexes), a vocabulary of
 * the terms seen at least minCount times, symmetric co-occurrence counts within a window
 * (word2vec's weighting: a context d words away counts (window − d + 1) / window), and the
 * positive pointwise mutual information of each pair with the context distribution smoothed by
 * an exponent of 0.75 (Levy, Goldberg and Dagan 2015), as a sparse matrix in CSR form.
 *
 * Counts live in an open-addressing hash table of typed arrays (unordered pair → weight): linear
 * in the tokens, no per-pair object.
 */
import { terms } from '../tokenize.js';

export interface PpmiOptions {
  /** co-occurrence window on each side (10) */
  window?: number;
  /** a term must occur this many times to have a vector (2) */
  minCount?: number;
  /** the vocabulary keeps at most this many terms, most frequent first (30,000; at most 65,535) */
  maxVocabulary?: number;
  /** context distribution smoothing exponent (0.75) */
  contextSmoothing?: number;
  /** called now and then while counting: texts done of texts total */
  onProgress?: (done: number, total: number) => void;
}

export interface Vocabulary {
  words: string[];
  /** occurrences of each word in the training texts */
  counts: Float64Array;
  index: Map<string, number>;
  /** all token occurrences in the training texts, in and out of the vocabulary */
  totalTokens: number;
}

/** A sparse matrix, compressed rows. */
export interface Csr {
  rows: number;
  cols: number;
  rowStart: Uint32Array;
  col: Uint32Array;
  value: Float32Array;
}

/** The terms of every text, once (training reads them twice: vocabulary, then counts). */
export function termsOf(texts: readonly string[]): string[][] {
  return texts.map((t) => terms(t).filter(isWordLike));
}

/** Numbers alone ("2", "2025") carry no meaning of their own in an abstract. */
function isWordLike(term: string): boolean {
  const c = term.charCodeAt(0);
  return !(c >= 48 && c <= 57) || /[^0-9]/.test(term);
}

export function buildVocabulary(docs: readonly string[][], minCount = 2, maxVocabulary = 30_000): Vocabulary {
  if (maxVocabulary > 65_535) throw new RangeError(`ppmi: maxVocabulary is at most 65,535, got ${maxVocabulary}`);
  const freq = new Map<string, number>();
  let totalTokens = 0;
  for (const d of docs) {
    totalTokens += d.length;
    for (const t of d) freq.set(t, (freq.get(t) ?? 0) + 1);
  }
  const kept = [...freq].filter(([, n]) => n >= minCount);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  kept.length = Math.min(kept.length, maxVocabulary);
  const words = kept.map(([w]) => w);
  return {
    words,
    counts: Float64Array.from(kept, ([, n]) => n),
    index: new Map(words.map((w, i) => [w, i])),
    totalTokens,
  };
}

const EMPTY = 0xffffffff;

/** Unordered pair counts: key = min·V + max (fits 32 bits for V ≤ 65,535). */
class PairCounts {
  keys: Uint32Array;
  values: Float32Array;
  size = 0;
  private mask: number;
  private shift: number;

  constructor(bits = 20) {
    this.keys = new Uint32Array(1 << bits).fill(EMPTY);
    this.values = new Float32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  add(key: number, w: number): void {
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    const keys = this.keys;
    for (;;) {
      const k = keys[slot]!;
      if (k === key) {
        this.values[slot]! += w;
        return;
      }
      if (k === EMPTY) {
        keys[slot] = key;
        this.values[slot] = w;
        if (++this.size > this.keys.length * 0.7) this.grow();
        return;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const bits = 32 - this.shift + 1;
    this.keys = new Uint32Array(1 << bits).fill(EMPTY);
    this.values = new Float32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    this.size = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== EMPTY) this.add(oldKeys[i]!, oldValues[i]!);
  }
}

/** The PPMI matrix (vocabulary × vocabulary) of the texts' terms. */
export function ppmiMatrix(docs: readonly string[][], vocab: Vocabulary, opts: PpmiOptions = {}): Csr {
  const window = opts.window ?? 10;
  const alpha = opts.contextSmoothing ?? 0.75;
  const V = vocab.words.length;
  const pairs = new PairCounts();
  let buf = new Int32Array(4096);
  for (let di = 0; di < docs.length; di++) {
    const d = docs[di]!;
    if (buf.length < d.length) buf = new Int32Array(d.length);
    // out-of-vocabulary terms are dropped before windowing (as word2vec does)
    let n = 0;
    for (const t of d) {
      const i = vocab.index.get(t);
      if (i !== undefined) buf[n++] = i;
    }
    for (let p = 0; p < n; p++) {
      const a = buf[p]!;
      const end = Math.min(n, p + window + 1);
      for (let q = p + 1; q < end; q++) {
        const b = buf[q]!;
        if (a === b) continue;
        const w = (window - (q - p) + 1) / window;
        pairs.add(a < b ? a * V + b : b * V + a, w);
      }
    }
    if (opts.onProgress && (di & 1023) === 1023) opts.onProgress(di + 1, docs.length);
  }
  opts.onProgress?.(docs.length, docs.length);

  // marginals: each unordered pair counts for both of its words
  const rowSum = new Float64Array(V);
  const { keys, values } = pairs;
  for (let s = 0; s < keys.length; s++) {
    const k = keys[s]!;
    if (k === EMPTY) continue;
    const a = Math.floor(k / V);
    const b = k - a * V;
    rowSum[a]! += values[s]!;
    rowSum[b]! += values[s]!;
  }
  let smoothTotal = 0;
  for (let i = 0; i < V; i++) smoothTotal += Math.pow(rowSum[i]!, alpha);
  const logRow = new Float64Array(V);
  const logCtx = new Float64Array(V);
  for (let i = 0; i < V; i++) {
    logRow[i] = Math.log(rowSum[i]!);
    logCtx[i] = alpha * Math.log(rowSum[i]!) - Math.log(smoothTotal);
  }
  // PPMI(i, j) = log(c_ij) − log(c_i) − log(P_α(j)); positive entries only, both directions
  const pmi = (c: number, i: number, j: number) => Math.log(c) - logRow[i]! - logCtx[j]!;
  const rowLen = new Uint32Array(V);
  for (let s = 0; s < keys.length; s++) {
    const k = keys[s]!;
    if (k === EMPTY) continue;
    const a = Math.floor(k / V);
    const b = k - a * V;
    if (pmi(values[s]!, a, b) > 0) rowLen[a]!++;
    if (pmi(values[s]!, b, a) > 0) rowLen[b]!++;
  }
  const rowStart = new Uint32Array(V + 1);
  for (let i = 0; i < V; i++) rowStart[i + 1] = rowStart[i]! + rowLen[i]!;
  const nnz = rowStart[V]!;
  const col = new Uint32Array(nnz);
  const value = new Float32Array(nnz);
  const fill = rowStart.slice(0, V);
  for (let s = 0; s < keys.length; s++) {
    const k = keys[s]!;
    if (k === EMPTY) continue;
    const a = Math.floor(k / V);
    const b = k - a * V;
    const ab = pmi(values[s]!, a, b);
    if (ab > 0) {
      col[fill[a]!] = b;
      value[fill[a]!++] = ab;
    }
    const ba = pmi(values[s]!, b, a);
    if (ba > 0) {
      col[fill[b]!] = a;
      value[fill[b]!++] = ba;
    }
  }
  return { rows: V, cols: V, rowStart, col, value };
}
