/**
 * The built-in embedding model (issue 12, decision 021): word vectors learned from the store's
 * own papers (PPMI of stemmed-term co-occurrences, reduced by a randomized truncated SVD, each
 * word's vector U·√S normalised), pooled into a text vector with SIF weights a / (a + p(w))
 * (Arora, Liang and Ma 2017), the corpus's first principal component(s) removed, unit length.
 *
 * The trained state is plain arrays, written by toBuffer() and read by fromBuffer(); its SHA-256
 * names the model (BuiltinEmbedder's id), so vectors from different training runs never mix.
 */
import { createHash } from 'node:crypto';
import { forEachToken, stem } from '../tokenize.js';
import { buildVocabulary, ppmiMatrix, termsOf, type PpmiOptions } from './ppmi.js';
import { randomizedSvd } from './rsvd.js';
import { seededRandom } from '../seeded-random.js';

export interface SifTrainOptions extends Omit<PpmiOptions, 'onProgress'> {
  /** dimensions of the vectors (256) */
  dimensions?: number;
  /** SIF's a (1e-3) */
  sifA?: number;
  /** principal components removed from every text vector (2) */
  removeComponents?: number;
  /** singular value exponent of the word vectors, U·S^p (0.5) */
  eigenWeight?: number;
  powerIterations?: number;
  seed?: number;

  onProgress?: (phase: 'count' | 'svd' | 'pool', done: number, total: number) => void;
}

const MAGIC = 'PBSIF001';

/** A paper as the embedders see it: its title, then its abstract. */
export function paperText(title: string | null, abstract: string | null): string {
  return [title, abstract].filter((s) => s).join('. ');
}

export class SifModel {
  private readonly index: Map<string, number>;
  /** folded token → its term's row (−1: unknown), so a known token is not stemmed again */
  private readonly tokenRows = new Map<string, number>();
  /** per term, how many times the text being pooled holds it (zero between texts) */
  private readonly occurrences: Uint16Array;
  private hashCache: string | null = null;

  constructor(
    readonly words: readonly string[],
    /** SIF weight of each word */
    readonly weights: Float32Array,
    /** words × dimensions, row-major, each row unit length */
    readonly vectors: Float32Array,
    readonly dimensions: number,
    /** removeComponents × dimensions, unit rows */
    readonly components: Float32Array,
  ) {
    if (vectors.length !== words.length * dimensions) throw new RangeError(`sif model: ${vectors.length} vector values for ${words.length} words × ${dimensions} dimensions`);
    if (weights.length !== words.length) throw new RangeError(`sif model: ${weights.length} weights for ${words.length} words`);
    if (components.length % dimensions !== 0) throw new RangeError(`sif model: components of ${components.length} values are not rows of ${dimensions}`);
    this.index = new Map(words.map((w, i) => [w, i]));
    this.occurrences = new Uint16Array(words.length);
  }

