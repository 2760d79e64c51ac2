/**
 * The PostgreSQL store's paper writes. Batches travel as arrays, one per column: a whole
 * savePapers batch is a handful of statements (INSERT … SELECT FROM unnest(…)) whatever its
 * size, which is what lets a full corpus ingest at thousands of papers a second.
 */
import type { Paper } from '../../../core/paper.js';
import type { PaperWrite, RecordSeen } from '../../../ports/paper-writer.js';
import { PAPER_COLUMNS, paperToRow, type PaperRow } from '../paper-row.js';
import type { PgQuery } from '../pg-client.js';

// ---- writes: each table gets whole columns as arrays ----

/** The element type each papers column travels as; JSON goes as text and is cast on insert. */
const COLUMN_TYPES: Record<(typeof PAPER_COLUMNS)[number], string> = {
  id: 'text', latest_version: 'int', title: 'text', abstract: 'text', authors: 'text', categories: 'text',
  primary_category: 'text', submitted_at: 'timestamptz', updated_at: 'timestamptz', listed_on: 'date', day: 'date',
  comments: 'text', journal_ref: 'text', doi: 'text', license: 'text', report_no: 'text', submitter: 'text',
  code_url: 'text', project_url: 'text', hf_upvotes: 'int', hf_comments: 'int', github_stars: 'int',
  ai_keywords: 'text', ai_summary: 'text', featured_on: 'date', last_featured_on: 'date', deleted: 'boolean', provenance: 'text',
};
const JSON_COLUMNS = new Set(['authors', 'categories', 'ai_keywords', 'provenance']);

const UPSERT_PAPERS = (() => {
  const arrays = PAPER_COLUMNS.map((c, i) => `$${i + 1}::${COLUMN_TYPES[c]}[]`).join(', ');
  const now = `$${PAPER_COLUMNS.length + 1}::timestamptz`;
  const select = PAPER_COLUMNS.map((c) => (JSON_COLUMNS.has(c) ? `${c}::jsonb` : c)).join(', ');
  const updates = PAPER_COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ');
  return `INSERT INTO papers (${PAPER_COLUMNS.join(', ')}, created_at, modified_at)
    SELECT ${select}, ${now}, ${now} FROM unnest(${arrays}) AS u(${PAPER_COLUMNS.join(', ')})
    ON CONFLICT (id) DO UPDATE SET ${updates}, modified_at = excluded.modified_at`;
})();

const ROWS_PER_STATEMENT = 50;

export async function savePapers(q: PgQuery, writes: readonly PaperWrite[], seen: readonly RecordSeen[]): Promise<void> {
  const now = new Date().toISOString();
  // one statement can't upsert a row twice; SQLite applies them in turn, so the last one wins
  const latest = lastBy(writes, (w) => w.paper.id);
  // statements of at most ROWS_PER_STATEMENT papers: their array parameters stay below V8's
  // large-object size (128 kB), so they die young instead of piling up until a full GC
  for (let i = 0; i < latest.length; i += ROWS_PER_STATEMENT) {
    const chunk = latest.slice(i, i + ROWS_PER_STATEMENT);
    const rows = chunk.map(paperToRow);
    await q.query(UPSERT_PAPERS, [...PAPER_COLUMNS.map((c) => rows.map((r: PaperRow) => r[c])), now]);
    await replaceVersions(q, chunk.map((w) => w.paper));
  }
  const hashes = lastBy(seen, (s) => `${s.id}\u0000${s.source}`);
  if (hashes.length === 0) return;
  await q.query(
    `INSERT INTO paper_sources (paper_id, source, record_hash, seen_at)
     SELECT paper_id, source, record_hash, $4::timestamptz FROM unnest($1::text[], $2::text[], $3::text[]) AS u(paper_id, source, record_hash)
     ON CONFLICT (paper_id, source) DO UPDATE SET record_hash = excluded.record_hash, seen_at = excluded.seen_at`,
    [hashes.map((s) => s.id), hashes.map((s) => s.source), hashes.map((s) => s.hash), now],
  );
}

async function replaceVersions(q: PgQuery, papers: Paper[]): Promise<void> {
  await q.query('DELETE FROM paper_versions WHERE paper_id = ANY($1::text[])', [papers.map((p) => p.id)]);
  const versions = papers.flatMap((p) => p.versions.map((v) => ({ id: p.id, ...v })));
  if (versions.length === 0) return;
  await q.query(
    `INSERT INTO paper_versions (paper_id, version, submitted_at, size)
     SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::text[])`,
    [versions.map((v) => v.id), versions.map((v) => v.version), versions.map((v) => v.submittedAt), versions.map((v) => v.size)],
  );
}

/** The items with distinct keys, each the last of its key, in order of first appearance. */
function lastBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return byKey.size === items.length ? [...items] : [...byKey.values()];
}
