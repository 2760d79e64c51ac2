/**
 * The k best (highest score) of a stream, in a binary min-heap of k entries: the worst kept is at
 * the root, so a candidate is one comparison when it can't enter, log k when it can.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly items: Int32Array;
  private n = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(1, k));
    this.items = new Int32Array(Math.max(1, k));
  }

  get size(): number {
    return this.n;
  }

  /** Whether a candidate with this score would be kept (ask before a costly check of the item). */
  admits(score: number): boolean {
    return this.k > 0 && (this.n < this.k || score > this.scores[0]!);
  }

  push(score: number, item: number): void {
    if (!this.admits(score)) return;
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.scores[parent]! <= score) break;
        this.scores[i] = this.scores[parent]!;
        this.items[i] = this.items[parent]!;
        i = parent;
      }
      this.scores[i] = score;
      this.items[i] = item;
      return;
    }
    // replace the root and sift down
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const r = l + 1;
      const c = r < this.n && this.scores[r]! < this.scores[l]! ? r : l;
      if (this.scores[c]! >= score) break;
      this.scores[i] = this.scores[c]!;
      this.items[i] = this.items[c]!;
      i = c;
    }
    this.scores[i] = score;
    this.items[i] = item;
  }

  /** What was kept, best first (ties by item, for a stable order). */
  sorted(): { score: number; item: number }[] {
    const out: { score: number; item: number }[] = [];
    for (let i = 0; i < this.n; i++) out.push({ score: this.scores[i]!, item: this.items[i]! });
    return out.sort((a, b) => b.score - a.score || a.item - b.item);
  }
}

/** The dot product of `q` and the vector at `offset` of `data` (cosine, for unit vectors). */
export function dotAt(q: Float32Array, data: Float32Array, offset: number): number {
  const d = q.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    s0 += q[i]! * data[offset + i]!;
    s1 += q[i + 1]! * data[offset + i + 1]!;
    s2 += q[i + 2]! * data[offset + i + 2]!;
    s3 += q[i + 3]! * data[offset + i + 3]!;
  }
  for (; i < d; i++) s0 += q[i]! * data[offset + i]!;
  return s0 + s1 + s2 + s3;
}
