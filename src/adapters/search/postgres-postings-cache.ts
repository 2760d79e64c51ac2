/**
 * The PostgreSQL index's postings that searches read lately, kept per process, so that a search
 * for words seen before reads only the index's counts from PostgreSQL, not every posting of its
 * words again (for "model", 60,000 of them).
 *
 * Why it stays right: a (term, seg) row never changes once written. New papers go to a new
 * segment, a merge writes a new segment and deletes those it merged, and dead docs are listed
 * apart (search_docs.live). Segment numbers only grow (search_stats.next_seg, taken under the
 * index lock). So the rows read for a word up to segment s are still the word's rows in every
 * segment ≤ s that still exists, and a later search reads only its rows in newer segments.
 * A view older than one read before (its statement ran first, its postings later) reads its
 * postings for itself alone. A view taken after mark() whose newest segment is older than the
 * mark means the index was made anew (its database re-created under a running server):
 * everything kept is dropped.
 */
import { Lru } from '../../core/lru.js';
import type { ParsedQuery, QueryUnit } from '../../core/query.js';
import { stem } from '../../core/tokenize.js';
import type { PgQuery } from '../db/pg-client.js';
import type { LoadedRow } from './postgres-matcher.js';

/** What a query reads: a stem's rows (with positions when it is part of a phrase), or a prefix's. */
export interface Need {
  kind: 'term' | 'prefix';
  text: string;
  positions: boolean;
}

/** The index as one statement sees it. */
export interface IndexStats {
  docs: number;
  tokens: number;
  /** docs replaced or deleted, still in their segments */
  dead: number[];
  /** the segments there are, ascending */
  segs: number[];
  /** papers wait in search_queue */
  queued: boolean;
}

/** Reads the index's counts, dead docs and segments in one statement: one consistent view. */
export async function readStats(q: PgQuery): Promise<IndexStats> {
  const [row] = await q.query<IndexStats>(
    `SELECT docs, tokens, ARRAY(SELECT doc FROM search_docs WHERE NOT live) AS dead,
            ARRAY(SELECT seg FROM search_segments ORDER BY seg) AS segs,
            EXISTS (SELECT 1 FROM search_queue) AS queued
     FROM search_stats WHERE id = 1`,
  );
  return row!;
}

/** The postings a query's words, phrases, prefixes and author names need. */
export function needsOf(units: readonly QueryUnit[], authors: ParsedQuery['filters']['authors']): Need[] {
  const terms = new Map<string, boolean>();
  const prefixes = new Set<string>();
  const add = (token: string, positions: boolean) => {
    const s = stem(token);
    terms.set(s, (terms.get(s) ?? false) || positions);
  };
  for (const u of units) {
    if (u.kind === 'prefix') prefixes.add(stem(u.tokens[0]!));
    else for (const t of u.tokens) add(t, u.kind === 'phrase');
  }
  // a name of several words is a phrase: its positions are needed
  for (const a of authors) for (const t of a) add(t, a.length > 1);
  return [
    ...[...terms].map(([text, positions]): Need => ({ kind: 'term', text, positions })),
    ...[...prefixes].map((text): Need => ({ kind: 'prefix', text, positions: false })),
  ];
}

interface Entry {
  rows: LoadedRow[];
  /** read up to this segment */
  upTo: number;
  positions: boolean;
}

/** Bytes an entry holds, its rows decoded (postgres-matcher.ts memoises them on the rows). */
function entryBytes(e: Entry): number {
  let bytes = 200;
  for (const r of e.rows) bytes += 100 + r.term.length * 2 + r.data.length + r.n * 20 + (r.pos ? r.pos.length + r.n * 80 : 0);
  return bytes;
}

const key = (n: Need) => `${n.kind}:${n.text}`;

export class PostingsCache {
  private readonly lru: Lru<string, Entry>;
  /** the newest segment of any view read */
  private newestSeen = -1;

  /**
   * maxBytes: the rows and their decoded lists together, roughly. onReset: called when the index
   * was made anew, for what else was kept of it.
   */
  constructor(
    maxBytes = 64 << 20,
    private readonly onReset: () => void = () => {},
  ) {
    this.lru = new Lru(100_000, maxBytes, entryBytes);
  }

