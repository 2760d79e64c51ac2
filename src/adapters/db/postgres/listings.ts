/** The PostgreSQL store's listing reads: days and their papers' ranking signals. */
import type { Paper } from '../../../core/paper.js';
import type { DayCount, ListingReads, PaperSignal } from '../../../ports/listing-reads.js';
import { isCalendarDay, PostgresPart } from './connection.js';
import { withVersions, type Row } from './paper-reads.js';

export class PostgresListings extends PostgresPart implements Omit<ListingReads, 'dataVersion'> {
  async latestDay(): Promise<string | null> {
    const rows = await this.db.query<{ day: string | null }>('SELECT MAX(day) AS day FROM papers WHERE NOT deleted');
    return rows[0]?.day ?? null;
  }

  async papersOnDay(day: string, limit: number): Promise<Paper[]> {
    // SQLite compares text and finds nothing for '2025-02-30'; PostgreSQL would reject the cast
    if (!isCalendarDay(day)) return [];
    // NULLS LAST and the C collation give SQLite's order: NULLs sort low there, text is bytes
    const rows = await this.db.query<Row>(
      `SELECT * FROM papers WHERE day = $1::date AND NOT deleted
       ORDER BY COALESCE(hf_upvotes, 0) DESC, submitted_at DESC NULLS LAST, id COLLATE "C"
       LIMIT $2`,
      [day, limit < 0 ? null : limit],
    );
    const byId = await withVersions(this.db, rows);
    return rows.map((r) => byId.get(String(r.id))!);
  }

  async rankingSignals(from: string, to: string): Promise<PaperSignal[]> {
    if (!isCalendarDay(from) || !isCalendarDay(to)) return [];
    return this.db.query<PaperSignal>(
      `SELECT id, day, hf_upvotes AS upvotes, submitted_at AS "submittedAt" FROM papers
       WHERE day BETWEEN $1::date AND $2::date AND NOT deleted`,
      [from, to],
    );
  }

  async nearestDay(day: string, direction: 'before' | 'after'): Promise<string | null> {
    if (!isCalendarDay(day)) return null;
    const sql =
      direction === 'before'
        ? 'SELECT day FROM papers WHERE day < $1::date AND NOT deleted ORDER BY day DESC LIMIT 1'
        : 'SELECT day FROM papers WHERE day > $1::date AND NOT deleted ORDER BY day LIMIT 1';
    return (await this.db.query<{ day: string }>(sql, [day]))[0]?.day ?? null;
  }

  async dayCounts(from: string, to: string): Promise<DayCount[]> {
    if (!isCalendarDay(from) || !isCalendarDay(to)) return [];
    return this.db.query<DayCount>(
      `SELECT day, COUNT(*) AS papers FROM papers
       WHERE day BETWEEN $1::date AND $2::date AND NOT deleted GROUP BY day ORDER BY day`,
      [from, to],
    );
  }
}
