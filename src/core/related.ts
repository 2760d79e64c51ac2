/**
 * "Similar papers", computed ahead of time for the whole archive: each paper is summed up by a
 * signature (its most telling stems, weighted by tf-idf and normalised to length 1), and a paper's
 * related papers are those whose signatures are nearest by cosine similarity. A paper page then
 * reads a stored list instead of running a search (decision 007).
 *
 * The computation is an inverted index over the signatures: for paper p, every paper sharing one
 * of p's stems gets the product of the two weights added to its score. Its cost is the sum of the
 * stems' posting lengths, which is why stems found in many papers ("model", "learning") are left
 * out of signatures: they would make every paper a candidate of every other and say nothing.
 */
import { idf } from './bm25.js';
import { candidateTerms } from './similar.js';

/** Stems that sum a paper up: enough to find its neighbours, few enough to keep postings short. */
export const SIGNATURE_TERMS = 12;

/**
 * A stem in more than this share of the archive is too common to tell papers apart ("model" is in
 * most cs papers, "diffusion" in about 5%); such stems are left out of signatures.
 */
export const SIGNATURE_MAX_SHARE = 0.05;

/**
 * ...and, whatever the archive's size, a stem in more than this many papers: it bounds the
 * postings walked per paper, so that computing every paper's list grows with the archive's size
 * rather than its square.
 */
export const SIGNATURE_MAX_PAPERS = 5000;

/** Related papers kept per paper. */
export const RELATED_PER_PAPER = 10;

export interface Signature {
  stems: string[];
  /** L2-normalised: the dot product of two signatures is their cosine similarity */
  weights: number[];
}

export interface TermStats {
  /** papers in the archive */
  papers: number;
  /** papers holding each stem */
  df: ReadonlyMap<string, number>;
}

/**
 * A paper's signature: its content words (title words counting double, see candidateTerms) that
 * some other paper has too and that are not too common, by weight × idf, heaviest first (ties by
 * stem, so it is stable). Empty when the paper has no such word.
 */
export function signature(title: string | null, abstract: string | null, stats: TermStats, max = SIGNATURE_TERMS): Signature {
  const common = Math.max(2, Math.min(stats.papers * SIGNATURE_MAX_SHARE, SIGNATURE_MAX_PAPERS));
  const scored: { stem: string; w: number }[] = [];
  for (const c of candidateTerms(title, abstract, 60)) {
    const df = stats.df.get(c.stem) ?? 0;
    if (df >= 2 && df <= common) scored.push({ stem: c.stem, w: c.weight * idf(stats.papers, df) });
  }
  scored.sort((a, b) => b.w - a.w || (a.stem < b.stem ? -1 : 1));
  const top = scored.slice(0, max);
  const norm = Math.sqrt(top.reduce((s, t) => s + t.w * t.w, 0));
  return { stems: top.map((t) => t.stem), weights: top.map((t) => (norm > 0 ? t.w / norm : 0)) };
}

/**
 * Signatures added one paper at a time, then asked for each paper's nearest neighbours. Memory:
 * typed arrays only, 16 bytes per signature entry once sealed (the paper's and the postings'),
 * plus the ids and one integer per distinct stem: ~70 MB of arrays for 3M papers.
 */
export class RelatedGraph {
  private readonly stemIndex = new Map<string, number>();
  private readonly ids: string[] = [];
  // each paper's stems and weights, one after another; grown by doubling while adding
  private entries = 0;
  private paperTerms = new Int32Array(4096);
  private paperWeights = new Float32Array(4096);
  private paperStart = new Int32Array(1024);
  // built by seal(): postings by stem (compressed rows)
  private postStart: Int32Array | null = null;
  private postPaper: Int32Array = new Int32Array(0);
  private postWeight: Float32Array = new Float32Array(0);
  private acc: Float32Array = new Float32Array(0);
  private touched: Int32Array = new Int32Array(0);

  get size(): number {
    return this.ids.length;
  }

