/**
 * Similar papers from the vectors (issue 12; decision 025, after 007): a paper's related papers
 * are its nearest neighbours by cosine similarity among the active embedder's vectors, stored in
 * the same lists a paper page reads (ports/related-lists.ts).
 *
 * Kept current incrementally: the stored state names the embedder and the vector sequence number
 * the lists reflect (`vectors:<embedder id>:<seq>`). A run reads only the vector changes after
 * that seq: each changed paper gets its list from a search of the index, and each of its
 * nearest papers gets the changed paper merged into its list if it now ranks among the ten
 * (scored against the neighbour's vector: no search). A harvest of 1,000 papers costs 1,000
 * searches and the merges, not the archive. Lists made from another embedder (or the lexical
 * lists of decision 007) are replaced whole, once, by a search per paper.
 */
import { RELATED_PER_PAPER } from '../core/related.js';
import type { RelatedList, RelatedLists } from '../ports/related-lists.js';
import type { VectorIndex } from '../ports/vector-index.js';
import type { PaperVectors } from '../ports/paper-vectors.js';

/**
 * How many of a changed paper's nearest papers are offered it for their own lists: more than the
 * ten it keeps, because nearness is not symmetric (a paper can be among q's ten while q is not
 * among its ten). Measured on topic papers with flat similarities, the hard case (300 papers,
 * then 200 more; decision 025): offering 10 left lists overlapping the exact ones at 0.887, 20 at
 * 0.945, 40 at 0.985, 80 at 1.000. Each offer costs a merge (no search).
 */
export const RELATED_REVERSE_CANDIDATES = 4 * RELATED_PER_PAPER;

export interface VectorRelatedReport {
  embedderId: string;
  /** every list was made anew (lists from another embedder, or lexical ones) */
  full: boolean;
  /** changed papers whose own lists were searched */
  searched: number;
  /** other papers' lists rewritten because a changed paper entered them */
  merged: number;
  seq: number;
  seconds: number;
}

export interface VectorRelatedOptions {
  /** vector changes read per store call */
  batch?: number;
  /** how many of a changed paper's nearest papers are offered it (RELATED_REVERSE_CANDIDATES) */
  candidates?: number;
  /** longest stretch of work between two turns of the event loop, in ms (serve keeps answering) */
  sliceMs?: number;
  /** checked between batches; a stopped run keeps the state it had (its lists redone next time) */
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
}

type Lists = Pick<RelatedLists, 'relatedIds' | 'saveRelated' | 'finishRelated' | 'relatedState'>;

export function vectorState(embedderId: string, seq: number): string {
  return `vectors:${embedderId}:${seq}`;
}

/** The seq the stored lists reflect for this embedder, or null when they were made otherwise. */
export function parseVectorState(contentVersion: string | undefined, embedderId: string): number | null {
  const prefix = `vectors:${embedderId}:`;
  if (!contentVersion?.startsWith(prefix)) return null;
  const seq = Number(contentVersion.slice(prefix.length));
  return Number.isSafeInteger(seq) && seq >= 0 ? seq : null;
}

export class VectorRelated {
  constructor(
    private readonly lists: Lists,
    private readonly source: Pick<PaperVectors, 'vectorChanges' | 'vectorsOf'>,
  ) {}

  /**
   * Brings the lists up to the embedder's vectors as `index` holds them (synced by the caller);
   * null when they already were.
   */
  async update(embedderId: string, index: VectorIndex, opts: VectorRelatedOptions = {}): Promise<VectorRelatedReport | null> {
    const started = Date.now();
    const batch = opts.batch ?? 1000;
    const state = await this.lists.relatedState();
    const from = parseVectorState(state?.contentVersion, embedderId);
    const full = from === null;
    const report: VectorRelatedReport = { embedderId, full, searched: 0, merged: 0, seq: from ?? 0, seconds: 0 };
    let papers = state && !full ? state.papers : 0;
    const sliceMs = opts.sliceMs ?? 20;
    let since = performance.now();
    const turn = async () => {
      if (performance.now() - since < sliceMs) return;
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    };
    for (;;) {
      if (opts.signal?.aborted) return null;
      const changes = await this.source.vectorChanges(embedderId, report.seq, batch);
      if (changes.length === 0) break;
      // a paper changed twice in the batch counts once, with its latest vector
      const latest = new Map<string, Float32Array | null>();
      for (const c of changes) latest.set(c.paperId, c.vector);
      const own: RelatedList[] = [];
      const offered = new Map<string, Map<string, number>>(); // neighbour → changed papers → score
      for (const [id, vector] of latest) {
        if (vector === null) continue;
        await turn();
        const hits = await index.search(vector, (opts.candidates ?? RELATED_REVERSE_CANDIDATES) + 1);
        const others = hits.filter((h) => h.id !== id);
        own.push({ id, related: others.slice(0, RELATED_PER_PAPER).map((h) => h.id) });
        if (full) continue; // every paper gets its own search: nothing to merge
        for (const h of others) {
          if (latest.has(h.id)) continue;
          let m = offered.get(h.id);
          if (!m) offered.set(h.id, (m = new Map()));
          m.set(id, h.score);
        }
      }
      await this.lists.saveRelated(own);
      report.searched += own.length;
      if (!full) {
        const merged = await this.merge(embedderId, offered);
        await this.lists.saveRelated(merged);
        report.merged += merged.length;
      }
      papers += full ? own.length : 0;
      report.seq = changes[changes.length - 1]!.seq;
      opts.onProgress?.(report.searched);
    }
    if (!full && report.searched === 0 && from === report.seq) return null;
    await this.lists.finishRelated({
      contentVersion: vectorState(embedderId, report.seq),
      computedAt: new Date().toISOString(),
      papers: full ? papers : Math.max(papers, index.size),
    });
    report.seconds = (Date.now() - started) / 1000;
    return report;
  }

  /**
   * Each neighbour's list with the changed papers that now rank among its ten: its stored list
   * and the offered papers scored against its vector, the best ten kept; only lists that change
   * are returned.
   */
  private async merge(embedderId: string, offered: Map<string, Map<string, number>>): Promise<RelatedList[]> {
    if (offered.size === 0) return [];
    const old = new Map<string, string[]>();
    const need = new Set<string>();
    for (const q of offered.keys()) {
      const ids = (await this.lists.relatedIds(q)) ?? [];
      old.set(q, ids);
      need.add(q);
      for (const id of ids) need.add(id);
    }
    const vectors = await this.source.vectorsOf(embedderId, [...need]);
    const out: RelatedList[] = [];
    for (const [q, offers] of offered) {
      const vq = vectors.get(q);
      if (!vq) continue;
      const scored = new Map<string, number>();
      for (const id of old.get(q)!) {
        const v = vectors.get(id);
        if (v) scored.set(id, dot(vq, v));
      }
      for (const [id, score] of offers) scored.set(id, score);
      const after = [...scored.entries()].sort(byScore).slice(0, RELATED_PER_PAPER).map(([id]) => id);
      if (after.join('\n') !== old.get(q)!.join('\n')) out.push({ id: q, related: after });
    }
    return out;
  }
}

function byScore(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
