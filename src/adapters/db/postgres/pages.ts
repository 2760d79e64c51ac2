/** The PostgreSQL store's paper pages rendered ahead (decision 009) and their queue (decision 044). */
import type { DuePages, PageWindow, RenderedPage, RenderedPages, StoredPage } from '../../../ports/rendered-pages.js';
import { pageWindow, type PageWindowRow } from '../page-rows.js';
import { PostgresPart } from './connection.js';

/** The newest modification time among the first $2 live papers of related list r: what a page's similar papers were. */
const SIMILAR_MODIFIED = `SELECT MAX(x.m) FROM (SELECT s.modified_at AS m
                                              FROM jsonb_array_elements_text(r.related) WITH ORDINALITY AS e(id, n)
                                              JOIN papers s ON s.id = e.id AND NOT s.deleted
                                              ORDER BY e.n LIMIT $2) x`;

/** As on SQLite (sqlite/statements.ts): papers with a related list (`where` picks them), each with its page's inputs now and `stale`; $1 the layout. */
function pageInputs(where: string): string {
  return `SELECT t.id, t.modified::text AS modified, t.related::text AS related, t.similar_modified::text AS similar_modified, t.discussion,
                 (t.p_layout IS DISTINCT FROM $1 OR t.p_modified IS DISTINCT FROM t.modified
                  OR t.p_related IS DISTINCT FROM t.related OR t.p_similar IS DISTINCT FROM t.similar_modified
                  OR t.p_discussion IS DISTINCT FROM t.discussion) AS stale
          FROM (
            SELECT p.id, p.modified_at AS modified, r.related, COALESCE(d.version, 0) AS discussion,
                   (${SIMILAR_MODIFIED}) AS similar_modified,
                   pp.layout AS p_layout, pp.modified AS p_modified, pp.related AS p_related, pp.similar_modified AS p_similar,
                   pp.discussion AS p_discussion
            FROM papers p
            JOIN related_papers r ON r.paper_id = p.id
            LEFT JOIN paper_pages pp ON pp.paper_id = p.id
            LEFT JOIN paper_discussions d ON d.paper_id = p.id
            ${where}
          ) t
          ORDER BY t.id`;
}

export class PostgresPages extends PostgresPart implements RenderedPages {
  async pagesToRender(layout: string, similarLimit: number, afterId: string, scan: number): Promise<PageWindow> {
    const rows = await this.db.query<PageWindowRow>(pageInputs('WHERE p.id > $3 AND NOT p.deleted ORDER BY p.id LIMIT $4'), [
      layout,
      Math.max(0, similarLimit),
      afterId,
      Math.max(1, scan),
    ]);
    return pageWindow(rows);
  }

  async duePages(layout: string, similarLimit: number, limit: number): Promise<DuePages> {
    const due = await this.db.query<{ seq: string; paper_id: string }>('SELECT seq, paper_id FROM pages_due ORDER BY seq LIMIT $1', [Math.max(1, limit)]);
    if (due.length === 0) return { pages: [], taken: [] };
    const rows = await this.db.query<PageWindowRow>(pageInputs('WHERE p.id = ANY($3::text[]) AND NOT p.deleted'), [
      layout,
      Math.max(0, similarLimit),
      due.map((d) => d.paper_id),
    ]);
    return { pages: pageWindow(rows).pages, taken: due.map((d) => Number(d.seq)) };
  }

  async queuePages(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `INSERT INTO pages_due (paper_id) SELECT DISTINCT unnest($1::text[])
       ON CONFLICT (paper_id) DO UPDATE SET seq = excluded.seq`,
      [[...ids]],
    );
  }

  async savePages(pages: readonly RenderedPage[], done: readonly number[] = []): Promise<void> {
    if (pages.length === 0 && done.length === 0) return;
    // not counted as a commit: no paper changed, so the pages cached in memory stay good
    await this.db.transaction(async (q) => {
      for (const p of pages)
        await q.query(
          `INSERT INTO paper_pages (paper_id, layout, modified, related, similar_modified, discussion, etag, body)
           VALUES ($1, $2, $3::timestamptz, $4::jsonb, $5::timestamptz, $8, $6, $7)
           ON CONFLICT (paper_id) DO UPDATE SET layout = excluded.layout, modified = excluded.modified,
             related = excluded.related, similar_modified = excluded.similar_modified, discussion = excluded.discussion,
             etag = excluded.etag, body = excluded.body`,
          [p.id, p.layout, p.modified, p.related, p.similarModified, p.etag, p.body, p.discussion],
          'save_page_discussion',
        );
      if (done.length > 0) await q.query('DELETE FROM pages_due WHERE seq = ANY($1::bigint[])', [[...done]]);
    });
  }

  async walkedLayout(): Promise<string | null> {
    const rows = await this.db.query<{ layout: string }>('SELECT layout FROM pages_walked WHERE id = 1');
    return rows[0]?.layout ?? null;
  }

  async startWalk(): Promise<void> {
    await this.db.query('DELETE FROM pages_due');
  }

  async finishWalk(layout: string): Promise<void> {
    await this.db.query('INSERT INTO pages_walked (id, layout) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET layout = excluded.layout', [layout]);
  }

  async storedPage(id: string, layout: string, similarLimit: number): Promise<StoredPage | null> {
    // current while its paper (live), related list, discussion and the similar papers it shows
    // are what it was rendered from
    const rows = await this.db.query<{ etag: string; body: Uint8Array }>(
      `SELECT pp.etag, pp.body FROM paper_pages pp
       JOIN papers p ON p.id = pp.paper_id AND p.modified_at = pp.modified AND NOT p.deleted
       JOIN related_papers r ON r.paper_id = pp.paper_id AND r.related = pp.related
       LEFT JOIN paper_discussions d ON d.paper_id = pp.paper_id
       WHERE pp.paper_id = $1 AND pp.layout = $3 AND pp.discussion = COALESCE(d.version, 0)
         AND pp.similar_modified IS NOT DISTINCT FROM (${SIMILAR_MODIFIED})`,
      [id, Math.max(0, similarLimit), layout],
      'stored_page_similar',
    );
    const r = rows[0];
    if (!r) return null;
    // node-postgres gives a Buffer, PGlite a Uint8Array
    return { etag: r.etag, body: Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength) };
  }
}
