/**
 * Keeps the PostgreSQL keyword index up to date: drains search_queue (filled by the papers
 * triggers of migration 2), tokenises the papers in TypeScript exactly as FTS5 does on SQLite
 * (core/tokenize.ts), and writes one new segment of postings per batch.
 *
 * A paper whose text changed gets a new doc and its old doc dies (left in its segment, skipped by
 * searches, dropped when segments merge); a paper whose day or categories alone changed is
 * updated in place. Batches run in their own transactions under an advisory lock, so that two
 * web nodes never index the same batch; a node that finds the lock taken leaves the work to the
 * one holding it. Queue rows are taken with SKIP LOCKED (a writer still holds them) and removed
 * only if not re-queued meanwhile (their seq unchanged).
 */
import { createHash } from 'node:crypto';
import { stem, forEachToken } from '../../core/tokenize.js';
import type { RefreshResult } from '../../ports/search-index.js';
import type { PgClient, PgQuery } from '../db/pg-client.js';
import { indexedAuthors } from './authors-text.js';
import { encodeOccurrences, packOccurrence } from './postings-codec.js';
import { mergeSegments } from './postgres-merge.js';
import { INDEX_LOCK, insertRows, LOCK_SPACE } from './postgres-postings.js';

/** Papers per batch, one segment each: bounded memory (~50 MB of postings). */
const BATCH = 4000;
/** Longer tokens are counted in document lengths but not posted (btree keys are limited). */
const MAX_TERM_LENGTH = 512;

interface QueuedPaper {
  paper_id: string;
  seq: number;
  title: string | null;
  abstract: string | null;
  authors: string[] | null;
  categories: string[] | null;
  day: string | null;
  deleted: boolean | null;
  doc: number | null;
  doc_tokens: number | null;
  text_hash: string | null;
}

interface NewDoc {
  doc: number;
  paperId: string;
  hash: string;
  day: string | null;
  categories: string[];
  fields: [string, string, string];
}

export class PostgresIndexer {
  constructor(private readonly db: PgClient) {}

  async refresh(maxPapers = Infinity, onProgress?: (p: RefreshResult) => void): Promise<RefreshResult> {
    let indexed = 0;
    // asked once when nothing waits (every search asks): one round trip, not two
    let pending = await this.pending();
    while (indexed < maxPapers && pending > 0) {
      const n = Math.min(BATCH, maxPapers - indexed);
      const done = await this.db.transaction((q) => this.batch(q, n));
      if (done === null) break; // another process is indexing
      indexed += done;
      pending = await this.pending();
      onProgress?.({ indexed, pending });
      if (done < n) break; // the rest is held by writers still in their transactions
    }
    if (indexed > 0) {
      const merged = await mergeSegments(this.db);
      // every search reads these three: once drained, the queue's emptied pages (megabytes after
      // a bulk ingest, scanned by each search until autovacuum comes, if it is on) are given back.
      // A merge moves its docs to the new segment (an UPDATE: a dead version of each row, and a
      // second entry in the paper index, which the semantic candidates' check probes): those go too.
      if (pending === 0) await this.db.query(`VACUUM search_queue, search_stats, search_segments${merged > 0 ? ', search_docs' : ''}`);
    }
    return { indexed, pending };
  }

  async pending(): Promise<number> {
    return (await this.db.query<{ n: number }>('SELECT count(*) AS n FROM search_queue'))[0]!.n;
  }

  /** Indexes up to n queued papers; null when the lock is taken. */
  private async batch(q: PgQuery, n: number): Promise<number | null> {
    const [lock] = await q.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS ok', [LOCK_SPACE, INDEX_LOCK]);
    if (!lock?.ok) return null;
    const rows = await q.query<QueuedPaper>(
      `WITH queued AS (SELECT paper_id, seq FROM search_queue ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
       SELECT qd.paper_id, qd.seq, p.title, p.abstract, p.authors, p.categories, p.day, p.deleted,
              d.doc, d.tokens AS doc_tokens, d.text_hash
       FROM queued qd LEFT JOIN papers p ON p.id = qd.paper_id LEFT JOIN search_docs d ON d.paper_id = qd.paper_id AND d.live`,
      [n],
    );
    if (rows.length === 0) return 0;
    const [stats] = await q.query<{ next_doc: number; next_seg: number }>(
      'SELECT next_doc, next_seg FROM search_stats WHERE id = 1 FOR UPDATE',
    );
    const plan = planBatch(rows, stats!.next_doc);
    await this.apply(q, plan, stats!.next_seg);
    await q.query(
      `DELETE FROM search_queue sq USING unnest($1::text[], $2::bigint[]) AS u(id, seq)
       WHERE sq.paper_id = u.id AND sq.seq = u.seq`,
      [rows.map((r) => r.paper_id), rows.map((r) => r.seq)],
    );
    return rows.length;
  }

