/**
 * The SQLite store's papers: the ingest writer (transactions and what they write), papers by id
 * and the harvest cursors.
 */
import type { Paper, PaperVersion } from '../../../core/paper.js';
import type { HarvestCursors } from '../../../ports/harvest-cursors.js';
import type { PaperReads } from '../../../ports/paper-reads.js';
import type { PaperTx, PaperWrite, PaperWriter, RecordSeen } from '../../../ports/paper-writer.js';
import { paperToRow, rowToPaper } from '../paper-row.js';
import { SqlitePart, type Row } from './connection.js';

export class SqlitePapers extends SqlitePart implements PaperWriter, PaperReads, HarvestCursors {
  transaction<T>(fn: (tx: PaperTx) => Promise<T>): Promise<T> {
    return this.conn.transaction(() => fn(this.tx));
  }

  private readonly tx: PaperTx = {
    loadHashes: async (ids, source) => {
      const hashes = new Map<string, string>();
      for (const r of this.q.hashesByIds.all(JSON.stringify(ids), source) as { paper_id: string; record_hash: string }[])
        hashes.set(r.paper_id, r.record_hash);
      return hashes;
    },
    loadPapers: async (ids) => {
      const list = JSON.stringify(ids);
      return this.papersWithVersions(this.q.papersByIds.all(list) as Row[], list);
    },
    savePapers: async (writes, seen) => this.savePapers(writes, seen),
    setCursor: async (source, cursor) => {
      this.q.setCursor.run(source, JSON.stringify(cursor), new Date().toISOString());
    },
  };

  /**
   * A new paper is a plain INSERT, and only a paper already stored an UPDATE. An upsert (INSERT …
   * ON CONFLICT DO UPDATE) carries the search triggers' UPDATE program (migration 2) even when it
   * inserts, and a statement that may fire triggers writes a statement journal, a temporary
   * file, for every row: that was 40 % of the corpus ingest's CPU time and most of its system
   * time (docs/decisions/012). INSERT … ON CONFLICT DO NOTHING fires no trigger and needs no
   * journal; the UPDATE runs only when it inserted nothing.
   */
  private savePapers(writes: readonly PaperWrite[], seen: readonly RecordSeen[]): void {
    const now = new Date().toISOString();
    const q = this.q;
    for (const w of writes) {
      const row = paperToRow(w);
      const params = { ...row, deleted: row.deleted ? 1 : 0, now };
      if (q.insertPaper.run(params).changes === 0) {
        q.updatePaper.run(params);
        q.deleteVersions.run(w.paper.id);
      }
      for (const v of w.paper.versions) q.insertVersion.run(w.paper.id, v.version, v.submittedAt, v.size);
    }
    for (const s of seen) q.upsertHash.run(s.id, s.source, s.hash, now);
  }

  async getPaper(id: string): Promise<Paper | null> {
    const row = this.q.paperById.get(id) as Row | undefined;
    if (!row) return null;
    return rowToPaper(row, this.q.versionsById.all(id) as PaperVersion[]);
  }

  async getPapers(ids: readonly string[]): Promise<Map<string, Paper>> {
    const list = JSON.stringify(ids);
    return this.papersWithVersions(this.q.papersByIds.all(list) as Row[], list);
  }

  async getCursor(source: string): Promise<unknown> {
    const row = this.q.getCursor.get(source) as { cursor: string } | undefined;
    return row ? (JSON.parse(row.cursor) as unknown) : null;
  }
}