  static train(texts: readonly string[], opts: SifTrainOptions = {}): SifModel {
    const dims = opts.dimensions ?? 256;
    const a = opts.sifA ?? 1e-3;
    const p = opts.eigenWeight ?? 0.5;
    const docs = termsOf(texts);
    const vocab = buildVocabulary(docs, opts.minCount ?? 2, opts.maxVocabulary ?? 30_000);
    if (vocab.words.length < 2) throw new RangeError(`sif model: ${texts.length} texts give a vocabulary of ${vocab.words.length} terms, too few to learn from`);
    const ppmi = ppmiMatrix(docs, vocab, { ...opts, onProgress: (d, t) => opts.onProgress?.('count', d, t) });
    const svd = randomizedSvd(ppmi, dims, { powerIterations: opts.powerIterations, seed: opts.seed, onProgress: (d, t) => opts.onProgress?.('svd', d, t) });
    const k = svd.k;
    const V = vocab.words.length;
    const vectors = new Float32Array(V * dims); // a vocabulary smaller than dims leaves zeros
    const scale = Float64Array.from(svd.s, (s) => Math.pow(s, p));
    for (let w = 0; w < V; w++) {
      let norm = 0;
      for (let c = 0; c < k; c++) norm += (svd.u[w * k + c]! * scale[c]!) ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let c = 0; c < k; c++) vectors[w * dims + c] = (svd.u[w * k + c]! * scale[c]!) / norm;
    }
    const weights = Float32Array.from(vocab.counts, (n) => a / (a + n / vocab.totalTokens));
    const raw = new SifModel(vocab.words, weights, vectors, dims, new Float32Array(0));
    // the common component(s): the top right singular vectors of the texts' pooled vectors,
    // by power iteration with deflation (a few passes over a texts × dims matrix)
    const npc = opts.removeComponents ?? 2;
    const pooled = new Float32Array(docs.length * dims);
    let rows = 0;
    const v = new Float32Array(dims);
    for (let i = 0; i < docs.length; i++) {
      if (raw.poolTerms(docs[i]!, v)) pooled.set(v, rows++ * dims);
      if ((i & 1023) === 1023) opts.onProgress?.('pool', i + 1, docs.length);
    }
    opts.onProgress?.('pool', docs.length, docs.length);
    const components = topComponents(pooled.subarray(0, rows * dims), rows, dims, npc, opts.seed ?? 42);
    return new SifModel(vocab.words, weights, vectors, dims, components);
  }

  get vocabularySize(): number {
    return this.words.length;
  }

  /** SIF-weighted average of the known tokens' vectors of text into out; false when none is known. */
  private poolText(text: string, out: Float32Array): boolean {
    out.fill(0);
    const d = this.dimensions;
    const { tokenRows, index, weights, vectors, occurrences } = this;
    // each distinct term's vector is added once, times its count: abstracts repeat their terms
    const seen: number[] = [];
    let n = 0;
    forEachToken(text, (t) => {
      let w = tokenRows.get(t);
      if (w === undefined) {
        w = index.get(stem(t)) ?? -1;
        if (tokenRows.size >= 500_000) tokenRows.clear();
        tokenRows.set(t, w);
      }
      if (w < 0) return;
      if (occurrences[w] === 0) seen.push(w);
      if (occurrences[w]! < 65_535) occurrences[w]!++;
      n++;
    });
    for (const w of seen) {
      const weight = weights[w]! * occurrences[w]!;
      occurrences[w] = 0;
      const o = w * d;
      for (let c = 0; c < d; c++) out[c]! += weight * vectors[o + c]!;
    }
    if (n === 0) return false;
    for (let c = 0; c < d; c++) out[c]! /= n;
    return true;
  }

  /** SIF-weighted average of the known terms' vectors into out; false when none is known. */
  private poolTerms(ts: readonly string[], out: Float32Array): boolean {
    out.fill(0);
    const d = this.dimensions;
    let n = 0;
    for (const t of ts) {
      const w = this.index.get(t);
      if (w === undefined) continue;
      const weight = this.weights[w]!;
      const o = w * d;
      for (let c = 0; c < d; c++) out[c]! += weight * this.vectors[o + c]!;
      n++;
    }
    if (n === 0) return false;
    for (let c = 0; c < d; c++) out[c]! /= n;
    return true;
  }

  /** The text's unit vector (the zero vector when it has no known term). */
  embed(text: string): Float32Array {
    const out = new Float32Array(this.dimensions);
    if (!this.poolText(text, out)) return out;
    const d = this.dimensions;
    for (let j = 0; j * d < this.components.length; j++) {
      let dot = 0;
      for (let c = 0; c < d; c++) dot += out[c]! * this.components[j * d + c]!;
      for (let c = 0; c < d; c++) out[c]! -= dot * this.components[j * d + c]!;
    }
    let norm = 0;
    for (let c = 0; c < d; c++) norm += out[c]! * out[c]!;
    if (norm === 0) return out;
    const inv = 1 / Math.sqrt(norm);
    for (let c = 0; c < d; c++) out[c]! *= inv;
    return out;
  }

  /** A short hash of the trained state: what the embedder's id carries. */
  get hash(): string {
    this.hashCache ??= createHash('sha256').update(this.toBuffer()).digest('hex').slice(0, 16);
    return this.hashCache;
  }

  /**
   * MAGIC, u32 header length, header JSON ({dimensions, words, components}), zero padding to a
   * multiple of 4, then Float32 weights, vectors and components (little-endian).
   */
  toBuffer(): Buffer {
    const header = Buffer.from(JSON.stringify({ dimensions: this.dimensions, components: this.components.length / this.dimensions, words: this.words }), 'utf8');
    const headEnd = 8 + 4 + header.length;
    const start = Math.ceil(headEnd / 4) * 4;
    const floats = this.weights.length + this.vectors.length + this.components.length;
    const buf = Buffer.alloc(start + floats * 4);
    buf.write(MAGIC, 0, 'latin1');
    buf.writeUInt32LE(header.length, 8);
    header.copy(buf, 12);
    let o = start;
    for (const arr of [this.weights, this.vectors, this.components]) {
      Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).copy(buf, o);
      o += arr.byteLength;
    }
    return buf;
  }

  static fromBuffer(buf: Buffer, source = 'the model'): SifModel {
    const bad = (why: string) => new RangeError(`${source} is not a built-in embedding model: ${why}`);
    if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw bad(`it does not start with ${MAGIC}`);
    const headerLength = buf.readUInt32LE(8);
    if (12 + headerLength > buf.length) throw bad('its header runs past its end');
    let header: { dimensions?: unknown; components?: unknown; words?: unknown };
    try {
      header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as typeof header;
    } catch {
      throw bad('its header is not JSON');
    }
    const { dimensions, components, words } = header;
    if (!Number.isInteger(dimensions) || (dimensions as number) <= 0) throw bad('no positive dimensions in its header');
    if (!Number.isInteger(components) || (components as number) < 0) throw bad('no component count in its header');
    if (!Array.isArray(words) || !words.every((w) => typeof w === 'string')) throw bad('no word list in its header');
    const d = dimensions as number;
    const V = words.length;
    const start = Math.ceil((12 + headerLength) / 4) * 4;
    const floats = V + V * d + (components as number) * d;
    if (buf.length !== start + floats * 4) throw bad(`${buf.length} bytes where ${V} words × ${d} dimensions need ${start + floats * 4}`);
    // a copy, aligned and owned (the buffer may be a slice of a pool)
    const all = new Float32Array(floats);
    Buffer.from(all.buffer).set(buf.subarray(start));
    return new SifModel(words as string[], all.subarray(0, V), all.subarray(V, V + V * d), d, all.subarray(V + V * d));
  }
}

