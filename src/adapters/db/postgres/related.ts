/** The PostgreSQL store's related lists: papers' texts to compute them from, the lists, and a paper page's read. */
import type { Paper } from '../../../core/paper.js';
import type { PaperCard, PaperText, RelatedList, RelatedLists, RelatedState } from '../../../ports/related-lists.js';
import { rowToPaper } from '../paper-row.js';
import { PostgresPart } from './connection.js';
import { versionsOf, VERSIONS_JSON, type Row, type StoredVersion } from './paper-reads.js';

/**
 * The live papers of paper $1's related list, best first, at most $2, as a JSON array of cards;
 * NULL when no list was computed for it (an empty list gives []).
 */
const RELATED_CARDS = `(SELECT COALESCE(json_agg(json_build_object('id', c.id, 'title', c.title, 'authors', c.authors) ORDER BY c.n)
                               FILTER (WHERE c.id IS NOT NULL), '[]'::json)
             FROM related_papers r
             LEFT JOIN LATERAL (
               SELECT p2.id, p2.title, p2.authors, e.n
               FROM jsonb_array_elements_text(r.related) WITH ORDINALITY AS e(id, n)
               JOIN papers p2 ON p2.id = e.id AND NOT p2.deleted
               ORDER BY e.n LIMIT $2
             ) c ON true
             WHERE r.paper_id = $1
             HAVING COUNT(r.paper_id) > 0)`;

export class PostgresRelated extends PostgresPart implements RelatedLists {
  async paperTexts(afterId: string, limit: number): Promise<PaperText[]> {
    // in the primary key's own order (any deterministic collation pages stably): under another
    // (COLLATE "C" where the database's is not C) each page sorted every paper
    return this.db.query<PaperText>(
      'SELECT id, title, abstract FROM papers WHERE id > $1 AND NOT deleted ORDER BY id LIMIT $2',
      [afterId, limit],
    );
  }

  async contentVersion(): Promise<string> {
    const r = (await this.db.query<{ n: number; m: string | null }>('SELECT COUNT(*)::int AS n, MAX(modified_at)::text AS m FROM papers'))[0]!;
    return `${r.n}.${r.m ?? 'empty'}`;
  }

  /** One round trip: no row when no list was computed, one row of nulls when none of it is live. */
  async relatedCards(id: string, limit: number): Promise<PaperCard[] | null> {
    const rows = await this.db.query<{ related: PaperCard[] | null }>(`SELECT ${RELATED_CARDS} AS related`, [id, Math.max(0, limit)], 'related_cards');
    return rows[0]?.related ?? null;
  }

  async paperPage(id: string, relatedLimit: number): Promise<{ paper: Paper; related: PaperCard[] | null } | null> {
    const rows = await this.db.query<Row & { versions_json: StoredVersion[]; related: PaperCard[] | null }>(
      `SELECT p.*, ${VERSIONS_JSON} AS versions_json, ${RELATED_CARDS} AS related FROM papers p WHERE p.id = $1`,
      [id, Math.max(0, relatedLimit)],
      'paper_page',
    );
    const row = rows[0];
    return row ? { paper: rowToPaper(row, versionsOf(row.versions_json)), related: row.related } : null;
  }

  async relatedIds(id: string): Promise<string[] | null> {
    const rows = await this.db.query<{ related: string[] }>('SELECT related FROM related_papers WHERE paper_id = $1', [id]);
    return rows[0]?.related ?? null;
  }

  async saveRelated(lists: readonly RelatedList[]): Promise<void> {
    if (lists.length === 0) return;
    await this.db.query(
      `INSERT INTO related_papers (paper_id, related)
       SELECT id, related::jsonb FROM unnest($1::text[], $2::text[]) AS t(id, related)
       WHERE EXISTS (SELECT 1 FROM papers p WHERE p.id = t.id AND NOT p.deleted)
       ON CONFLICT (paper_id) DO UPDATE SET related = excluded.related`,
      [lists.map((l) => l.id), lists.map((l) => JSON.stringify(l.related))],
    );
  }

  async finishRelated(state: RelatedState): Promise<void> {
    await this.db.transaction(async (q) => {
      await q.query(
        `INSERT INTO related_state (id, content_version, computed_at, papers) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET content_version = excluded.content_version,
           computed_at = excluded.computed_at, papers = excluded.papers`,
        [state.contentVersion, state.computedAt, state.papers],
      );
    });
    this.commits++;
  }

  async relatedState(): Promise<RelatedState | null> {
    const rows = await this.db.query<{ content_version: string; computed_at: Date; papers: number }>(
      'SELECT content_version, computed_at, papers FROM related_state',
    );
    const r = rows[0];
    return r ? { contentVersion: r.content_version, computedAt: new Date(r.computed_at).toISOString(), papers: r.papers } : null;
  }
}
