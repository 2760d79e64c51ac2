/** The SQLite store's paper pages rendered ahead (decision 009). */
import type { PageWindow, RenderedPage, RenderedPages, StoredPage } from '../../../ports/rendered-pages.js';
import { pageWindow, type PageWindowRow } from '../page-rows.js';
import { SqlitePart } from './connection.js';

export class SqlitePages extends SqlitePart implements RenderedPages {
  async pagesToRender(layout: string, similarLimit: number, afterId: string, scan: number): Promise<PageWindow> {
    return pageWindow(this.q.pagesToRender.all({ layout, similar: Math.max(0, similarLimit), after: afterId, scan: Math.max(1, scan) }) as PageWindowRow[]);
  }

  async savePages(pages: readonly RenderedPage[]): Promise<void> {
    if (pages.length === 0) return;
    // in the write queue, one transaction; not counted as a commit: no paper changed, so the
    // pages cached in memory stay good
    await this.serialized(() =>
      this.db.transaction(() => {
        for (const p of pages)
          this.q.savePage.run({ id: p.id, layout: p.layout, modified: p.modified, related: p.related, similar: p.similarModified, discussion: p.discussion, etag: p.etag, body: p.body });
      })(),
    );
  }

  async storedPage(id: string, layout: string): Promise<StoredPage | null> {
    return (this.q.storedPage.get(id, layout) as StoredPage | undefined) ?? null;
  }
}
