/**
 * The PostgreSQL store's papers: the ingest writer (transactions and what they write), papers by
 * id and the harvest cursors.
 */
import type { Paper } from '../../../core/paper.js';
import type { HarvestCursors } from '../../../ports/harvest-cursors.js';
import type { PaperReads } from '../../../ports/paper-reads.js';
import type { PaperTx, PaperWriter } from '../../../ports/paper-writer.js';
import type { PgQuery } from '../pg-client.js';
import { PostgresPart } from './connection.js';
import { loadHashes, loadPapers } from './paper-reads.js';
import { savePapers } from './paper-writes.js';

export class PostgresPapers extends PostgresPart implements PaperWriter, PaperReads, HarvestCursors {
  transaction<T>(fn: (tx: PaperTx) => Promise<T>): Promise<T> {
    return this.conn.transaction((q) => fn(txOn(q)));
  }

  async getPaper(id: string): Promise<Paper | null> {
    return (await loadPapers(this.db, [id])).get(id) ?? null;
  }

  async getPapers(ids: readonly string[]): Promise<Map<string, Paper>> {
    return ids.length === 0 ? new Map() : loadPapers(this.db, ids);
  }

  async getCursor(source: string): Promise<unknown> {
    const rows = await this.db.query<{ cursor: unknown }>('SELECT cursor FROM source_cursors WHERE source = $1', [source]);
    return rows[0]?.cursor ?? null;
  }
}

function txOn(q: PgQuery): PaperTx {
  return {
    loadHashes: (ids, source) => loadHashes(q, ids, source),
    loadPapers: (ids) => loadPapers(q, ids),
    savePapers: (writes, seen) => savePapers(q, writes, seen),
    setCursor: async (source, cursor) => {
      await q.query(
        `INSERT INTO source_cursors (source, cursor, updated_at) VALUES ($1, $2::text::jsonb, $3)
         ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
        [source, JSON.stringify(cursor), new Date().toISOString()],
      );
    },
  };
}

