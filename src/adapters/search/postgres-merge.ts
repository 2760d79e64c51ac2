/**
 * Segment merging for the PostgreSQL keyword index, as in Lucene's log merge policy or FTS5's
 * automerge: segments fall in tiers by size (powers of 8 docs); when a tier holds 8 of them they
 * become one segment of the next tier, and dead docs (older versions, deleted papers) are dropped
 * on the way. Each paper is rewritten about log8(N / batch) times over its life, and a term has
 * only a few rows to read however many batches wrote it.
 */
import type { PgClient, PgQuery } from '../db/pg-client.js';
import { mergeEncoded } from './postings-codec.js';
import { INDEX_LOCK, insertRows, LOCK_SPACE, type TermRow } from './postgres-postings.js';

const FAN_IN = 8;
const ROWS_PER_READ = 20_000;

export interface SegmentInfo {
  seg: number;
  docs: number;
}

/** The segments to merge next: the smallest tier holding FAN_IN segments or more, or null. */
export function pickMerge(segments: readonly SegmentInfo[]): number[] | null {
  const tiers = new Map<number, number[]>();
  for (const s of segments) {
    const tier = Math.floor(Math.log(Math.max(1, s.docs)) / Math.log(FAN_IN));
    tiers.set(tier, [...(tiers.get(tier) ?? []), s.seg]);
  }
  const full = [...tiers.entries()].filter(([, segs]) => segs.length >= FAN_IN).sort(([a], [b]) => a - b);
  return full[0]?.[1] ?? null;
}

/** Merges until no tier is full, or another process holds the index lock; how many merges it made. */
export async function mergeSegments(db: PgClient): Promise<number> {
  for (let merged = 0; ; merged++) {
    const group = pickMerge(await db.query<SegmentInfo>('SELECT seg, docs FROM search_segments'));
    if (!group || !(await db.transaction((q) => mergeGroup(q, group)))) return merged;
  }
}

async function mergeGroup(q: PgQuery, segs: number[]): Promise<boolean> {
  const [lock] = await q.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS ok', [LOCK_SPACE, INDEX_LOCK]);
  if (!lock?.ok) return false;
  const [stats] = await q.query<{ next_seg: number }>('SELECT next_seg FROM search_stats WHERE id = 1 FOR UPDATE');
  const target = stats!.next_seg;
  const dead = new Set(
    (await q.query<{ doc: number }>('SELECT doc FROM search_docs WHERE seg = ANY($1::int[]) AND NOT live', [segs])).map((r) => r.doc),
  );
  await rewritePostings(q, segs, target, dead);
  await q.query('DELETE FROM search_postings WHERE seg = ANY($1::int[])', [segs]);
  await q.query('DELETE FROM search_docs WHERE seg = ANY($1::int[]) AND NOT live', [segs]);
  await q.query('UPDATE search_docs SET seg = $2 WHERE seg = ANY($1::int[])', [segs, target]);
  await q.query('DELETE FROM search_segments WHERE seg = ANY($1::int[])', [segs]);
  await q.query('INSERT INTO search_segments (seg, docs) SELECT $1, count(*) FROM search_docs WHERE seg = $1', [target]);
  await q.query('UPDATE search_stats SET next_seg = next_seg + 1 WHERE id = 1');
  return true;
}

type Row = TermRow;

/** Reads the segments' rows in term order, a chunk at a time, and writes each term's merged row. */
async function rewritePostings(q: PgQuery, segs: number[], target: number, dead: ReadonlySet<number>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await q.query<Row>(
      `SELECT term, n, data, pos FROM search_postings WHERE seg = ANY($1::int[]) AND term > $2 ORDER BY term LIMIT $3`,
      [segs, after, ROWS_PER_READ],
    );
    if (rows.length === 0) return;
    const groups = groupByTerm(rows);
    // the last term may continue in the next chunk, unless the chunk was the end
    if (rows.length === ROWS_PER_READ && groups.length > 1) groups.pop();
    const merged: TermRow[] = [];
    for (const [term, list] of groups) {
      const row = mergeEncoded(list, dead);
      if (row) merged.push({ term, ...row });
    }
    await insertRows(q, target, merged);
    after = groups[groups.length - 1]![0];
  }
}

function groupByTerm(rows: Row[]): [string, Row[]][] {
  const out: [string, Row[]][] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last[0] === r.term) last[1].push(r);
    else out.push([r.term, [r]]);
  }
  return out;
}