  /** The newest segment of the views read so far: pass it to rows() for a view taken after this call. */
  mark(): number {
    return this.newestSeen;
  }

  /** Whether every need has been read up to the newest of segs: nothing to ask PostgreSQL. */
  covers(needs: readonly Need[], segs: readonly number[]): boolean {
    const newest = segs.at(-1) ?? -1;
    if (newest < this.newestSeen) return false;
    return needs.every((n) => {
      const e = this.lru.get(key(n));
      return e !== undefined && e.upTo >= newest && (e.positions || !n.positions);
    });
  }

  /**
   * The needs' rows in segs, reading with q what is not kept yet. q must see the view segs came
   * from (the same snapshot), or rows of a segment merged away meanwhile would be missed.
   * mark: mark() called before the view was taken, if it was.
   */
  async rows(q: PgQuery, needs: readonly Need[], segs: readonly number[], mark?: number): Promise<LoadedRow[]> {
    const newest = segs.at(-1) ?? -1;
    let older = newest < this.newestSeen;
    if (older && mark !== undefined && newest < mark) {
      this.lru.clear();
      this.onReset();
      this.newestSeen = -1;
      older = false;
    }
    this.newestSeen = Math.max(this.newestSeen, newest);
    const exists = new Set(segs);
    const kept = new Map<Need, Entry>();
    // what to read, grouped by the segment it is read after: one statement per group of words
    const words = new Map<string, { after: number; positions: boolean; needs: Need[] }>();
    for (const n of needs) {
      const e = older ? undefined : this.lru.get(key(n));
      const usable = e && (e.positions || !n.positions) ? e : undefined;
      if (usable) kept.set(n, usable);
      if (usable && usable.upTo >= newest) continue;
      const after = usable?.upTo ?? -1;
      if (n.kind === 'prefix') {
        this.store(n, usable, await readPrefix(q, n.text, after), { upTo: newest, exists, kept: !older }, kept);
        continue;
      }
      // rows added to an entry that holds positions bring theirs too
      const positions = n.positions || (usable?.positions ?? false);
      const group = `${after}:${positions}`;
      const g = words.get(group) ?? { after, positions, needs: [] };
      g.needs.push(n);
      words.set(group, g);
    }
    for (const g of words.values()) {
      const read = await readTerms(q, g.needs.map((n) => n.text), g.after, g.positions);
      for (const n of g.needs) this.store(n, kept.get(n), read.filter((r) => r.term === n.text), { upTo: newest, exists, kept: !older }, kept);
    }
    // a stem asked for itself and under a prefix: its own rows once
    const own = new Set(needs.filter((n) => n.kind === 'term').map((n) => n.text));
    return needs.flatMap((n) => kept.get(n)!.rows.filter((r) => exists.has(r.seg) && (n.kind === 'term' || !own.has(r.term))));
  }

  private store(
    n: Need,
    old: Entry | undefined,
    read: LoadedRow[],
    view: { upTo: number; exists: Set<number>; kept: boolean },
    out: Map<Need, Entry>,
  ): void {
    // rows of merged-away segments go; those read now join the rest
    const rows = [...(old?.rows ?? []).filter((r) => view.exists.has(r.seg)), ...read];
    const entry: Entry = { rows, upTo: view.upTo, positions: n.positions || (old?.positions ?? false) };
    out.set(n, entry);
    if (view.kept) this.lru.set(key(n), entry);
  }
}

function readTerms(q: PgQuery, terms: string[], after: number, positions: boolean): Promise<LoadedRow[]> {
  return q.query<LoadedRow>(
    `SELECT term, seg, n, data, CASE WHEN $3 THEN pos END AS pos FROM search_postings WHERE term = ANY($1::text[]) AND seg > $2`,
    [terms, after, positions],
  );
}

function readPrefix(q: PgQuery, prefix: string, after: number): Promise<LoadedRow[]> {
  return q.query<LoadedRow>(
    `SELECT term, seg, n, data, NULL::bytea AS pos FROM search_postings WHERE term >= $1 AND term < $2 AND seg > $3`,
    [prefix, `${prefix}\u{10ffff}`, after],
  );
}
