/** The PostgreSQL store's paper reads, shared by its parts: papers with their versions, record hashes. */
import type { Paper, PaperVersion, SourceName } from '../../../core/paper.js';
import { rowToPaper } from '../paper-row.js';
import type { PgQuery } from '../pg-client.js';

export type Row = Record<string, unknown>;

// ---- reads: one round trip per table, whatever the number of ids ----

export async function loadHashes(q: PgQuery, ids: readonly string[], source: SourceName): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  if (ids.length === 0) return hashes;
  const rows = await q.query<{ paper_id: string; record_hash: string }>(
    'SELECT paper_id, record_hash FROM paper_sources WHERE paper_id = ANY($1::text[]) AND source = $2',
    [ids, source],
  );
  for (const r of rows) hashes.set(r.paper_id, r.record_hash);
  return hashes;
}

/**
 * Papers with their version histories in one round trip (a paper page's main read): the versions
 * travel as a JSON array, their timestamps written back as the driver writes timestamptz.
 */
/** A paper's versions as one JSON array, oldest first (alias the paper `p`). */
export const VERSIONS_JSON = `(SELECT COALESCE(json_agg(json_build_object('version', v.version, 'submittedAt', v.submitted_at, 'size', v.size)
                                      ORDER BY v.version), '[]'::json)
             FROM paper_versions v WHERE v.paper_id = p.id)`;

export interface StoredVersion {
  version: number;
  submittedAt: string | null;
  size: string | null;
}

/** json_build_object writes timestamps in the session's time zone: made ISO-8601 in UTC, as every other timestamp is read. */
export function versionsOf(stored: StoredVersion[]): PaperVersion[] {
  return stored.map((v) => ({ ...v, submittedAt: v.submittedAt === null ? null : new Date(v.submittedAt).toISOString() }));
}

export async function loadPapers(q: PgQuery, ids: readonly string[]): Promise<Map<string, Paper>> {
  const rows = await q.query<Row & { versions_json: StoredVersion[] }>(
    `SELECT p.*, ${VERSIONS_JSON} AS versions_json FROM papers p WHERE p.id = ANY($1::text[])`,
    [ids],
    'papers_by_ids',
  );
  const papers = new Map<string, Paper>();
  for (const r of rows) papers.set(String(r.id), rowToPaper(r, versionsOf(r.versions_json)));
  return papers;
}

export async function withVersions(q: PgQuery, rows: Row[]): Promise<Map<string, Paper>> {
  const papers = new Map<string, Paper>();
  if (rows.length === 0) return papers;
  const versions = new Map<string, PaperVersion[]>();
  const stored = await q.query<{ paper_id: string; version: number; submitted_at: string | null; size: string | null }>(
    `SELECT paper_id, version, submitted_at, size FROM paper_versions
     WHERE paper_id = ANY($1::text[]) ORDER BY paper_id, version`,
    [rows.map((r) => r.id)],
  );
  for (const v of stored) {
    const list = versions.get(v.paper_id) ?? [];
    list.push({ version: v.version, submittedAt: v.submitted_at, size: v.size });
    versions.set(v.paper_id, list);
  }
  for (const r of rows) papers.set(String(r.id), rowToPaper(r, versions.get(String(r.id)) ?? []));
  return papers;
}

