/** The SQLite store's paper pages rendered ahead (decision 009) and their queue (decision 044). */
import type { DuePages, PageWindow, RenderedPage, RenderedPages, StoredPage } from '../../../ports/rendered-pages.js';
import { pageWindow, type PageWindowRow } from '../page-rows.js';
import { SqlitePart } from './connection.js';
import { preparePages, type PageStatements } from './statements.js';

export class SqlitePages extends SqlitePart implements RenderedPages {
  /** by how many similar papers a page shows (one number in practice: page-render's SIMILAR) */
  private readonly bySimilar = new Map<number, PageStatements>();

  private pageStatements(similarLimit: number): PageStatements {
    const similar = Math.max(0, Math.floor(similarLimit));
    let st = this.bySimilar.get(similar);
    if (!st) this.bySimilar.set(similar, (st = preparePages(this.db, similar)));
    return st;
  }

  async pagesToRender(layout: string, similarLimit: number, afterId: string, scan: number): Promise<PageWindow> {
    return pageWindow(this.pageStatements(similarLimit).pagesToRender.all({ layout, after: afterId, scan: Math.max(1, scan) }) as PageWindowRow[]);
  }

  async duePages(layout: string, similarLimit: number, limit: number): Promise<DuePages> {
    const due = this.q.dueBatch.all(Math.max(1, limit)) as { seq: number; paper_id: string }[];
    if (due.length === 0) return { pages: [], taken: [] };
    const rows = this.pageStatements(similarLimit).pagesDue.all({ layout, ids: JSON.stringify(due.map((d) => d.paper_id)) }) as PageWindowRow[];
    return { pages: pageWindow(rows).pages, taken: due.map((d) => d.seq) };
  }

  async queuePages(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.serialized(() =>
      this.db.transaction(() => {
        for (const id of new Set(ids)) {
          this.q.unqueuePage.run(id);
          this.q.queuePage.run(id);
        }
      })(),
    );
  }

  async savePages(pages: readonly RenderedPage[], done: readonly number[] = []): Promise<void> {
    if (pages.length === 0 && done.length === 0) return;
    // in the write queue, one transaction; not counted as a commit: no paper changed, so the
    // pages cached in memory stay good
    await this.serialized(() =>
      this.db.transaction(() => {
        for (const p of pages)
          this.q.savePage.run({ id: p.id, layout: p.layout, modified: p.modified, related: p.related, similar: p.similarModified, discussion: p.discussion, etag: p.etag, body: p.body });
        if (done.length > 0) this.q.dueDone.run(JSON.stringify(done));
      })(),
    );
  }

  async walkedLayout(): Promise<string | null> {
    return (this.q.walkedLayout.get() as string | undefined) ?? null;
  }

  async startWalk(): Promise<void> {
    await this.serialized(() => this.q.startWalk.run());
  }

  async finishWalk(layout: string): Promise<void> {
    await this.serialized(() => this.q.finishWalk.run(layout));
  }

  async storedPage(id: string, layout: string, similarLimit: number): Promise<StoredPage | null> {
    return (this.pageStatements(similarLimit).storedPage.get({ id, layout }) as StoredPage | undefined) ?? null;
  }
}
