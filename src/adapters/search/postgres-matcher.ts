/**
 * Query evaluation over the PostgreSQL index's postings, in memory: which docs each query unit
 * matches, with what weighted frequency, and their BM25 scores, counted exactly as FTS5 counts
 * them on SQLite (phrases as adjacent positions within one field, prefixes as every term they
 * start, dead docs skipped). Common words match tens of thousands of docs, so matches are kept
 * in typed arrays sorted by doc rather than in maps.
 */
import { bm25, idf, maxContribution, viablePatterns, weightedFrequency, type FieldWeights } from '../../core/bm25.js';
import type { QueryUnit } from '../../core/query.js';
import { stem } from '../../core/tokenize.js';
import { decodePositions, decodePostings, type PostingList } from './postings-codec.js';

/** Queries of more units are scored whole: 2^n sets of units to weigh, and rarely typed. */
const PRUNED_UNITS_MAX = 8;

/**
 * One search_postings row. Its decoded lists are kept on it once decoded: rows are shared by the
 * searches that need them (postgres-postings-cache.ts), and decoding gives the same lists each time.
 */
export interface LoadedRow {
  term: string;
  seg: number;
  /** postings in the row, dead docs included */
  n: number;
  data: Uint8Array;
  /** present for the terms of phrases */
  pos: Uint8Array | null;
  list?: PostingList;
  positions?: number[][][];
}

/** The live docs a unit occurs in (ascending), BM25's f in each, and each doc's length. */
export interface UnitMatches {
  docs: Int32Array;
  f: Float64Array;
  tokens: Int32Array;
}

/** Scores of the docs matching any unit, in doc order. */
export interface Scored {
  docs: Int32Array;
  scores: Float64Array;
}

export class Matcher {
  private readonly byTerm = new Map<string, LoadedRow[]>();
  private readonly cache = new Map<QueryUnit, UnitMatches>();

  constructor(
    rows: readonly LoadedRow[],
    private readonly dead: ReadonlySet<number>,
    private readonly weights: FieldWeights,
  ) {
    for (const r of rows) {
      const list = this.byTerm.get(r.term) ?? [];
      list.push(r);
      this.byTerm.set(r.term, list);
    }
  }

  /** How many live docs hold the unit; for a word, without decoding when no doc is dead. */
  df(u: QueryUnit): number {
    if (u.kind === 'term' && this.dead.size === 0 && !this.cache.has(u))
      return (this.byTerm.get(stem(u.tokens[0]!)) ?? []).reduce((s, r) => s + r.n, 0);
    return this.matches(u).docs.length;
  }

  matches(u: QueryUnit): UnitMatches {
    let m = this.cache.get(u);
    if (!m) this.cache.set(u, (m = u.kind === 'phrase' ? this.phrase(u.tokens.map(stem)) : this.terms(this.termsOf(u))));
    return m;
  }

