import { describe, expect, it } from 'vitest';
import { BuiltinEmbedder } from '../../adapters/embedding/builtin-embedder.js';
import { buildVocabulary, ppmiMatrix, termsOf } from './ppmi.js';
import { randomizedSvd, symmetricEigen } from './rsvd.js';
import { seededRandom } from '../seeded-random.js';
import { SifModel } from './sif-model.js';

/** Texts on three topics, words drawn at random from each topic's list plus common words. */
function corpus(n: number, seed = 7): string[] {
  const topics = [
    'protein gene expression cell mutation enzyme receptor tumor cancer tissue dna rna',
    'transformer attention token language model decoder encoder pretraining embedding text',
    'galaxy star orbit planet telescope redshift cosmic dark matter luminosity spectrum',
  ].map((t) => t.split(' '));
  const common = 'the of and we a in to is with for that this results show method'.split(' ');
  const rand = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const t = topics[i % 3]!;
    return Array.from({ length: 40 }, () => (rand() < 0.4 ? pick(common) : pick(t))).join(' ');
  });
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('PPMI co-occurrences', () => {
  it('keeps terms seen minCount times, most frequent first, and gives topic pairs positive PMI', () => {
    const docs = termsOf(['alpha beta alpha gamma 2025', 'alpha beta delta', 'alpha beta']);
    const vocab = buildVocabulary(docs, 2);
    expect(vocab.words).toEqual(['alpha', 'beta']); // numbers dropped, rare terms cut
    expect(vocab.totalTokens).toBe(9);
    const m = ppmiMatrix(termsOf(corpus(60)), buildVocabulary(termsOf(corpus(60)), 2), { window: 5 });
    expect(m.rows).toBeGreaterThan(20);
    expect(m.rowStart[m.rows]).toBe(m.col.length);
    for (const v of m.value) expect(v).toBeGreaterThan(0);
  });
});

describe('randomized SVD', () => {
  it('finds the singular values of a small matrix as its Gram matrix\'s eigenvalues do', () => {
    // a 30 × 30 sparse matrix of rank ≤ 30
    const rand = seededRandom(3);
    const rows = 30;
    const rowStart = new Uint32Array(rows + 1);
    const col: number[] = [];
    const value: number[] = [];
    const dense = new Float64Array(rows * rows);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < rows; j++) {
        if (rand() < 0.3) {
          const v = rand();
          col.push(j);
          value.push(v);
          dense[i * rows + j] = Math.fround(v);
        }
      }
      rowStart[i + 1] = col.length;
    }
    const a = { rows, cols: rows, rowStart, col: Uint32Array.from(col), value: Float32Array.from(value) };
    const svd = randomizedSvd(a, 5, { oversampling: 25, powerIterations: 1 }); // a sketch of every column: exact up to Float32 rounding
    const aat = new Float64Array(rows * rows);
    for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) for (let k = 0; k < rows; k++) aat[i * rows + j]! += dense[i * rows + k]! * dense[j * rows + k]!;
    const exact = symmetricEigen(aat, rows).values.slice(0, 5).map(Math.sqrt);
    for (let i = 0; i < 5; i++) expect(svd.s[i]).toBeCloseTo(exact[i]!, 4);
    // U's columns orthonormal
    for (let p = 0; p < 5; p++) {
      let norm = 0;
      for (let r = 0; r < rows; r++) norm += svd.u[r * 5 + p]! ** 2;
      expect(norm).toBeCloseTo(1, 5);
    }
  });
});

describe('the built-in SIF model', () => {
  const texts = corpus(300);
  const model = SifModel.train(texts, { dimensions: 16, minCount: 3 });
  const embedder = new BuiltinEmbedder(model);

  it('embeds texts as unit vectors, same topic closer than another topic', async () => {
    const [bio, bio2, nlp] = await embedder.embed(['tumor cells and gene mutation', 'enzyme receptor in the tissue', 'a transformer language model'], 'document');
    for (const v of [bio!, bio2!, nlp!]) {
      expect(v).toHaveLength(16);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
    expect(dot(bio!, bio2!)).toBeGreaterThan(dot(bio!, nlp!) + 0.2);
  });

  it('gives the zero vector to a text with nothing it knows', async () => {
    const [v] = await embedder.embed(['zzyzx quux'], 'query');
    expect([...v!].every((x) => x === 0)).toBe(true);
  });

  it('names its trained state: same texts, same id; other texts, another id', () => {
    expect(embedder.id).toMatch(/^builtin-sif-16:[0-9a-f]{16}$/);
    expect(new BuiltinEmbedder(SifModel.train(texts, { dimensions: 16, minCount: 3 })).id).toBe(embedder.id);
    expect(new BuiltinEmbedder(SifModel.train(corpus(300, 8), { dimensions: 16, minCount: 3 })).id).not.toBe(embedder.id);
  });

  it('round-trips through toBuffer/fromBuffer with the same vectors and id', async () => {
    const copy = BuiltinEmbedder.fromBuffer(embedder.toBuffer());
    expect(copy.id).toBe(embedder.id);
    expect(copy.dimensions).toBe(16);
    const [a] = await embedder.embed(['galaxy redshift spectrum'], 'query');
    const [b] = await copy.embed(['galaxy redshift spectrum'], 'query');
    expect([...b!]).toEqual([...a!]);
  });

  it('refuses a buffer that is not a model, naming its source', () => {
    expect(() => SifModel.fromBuffer(Buffer.from('hello world, not a model'), 'x.bin')).toThrow(/x\.bin is not a built-in embedding model/);
    const buf = embedder.toBuffer();
    expect(() => SifModel.fromBuffer(buf.subarray(0, buf.length - 4), 'cut.bin')).toThrow(/cut\.bin .* bytes where/);
  });

  it('refuses to learn from too little text', () => {
    expect(() => SifModel.train(['one lonely text'], { minCount: 2 })).toThrow(/too few to learn from/);
  });
});
