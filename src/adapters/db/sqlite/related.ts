/** The SQLite store's related lists: papers' texts to compute them from, the lists, and a paper page's read. */
import type { Paper } from '../../../core/paper.js';
import type { PaperReads } from '../../../ports/paper-reads.js';
import type { PaperCard, PaperText, RelatedList, RelatedLists, RelatedState } from '../../../ports/related-lists.js';
import { SqlitePart, type SqliteConnection } from './connection.js';

export class SqliteRelated extends SqlitePart implements RelatedLists {
  constructor(
    conn: SqliteConnection,
    private readonly papers: Pick<PaperReads, 'getPaper'>,
  ) {
    super(conn);
  }

  private getPaper(id: string): Promise<Paper | null> {
    return this.papers.getPaper(id);
  }

  private transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.conn.transaction(fn);
  }

  async paperTexts(afterId: string, limit: number): Promise<PaperText[]> {
    return this.q.texts.all(afterId, limit) as PaperText[];
  }

  async contentVersion(): Promise<string> {
    const r = this.q.content.get() as { n: number; m: string | null };
    return `${r.n}.${r.m ?? 'empty'}`;
  }

  async relatedCards(id: string, limit: number): Promise<PaperCard[] | null> {
    const related = this.q.related.get(id) as string | undefined;
    if (related === undefined) return null;
    // one primary-key lookup per paper, in the list's order, until `limit` live ones
    const cards: PaperCard[] = [];
    for (const relatedId of JSON.parse(related) as string[]) {
      if (cards.length >= limit) break;
      const r = this.q.card.get(relatedId) as { title: string | null; authors: string | null } | undefined;
      if (r) cards.push({ id: relatedId, title: r.title, authors: r.authors === null ? null : (JSON.parse(r.authors) as string[]) });
    }
    return cards;
  }

  async paperPage(id: string, relatedLimit: number): Promise<{ paper: Paper; related: PaperCard[] | null } | null> {
    const paper = await this.getPaper(id);
    return paper && { paper, related: await this.relatedCards(id, relatedLimit) };
  }

  async relatedIds(id: string): Promise<string[] | null> {
    const json = this.q.related.get(id) as string | undefined;
    return json === undefined ? null : (JSON.parse(json) as string[]);
  }

  async saveRelated(lists: readonly RelatedList[]): Promise<void> {
    if (lists.length === 0) return;
    // through the write queue, so that it never lands inside another caller's open transaction
    await this.transaction(async () => {
      for (const l of lists) this.q.saveRelated.run({ id: l.id, related: JSON.stringify(l.related) });
    });
  }

  async finishRelated(state: RelatedState): Promise<void> {
    await this.transaction(async () => {
      this.db
        .prepare(
          `INSERT INTO related_state (id, content_version, computed_at, papers) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET content_version = excluded.content_version,
             computed_at = excluded.computed_at, papers = excluded.papers`,
        )
        .run(state.contentVersion, state.computedAt, state.papers);
    });
  }

  async relatedState(): Promise<RelatedState | null> {
    const r = this.db.prepare('SELECT content_version, computed_at, papers FROM related_state').get() as
      | { content_version: string; computed_at: string; papers: number }
      | undefined;
    return r ? { contentVersion: r.content_version, computedAt: r.computed_at, papers: r.papers } : null;
  }
}
