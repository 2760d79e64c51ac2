/** The SQLite store's listing reads: days and their papers' ranking signals. */
import type { Paper } from '../../../core/paper.js';
import type { DayCount, ListingReads, PaperSignal } from '../../../ports/listing-reads.js';
import { SqlitePart, type Row } from './connection.js';

export class SqliteListings extends SqlitePart implements Omit<ListingReads, 'dataVersion'> {
  async latestDay(): Promise<string | null> {
    const row = this.db.prepare('SELECT MAX(day) AS day FROM papers WHERE deleted = 0').get() as { day: string | null };
    return row.day;
  }

  async papersOnDay(day: string, limit: number): Promise<Paper[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM papers WHERE day = ? AND deleted = 0
         ORDER BY COALESCE(hf_upvotes, 0) DESC, submitted_at DESC, id LIMIT ?`,
      )
      .all(day, limit) as Row[];
    const list = JSON.stringify(rows.map((r) => r.id));
    const byId = this.papersWithVersions(rows, list);
    return rows.map((r) => byId.get(String(r.id))!);
  }

  async rankingSignals(from: string, to: string): Promise<PaperSignal[]> {
    return this.q.signals.all(from, to) as PaperSignal[];
  }

  async nearestDay(day: string, direction: 'before' | 'after'): Promise<string | null> {
    const row = (direction === 'before' ? this.q.dayBefore : this.q.dayAfter).get(day) as { day: string } | undefined;
    return row?.day ?? null;
  }

  async dayCounts(from: string, to: string): Promise<DayCount[]> {
    return this.q.dayCounts.all(from, to) as DayCount[];
  }
}
