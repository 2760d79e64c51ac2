/**
 * What the PostgreSQL indexer and the segment merger share: the advisory lock that lets one
 * process at a time write the index, and the bulk insert of encoded postings rows.
 */
import type { PgQuery } from '../db/pg-client.js';
import { encodePostings, type EncodedRow, type Posting } from './postings-codec.js';

/** Advisory lock keys: Paperboy's namespace (as in postgres.store.ts), then the search index. */
export const LOCK_SPACE = 0x5042;
export const INDEX_LOCK = 3;

const ROWS_PER_INSERT = 5000;

export interface TermRow extends EncodedRow {
  term: string;
}

/** Encodes (term, postings) pairs, in term order, as rows. */
export function encodeRows(entries: [string, Posting[]][]): TermRow[] {
  return entries.map(([term, list]) => ({ term, n: list.length, ...encodePostings(list) }));
}

/** Writes rows of one segment, a few thousand per statement. */
export async function insertRows(q: PgQuery, seg: number, rows: TermRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    await q.query(
      `INSERT INTO search_postings (term, seg, n, data, pos)
       SELECT u.term, $1, u.n, u.data, u.pos FROM unnest($2::text[], $3::int[], $4::bytea[], $5::bytea[]) AS u(term, n, data, pos)`,
      [seg, chunk.map((r) => r.term), chunk.map((r) => r.n), chunk.map((r) => Buffer.from(r.data)), chunk.map((r) => Buffer.from(r.pos))],
    );
  }
}