  private async apply(q: PgQuery, plan: BatchPlan, seg: number): Promise<void> {
    const killedTokens = plan.kill.reduce((s, k) => s + k.tokens, 0);
    if (plan.kill.length > 0)
      await q.query('UPDATE search_docs SET live = false WHERE doc = ANY($1::int[])', [plan.kill.map((k) => k.doc)]);
    if (plan.update.length > 0)
      await q.query(
        `UPDATE search_docs d SET day = u.day, categories = ARRAY(SELECT jsonb_array_elements_text(u.cats::jsonb))
         FROM unnest($1::int[], $2::date[], $3::text[]) AS u(doc, day, cats) WHERE d.doc = u.doc`,
        [plan.update.map((u) => u.doc), plan.update.map((u) => u.day), plan.update.map((u) => JSON.stringify(u.categories))],
      );
    const addedTokens = plan.add.length > 0 ? await writeSegment(q, seg, plan.add) : 0;
    await q.query(
      `UPDATE search_stats SET docs = docs + $1, tokens = tokens + $2, next_doc = next_doc + $3, next_seg = next_seg + $4
       WHERE id = 1`,
      [plan.add.length - plan.kill.length, addedTokens - killedTokens, plan.add.length, plan.add.length > 0 ? 1 : 0],
    );
  }
}

interface BatchPlan {
  kill: { doc: number; tokens: number }[];
  update: { doc: number; day: string | null; categories: string[] }[];
  add: NewDoc[];
}

function planBatch(rows: QueuedPaper[], firstDoc: number): BatchPlan {
  const plan: BatchPlan = { kill: [], update: [], add: [] };
  let next = firstDoc;
  for (const r of rows) {
    const live = r.doc !== null ? { doc: r.doc, tokens: r.doc_tokens ?? 0 } : null;
    if (r.deleted !== false) {
      // deleted, or gone from papers altogether
      if (live) plan.kill.push(live);
      continue;
    }
    const fields = indexedFields(r);
    const hash = textHash(fields);
    const categories = (r.categories ?? []).map((c) => c.toLowerCase());
    if (live && r.text_hash === hash) {
      plan.update.push({ doc: live.doc, day: r.day, categories });
      continue;
    }
    if (live) plan.kill.push(live);
    plan.add.push({ doc: next++, paperId: r.paper_id, hash, day: r.day, categories, fields });
  }
  return plan;
}

/** The text of the three indexed fields, as SQLite's FTS5 is given them (authors as JSON, names apart). */
function indexedFields(r: QueuedPaper): [string, string, string] {
  return [r.title ?? '', r.abstract ?? '', indexedAuthors(r.authors == null ? null : JSON.stringify(r.authors))];
}

function textHash(fields: [string, string, string]): string {
  return createHash('sha1').update(fields.join('\u0000')).digest('base64url');
}

/**
 * Writes a new segment of postings for docs, and their search_docs rows; returns their tokens.
 * The batch's tokens are gathered per term as flat number arrays (doc, field and position packed
 * in one number), in doc and position order as they are read: a few arrays per term rather than
 * four per posting keeps indexing cache-friendly and the garbage collector idle.
 */
async function writeSegment(q: PgQuery, seg: number, docs: NewDoc[]): Promise<number> {
  const { byTerm, tokens } = occurrences(docs.map((d) => d.fields));
  const docIds = Int32Array.from(docs, (d) => d.doc);
  const rows = [...byTerm.keys()].sort().map((term) => ({ term, ...encodeOccurrences(byTerm.get(term)!, docIds, tokens) }));
  await insertRows(q, seg, rows);
  await q.query('INSERT INTO search_segments (seg, docs) VALUES ($1, $2)', [seg, docs.length]);
  await q.query(
    `INSERT INTO search_docs (doc, paper_id, seg, live, tokens, text_hash, day, categories)
     SELECT u.doc, u.paper_id, $1, true, u.tokens, u.hash, u.day, ARRAY(SELECT jsonb_array_elements_text(u.cats::jsonb))
     FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::date[], $7::text[]) AS u(doc, paper_id, tokens, hash, day, cats)`,
    [seg, [...docIds], docs.map((d) => d.paperId), [...tokens], docs.map((d) => d.hash), docs.map((d) => d.day), docs.map((d) => JSON.stringify(d.categories))],
  );
  return tokens.reduce((s, t) => s + t, 0);
}

/** Every doc's tokens, per term (stem), as FTS5 would index its row; and each doc's length. */
export function occurrences(docs: readonly (readonly string[])[]): { byTerm: Map<string, number[]>; tokens: Int32Array } {
  const byTerm = new Map<string, number[]>();
  const tokens = new Int32Array(docs.length);
  docs.forEach((fields, d) => {
    fields.forEach((text, f) => {
      let i = 0;
      forEachToken(text, (token) => {
        if (token.length <= MAX_TERM_LENGTH) {
          const s = stem(token);
          let list = byTerm.get(s);
          if (!list) byTerm.set(s, (list = []));
          list.push(packOccurrence(d, f, i));
        }
        i++;
      });
      tokens[d]! += i;
    });
  });
  return { byTerm, tokens };
}
