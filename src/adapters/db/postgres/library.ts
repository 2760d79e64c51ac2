/**
 * The PostgreSQL store's libraries and collections (ports/library.ts, decision 033). Every change
 * to a collection names its owner in the same statement, so that nobody changes another's.
 */
import type { Collection, CollectionEntry, Library, NewCollection, SavedFilter, SavedPaper } from '../../../ports/library.js';
import { rowToCollection, rowToSaved, unknownPaperTo } from '../library-rows.js';
import type { PgQuery } from '../pg-client.js';
import { lockAccount } from './account-lock.js';
import { PostgresPart } from './connection.js';

type Row = Record<string, unknown>;
const COLLECTION = `SELECT c.*, (SELECT COUNT(*)::int FROM collection_papers e WHERE e.collection_id = c.id) AS papers FROM collections c`;
const FILTER: Record<SavedFilter, string> = { all: '', unread: 'AND read_at IS NULL', read: 'AND read_at IS NOT NULL' };

export class PostgresLibrary extends PostgresPart implements Library {
  async savePaper(accountId: string, paperId: string, at: string): Promise<boolean> {
    await this.mustExist(this.db, paperId, 'save');
    const rows = await this.db.query('INSERT INTO saved_papers (account_id, paper_id, saved_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING paper_id', [accountId, paperId, at]);
    return rows.length === 1;
  }

  async unsavePaper(accountId: string, paperId: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM saved_papers WHERE account_id = $1 AND paper_id = $2 RETURNING paper_id', [accountId, paperId])).length === 1;
  }

  async markRead(accountId: string, paperId: string, at: string | null): Promise<boolean> {
    return (await this.db.query('UPDATE saved_papers SET read_at = $1 WHERE account_id = $2 AND paper_id = $3 RETURNING paper_id', [at, accountId, paperId])).length === 1;
  }

  async savedPapers(accountId: string, filter: SavedFilter, limit: number, offset: number): Promise<SavedPaper[]> {
    const rows = await this.db.query<Row>(`SELECT * FROM saved_papers WHERE account_id = $1 ${FILTER[filter]} ORDER BY saved_at DESC, paper_id LIMIT $2 OFFSET $3`, [
      accountId,
      limit,
      offset,
    ]);
    return rows.map(rowToSaved);
  }

  async savedCounts(accountId: string): Promise<{ saved: number; unread: number }> {
    const [r] = await this.db.query<{ saved: number; unread: number }>(
      'SELECT COUNT(*)::int AS saved, COUNT(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM saved_papers WHERE account_id = $1',
      [accountId],
    );
    return { saved: Number(r!.saved), unread: Number(r!.unread) };
  }

  async savedPaper(accountId: string, paperId: string): Promise<SavedPaper | null> {
    const [r] = await this.db.query<Row>('SELECT * FROM saved_papers WHERE account_id = $1 AND paper_id = $2', [accountId, paperId]);
    return r ? rowToSaved(r) : null;
  }

  async createCollection(c: NewCollection, max?: number): Promise<Collection | null> {
    const made = await this.db.transaction(async (q) => {
      if (c.paperId !== undefined) await this.mustExist(q, c.paperId, 'add to a collection');
      if (max !== undefined) {
        await lockAccount(q, c.accountId); // another creation by this account waits here, then counts this one
        const [r] = await q.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM collections WHERE account_id = $1', [c.accountId]);
        if (Number(r!.n) >= max) return false;
      }
      await q.query('INSERT INTO collections (id, account_id, name, public, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)', [c.id, c.accountId, c.name, c.public, c.at]);
      if (c.paperId !== undefined) await q.query('INSERT INTO collection_papers (collection_id, paper_id, added_at) VALUES ($1, $2, $3)', [c.id, c.paperId, c.at]);
      return true;
    });
    return made ? this.collection(c.id) : null;
  }

  async renameCollection(accountId: string, id: string, name: string, at: string): Promise<Collection | null> {
    const rows = await this.db.query('UPDATE collections SET name = $1, updated_at = $2 WHERE id = $3 AND account_id = $4 RETURNING id', [name, at, id, accountId]);
    return rows.length ? this.collection(id) : null;
  }

  async setCollectionPublic(accountId: string, id: string, isPublic: boolean, at: string): Promise<Collection | null> {
    const rows = await this.db.query('UPDATE collections SET public = $1, updated_at = $2 WHERE id = $3 AND account_id = $4 RETURNING id', [isPublic, at, id, accountId]);
    return rows.length ? this.collection(id) : null;
  }

  async deleteCollection(accountId: string, id: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM collections WHERE id = $1 AND account_id = $2 RETURNING id', [id, accountId])).length === 1;
  }

  async collection(id: string): Promise<Collection | null> {
    const [r] = await this.db.query<Row>(`${COLLECTION} WHERE c.id = $1`, [id]);
    return r ? rowToCollection(r) : null;
  }

  async collectionsOf(accountId: string): Promise<Collection[]> {
    return (await this.db.query<Row>(`${COLLECTION} WHERE c.account_id = $1 ORDER BY c.created_at, c.id`, [accountId])).map(rowToCollection);
  }

  async addToCollection(accountId: string, collectionId: string, paperId: string, at: string): Promise<boolean | null> {
    return this.db.transaction(async (q) => {
      // the owner's row, locked: a concurrent delete of the collection waits for this insert
      const owned = await q.query('SELECT 1 FROM collections WHERE id = $1 AND account_id = $2 FOR UPDATE', [collectionId, accountId]);
      if (owned.length === 0) return null;
      await this.mustExist(q, paperId, 'add to a collection');
      const added = await q.query('INSERT INTO collection_papers (collection_id, paper_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING paper_id', [collectionId, paperId, at]);
      if (added.length === 1) await q.query('UPDATE collections SET updated_at = $1 WHERE id = $2', [at, collectionId]);
      return added.length === 1;
    });
  }

  async removeFromCollection(accountId: string, collectionId: string, paperId: string): Promise<boolean | null> {
    const owned = await this.db.query('SELECT 1 FROM collections WHERE id = $1 AND account_id = $2', [collectionId, accountId]);
    if (owned.length === 0) return null;
    return (await this.db.query('DELETE FROM collection_papers WHERE collection_id = $1 AND paper_id = $2 RETURNING paper_id', [collectionId, paperId])).length === 1;
  }

  async collectionEntries(collectionId: string, limit: number, offset: number): Promise<CollectionEntry[]> {
    const rows = await this.db.query<Row>('SELECT paper_id, added_at FROM collection_papers WHERE collection_id = $1 ORDER BY added_at DESC, paper_id LIMIT $2 OFFSET $3', [
      collectionId,
      limit,
      offset,
    ]);
    return rows.map((r) => ({ paperId: String(r.paper_id), addedAt: String(r.added_at) }));
  }

  async collectionsWith(accountId: string, paperId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      'SELECT c.id FROM collections c JOIN collection_papers e ON e.collection_id = c.id WHERE c.account_id = $1 AND e.paper_id = $2 ORDER BY c.created_at, c.id',
      [accountId, paperId],
    );
    return rows.map((r) => r.id);
  }

  private async mustExist(q: Pick<PgQuery, 'query'>, paperId: string, what: string): Promise<void> {
    if ((await q.query('SELECT 1 FROM papers WHERE id = $1', [paperId])).length === 0) throw unknownPaperTo(what, paperId);
  }
}