  id(index: number): string {
    return this.ids[index]!;
  }

  add(id: string, sig: Signature): void {
    if (this.postStart) throw new Error('RelatedGraph: add() after seal()');
    this.ids.push(id);
    if (this.ids.length + 1 > this.paperStart.length) this.paperStart = grown(this.paperStart, this.ids.length + 1);
    const end = this.entries + sig.stems.length;
    if (end > this.paperTerms.length) {
      this.paperTerms = grown(this.paperTerms, end);
      this.paperWeights = grown(this.paperWeights, end);
    }
    sig.stems.forEach((s, i) => {
      let t = this.stemIndex.get(s);
      if (t === undefined) this.stemIndex.set(s, (t = this.stemIndex.size));
      this.paperTerms[this.entries] = t;
      this.paperWeights[this.entries++] = sig.weights[i]!;
    });
    this.paperStart[this.ids.length] = this.entries;
  }

  /** Builds the postings; no add() after it. */
  seal(): void {
    const stems = this.stemIndex.size;
    const n = this.entries;
    this.paperTerms = this.paperTerms.slice(0, n);
    this.paperWeights = this.paperWeights.slice(0, n);
    this.paperStart = this.paperStart.slice(0, this.ids.length + 1);
    this.stemIndex.clear(); // stems are numbers from here on
    const postStart = new Int32Array(stems + 1);
    for (let k = 0; k < n; k++) postStart[this.paperTerms[k]! + 1]!++;
    for (let t = 0; t < stems; t++) postStart[t + 1]! += postStart[t]!;
    const fill = postStart.slice(0, stems);
    this.postPaper = new Int32Array(n);
    this.postWeight = new Float32Array(n);
    for (let p = 0; p < this.ids.length; p++)
      for (let k = this.paperStart[p]!; k < this.paperStart[p + 1]!; k++) {
        const at = fill[this.paperTerms[k]!]!++;
        this.postPaper[at] = p;
        this.postWeight[at] = this.paperWeights[k]!;
      }
    this.postStart = postStart;
    this.acc = new Float32Array(this.ids.length);
    this.touched = new Int32Array(this.ids.length);
  }

  /**
   * The `limit` papers most similar to paper `p` (by index), best first, ties by id; papers sharing
   * no stem with it are never listed.
   */
  nearest(p: number, limit = RELATED_PER_PAPER): { index: number; score: number }[] {
    const post = this.postStart;
    if (!post) throw new Error('RelatedGraph: nearest() before seal()');
    if (limit <= 0) return [];
    const { acc, touched, postPaper, postWeight } = this;
    let count = 0;
    for (let k = this.paperStart[p]!; k < this.paperStart[p + 1]!; k++) {
      const t = this.paperTerms[k]!;
      const w = this.paperWeights[k]!;
      for (let j = post[t]!; j < post[t + 1]!; j++) {
        const q = postPaper[j]!;
        if (q === p) continue;
        if (acc[q] === 0) touched[count++] = q;
        acc[q]! += w * postWeight[j]!;
      }
    }
    const best: { index: number; score: number }[] = [];
    const before = (a: { index: number; score: number }, b: { index: number; score: number }) =>
      a.score > b.score || (a.score === b.score && this.ids[a.index]! < this.ids[b.index]!);
    for (let i = 0; i < count; i++) {
      const q = touched[i]!;
      const c = { index: q, score: acc[q]! };
      acc[q] = 0;
      if (best.length < limit) best.push(c);
      else if (before(c, best[limit - 1]!)) best[limit - 1] = c;
      else continue;
      for (let k = best.length - 1; k > 0 && before(best[k]!, best[k - 1]!); k--) [best[k], best[k - 1]] = [best[k - 1]!, best[k]!];
    }
    return best;
  }
}

/** A copy of a typed array with room for at least `need` entries (doubling). */
function grown<T extends Int32Array | Float32Array>(a: T, need: number): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