  /**
   * BM25 of the docs matching any of the units; with `need`, only of those that can reach the best
   * `need` (the rest are left out). Once `need` docs holding every unit set a bar, a doc holding
   * too few units scores below it whatever its frequencies (core viablePatterns, as the SQLite index
   * prunes: sqlite-fts.best-first.ts): "diffusion model" need not score the 60,000 docs holding
   * only "model". `matched` counts every doc matching any unit.
   */
  scores(units: readonly QueryUnit[], papers: number, avgTokens: number, need = Infinity): Scored & { matched: number } {
    const idfs = units.map((u) => idf(papers, this.df(u)));
    const per = units.map((u) => this.matches(u));
    const docs = union(per.map((m) => m.docs));
    const n = units.length;
    const full = (1 << n) - 1;
    const pruning = n >= 2 && n <= PRUNED_UNITS_MAX && need < docs.length;
    const freqs = new Array<number>(n).fill(0);
    const len = new Int32Array(1);
    const scores = new Float64Array(docs.length);
    // the units each doc holds, as a bitmask; every doc scored, or, pruning, those holding every unit
    const masks = new Uint16Array(docs.length);
    let holdingAll = 0;
    let at = new Int32Array(n);
    for (let i = 0; i < docs.length; i++) {
      const mask = (masks[i] = gather(per, at, docs[i]!, freqs, len));
      if (mask === full) holdingAll++;
      if (!pruning || mask === full) scores[i] = bm25(freqs, idfs, len[0]!, avgTokens);
    }
    if (!pruning) return { docs, scores, matched: docs.length };
    // once need docs hold every unit, the need-th of them is the bar: which sets of units reach it
    const viable = new Uint8Array(full + 1).fill(1);
    if (holdingAll >= need) {
      const all = new Float64Array(holdingAll);
      for (let i = 0, k = 0; i < docs.length; i++) if (masks[i] === full) all[k++] = scores[i]!;
      const patterns = viablePatterns(units.map((u) => maxContribution(papers, this.df(u))), kthLargest(all, need));
      for (let mask = 1; mask < full; mask++) viable[mask] = patterns.some((p) => (mask & p) === p) ? 1 : 0;
    }
    // the docs that can still reach it, scored; the others left out
    at = new Int32Array(n);
    let kept = 0;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]!;
      const mask = gather(per, at, doc, freqs, len);
      if (!viable[mask]) continue;
      if (mask !== full) scores[i] = bm25(freqs, idfs, len[0]!, avgTokens);
      docs[kept] = doc;
      scores[kept++] = scores[i]!;
    }
    return { docs: docs.subarray(0, kept), scores: scores.subarray(0, kept), matched: docs.length };
  }

  /**
   * Docs whose authors hold the tokens as a phrase (one author: filter): one person's name, as on
   * SQLite, the separator token between names (authors-text.ts) keeping a phrase within one.
   */
  authorDocs(tokens: readonly string[]): Set<number> {
    if (tokens.length === 1) {
      const has = new Set<number>();
      this.forEach(stem(tokens[0]!), (list, i) => {
        if (list.tf[2]![i]! > 0) has.add(list.docs[i]!);
      });
      return has;
    }
    const at = tokens.map((t) => this.positionsByDoc(stem(t)));
    const has = new Set<number>();
    for (const [doc, first] of at[0]!) {
      const rest = at.slice(1).map((m) => m.get(doc)?.fields[2]);
      if (rest.every((r) => r !== undefined) && first.fields[2]!.some((p) => rest.every((r, j) => r!.includes(p + j + 1)))) has.add(doc);
    }
    return has;
  }

  private termsOf(u: QueryUnit): string[] {
    if (u.kind === 'term') return [stem(u.tokens[0]!)];
    const p = stem(u.tokens[0]!);
    return [...this.byTerm.keys()].filter((t) => t.startsWith(p));
  }

  /** One or several terms counted as one unit (a prefix counts every term it starts). */
  private terms(terms: string[]): UnitMatches {
    const w = this.weights;
    const rows = terms.flatMap((t) => this.byTerm.get(t) ?? []);
    if (rows.length === 1) return this.oneRow(decoded(rows[0]!));
    const entries: { doc: number; f: number; tokens: number }[] = [];
    for (const t of terms)
      this.forEach(t, (list, i) => {
        entries.push({ doc: list.docs[i]!, f: weightedFrequency(w, list.tf[0]![i]!, list.tf[1]![i]!, list.tf[2]![i]!), tokens: list.tokens[i]! });
      });
    entries.sort((a, b) => a.doc - b.doc);
    // a doc under several terms of a prefix: its frequencies add up
    const out: typeof entries = [];
    for (const e of entries) {
      const last = out[out.length - 1];
      if (last && last.doc === e.doc) last.f += e.f;
      else out.push({ ...e });
    }
    return toArrays(out);
  }

  /** The common case, a word in one segment: already in doc order, no doc twice. */
  private oneRow(list: PostingList): UnitMatches {
    const n = list.docs.length;
    const out: UnitMatches = { docs: new Int32Array(n), f: new Float64Array(n), tokens: new Int32Array(n) };
    const w = this.weights;
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (this.dead.size > 0 && this.dead.has(list.docs[i]!)) continue;
      out.docs[k] = list.docs[i]!;
      out.f[k] = weightedFrequency(w, list.tf[0]![i]!, list.tf[1]![i]!, list.tf[2]![i]!);
      out.tokens[k++] = list.tokens[i]!;
    }
    return k === n ? out : { docs: out.docs.slice(0, k), f: out.f.slice(0, k), tokens: out.tokens.slice(0, k) };
  }

  /** Occurrences of the stems adjacent and in order, within one field. */
  private phrase(stems: string[]): UnitMatches {
    const at = stems.map((s) => this.positionsByDoc(s));
    const out: { doc: number; f: number; tokens: number }[] = [];
    for (const [doc, first] of at[0]!) {
      const rest = at.slice(1).map((m) => m.get(doc));
      if (rest.some((r) => r === undefined)) continue;
      const counts = [0, 1, 2].map(
        (field) => first.fields[field]!.filter((p) => rest.every((r, j) => r!.fields[field]!.includes(p + j + 1))).length,
      );
      if (counts.some((c) => c > 0)) out.push({ doc, f: weightedFrequency(this.weights, counts[0]!, counts[1]!, counts[2]!), tokens: first.tokens });
    }
    return toArrays(out.sort((a, b) => a.doc - b.doc));
  }

  private positionsByDoc(term: string): Map<number, { tokens: number; fields: number[][] }> {
    const out = new Map<number, { tokens: number; fields: number[][] }>();
    for (const row of this.byTerm.get(term) ?? []) {
      const list = decoded(row);
      row.positions ??= row.pos ? decodePositions(list, row.pos) : [];
      list.docs.forEach((doc, i) => {
        if (!this.dead.has(doc) && row.positions![i]) out.set(doc, { tokens: list.tokens[i]!, fields: row.positions![i]! });
      });
    }
    return out;
  }

  private forEach(term: string, fn: (list: PostingList, i: number) => void): void {
    for (const row of this.byTerm.get(term) ?? []) {
      const list = decoded(row);
      for (let i = 0; i < list.docs.length; i++) if (!this.dead.has(list.docs[i]!)) fn(list, i);
    }
  }
}