/**
 * The top k right singular vectors of a rows × d matrix (row-major), by power iteration on XᵀX
 * with deflation: k × d, unit rows.
 */
function topComponents(x: Float32Array, rows: number, d: number, k: number, seed: number): Float32Array {
  const out = new Float32Array(k * d);
  const rand = seededRandom(seed);
  const xv = new Float64Array(rows);
  for (let j = 0; j < k; j++) {
    let v: Float64Array = Float64Array.from({ length: d }, () => rand() - 0.5);
    for (let it = 0; it < 50; it++) {
      // remove the components found so far, then v ← XᵀX v, normalised
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += v[c]! * out[p * d + c]!;
        for (let c = 0; c < d; c++) v[c]! -= dot * out[p * d + c]!;
      }
      for (let r = 0; r < rows; r++) {
        let s = 0;
        const o = r * d;
        for (let c = 0; c < d; c++) s += x[o + c]! * v[c]!;
        xv[r] = s;
      }
      const next = new Float64Array(d);
      for (let r = 0; r < rows; r++) {
        const s = xv[r]!;
        const o = r * d;
        for (let c = 0; c < d; c++) next[c]! += s * x[o + c]!;
      }
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += next[c]! * out[p * d + c]!;
        for (let c = 0; c < d; c++) next[c]! -= dot * out[p * d + c]!;
      }
      const norm = Math.hypot(...next) || 1;
      let change = 0;
      for (let c = 0; c < d; c++) {
        next[c]! /= norm;
        change += Math.abs(next[c]! - v[c]!);
      }
      v = next;
      if (change < 1e-7) break;
    }
    for (let c = 0; c < d; c++) out[j * d + c] = v[c]!;
  }
  return out;
}