/**
 * One doc of a walk over the units' doc lists in step (at: each list's place): its frequency
 * under each unit in freqs (0 where it lacks the unit), its length in len[0], each list moved
 * past it. Returns the units it holds, as a bitmask.
 */
function gather(per: readonly UnitMatches[], at: Int32Array, doc: number, freqs: number[], len: Int32Array): number {
  let mask = 0;
  for (let u = 0; u < per.length; u++) {
    const m = per[u]!;
    const j = at[u]!;
    if (m.docs[j] === doc) {
      freqs[u] = m.f[j]!;
      len[0] = m.tokens[j]!;
      at[u] = j + 1;
      mask |= 1 << u;
    } else freqs[u] = 0;
  }
  return mask;
}

function decoded(row: LoadedRow): PostingList {
  return (row.list ??= decodePostings(row.data, row.n));
}

function toArrays(entries: { doc: number; f: number; tokens: number }[]): UnitMatches {
  return {
    docs: Int32Array.from(entries, (e) => e.doc),
    f: Float64Array.from(entries, (e) => e.f),
    tokens: Int32Array.from(entries, (e) => e.tokens),
  };
}

/** The sorted union of sorted doc lists: merged two at a time, linear where sorting them all was a tenth of a search. */
function union(lists: Int32Array[]): Int32Array {
  return lists.length === 0 ? new Int32Array(0) : lists.reduce((a, b) => mergeSorted(a, b));
}

function mergeSorted(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) i++;
    if (y <= x) j++;
    out[n++] = x <= y ? x : y;
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return out.subarray(0, n);
}

/**
 * The k-th largest of values (1 ≤ k ≤ length), reordering them: quickselect, linear on average
 * where sorting every match of a common word (60,000 of them for "model") was a tenth of a
 * search's CPU. The pivot is the middle of three, so sorted and reversed input stay linear.
 */
export function kthLargest(values: Float64Array, k: number): number {
  if (k < 1 || k > values.length) throw new RangeError(`k = ${k} is outside 1..${values.length}`);
  const target = values.length - k; // its index once sorted ascending
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const pivot = median3(values[lo]!, values[mid]!, values[hi]!);
    // three-way partition: [lo, lt) below the pivot, [lt, gt] equal, (gt, hi] above
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = values[i]!;
      if (v < pivot) {
        values[i] = values[lt]!;
        values[lt++] = v;
        i++;
      } else if (v > pivot) {
        values[i] = values[gt]!;
        values[gt--] = v;
      } else i++;
    }
    if (target < lt) hi = lt - 1;
    else if (target > gt) lo = gt + 1;
    else return pivot;
  }
  return values[lo]!;
}

function median3(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}
