/**
 * The SQLite store's libraries and collections (ports/library.ts, decision 033). Every change to
 * a collection names its owner in the same statement, so that nobody changes another's.
 */
import type { Collection, CollectionEntry, Library, NewCollection, SavedFilter, SavedPaper } from '../../../ports/library.js';
import { rowToCollection, rowToSaved, unknownPaperTo } from '../library-rows.js';
import type { Row } from './connection.js';
import { SqliteInboxPart } from './inbox-part.js';

const COLLECTION = `SELECT c.*, (SELECT COUNT(*) FROM collection_papers e WHERE e.collection_id = c.id) AS papers FROM collections c`;
const FILTER: Record<SavedFilter, string> = { all: '', unread: 'AND read_at IS NULL', read: 'AND read_at IS NOT NULL' };

export class SqliteLibrary extends SqliteInboxPart implements Library {
  async savePaper(accountId: string, paperId: string, at: string): Promise<boolean> {
    return this.write(() => {
      this.mustExist(paperId, 'save');
      return this.st('INSERT INTO saved_papers (account_id, paper_id, saved_at, read_at) VALUES (?, ?, ?, NULL) ON CONFLICT DO NOTHING').run(accountId, paperId, at).changes === 1;
    });
  }

  async unsavePaper(accountId: string, paperId: string): Promise<boolean> {
    return this.write(() => this.st('DELETE FROM saved_papers WHERE account_id = ? AND paper_id = ?').run(accountId, paperId).changes === 1);
  }

  async markRead(accountId: string, paperId: string, at: string | null): Promise<boolean> {
    return this.write(() => this.st('UPDATE saved_papers SET read_at = ? WHERE account_id = ? AND paper_id = ?').run(at, accountId, paperId).changes === 1);
  }

  async savedPapers(accountId: string, filter: SavedFilter, limit: number, offset: number): Promise<SavedPaper[]> {
    const rows = this.st(`SELECT * FROM saved_papers WHERE account_id = ? ${FILTER[filter]} ORDER BY saved_at DESC, paper_id LIMIT ? OFFSET ?`).all(accountId, limit, offset) as Row[];
    return rows.map(rowToSaved);
  }

  async savedCounts(accountId: string): Promise<{ saved: number; unread: number }> {
    const r = this.st('SELECT COUNT(*) AS saved, COALESCE(SUM(read_at IS NULL), 0) AS unread FROM saved_papers WHERE account_id = ?').get(accountId) as { saved: number; unread: number };
    return { saved: Number(r.saved), unread: Number(r.unread) };
  }

  async savedPaper(accountId: string, paperId: string): Promise<SavedPaper | null> {
    const r = this.st('SELECT * FROM saved_papers WHERE account_id = ? AND paper_id = ?').get(accountId, paperId) as Row | undefined;
    return r ? rowToSaved(r) : null;
  }

  async createCollection(c: NewCollection, max?: number): Promise<Collection | null> {
    const made = await this.write(() => {
      if (c.paperId !== undefined) this.mustExist(c.paperId, 'add to a collection');
      // counted inside the IMMEDIATE transaction: no other write to the file comes between
      if (max !== undefined && Number(this.st('SELECT COUNT(*) FROM collections WHERE account_id = ?').pluck().get(c.accountId)) >= max) return false;
      this.st('INSERT INTO collections (id, account_id, name, public, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(c.id, c.accountId, c.name, c.public ? 1 : 0, c.at, c.at);
      if (c.paperId !== undefined) this.st('INSERT INTO collection_papers (collection_id, paper_id, added_at) VALUES (?, ?, ?)').run(c.id, c.paperId, c.at);
      return true;
    });
    return made ? this.collection(c.id) : null;
  }

  async renameCollection(accountId: string, id: string, name: string, at: string): Promise<Collection | null> {
    const changed = await this.write(() => this.st('UPDATE collections SET name = ?, updated_at = ? WHERE id = ? AND account_id = ?').run(name, at, id, accountId).changes);
    return changed ? this.collection(id) : null;
  }

  async setCollectionPublic(accountId: string, id: string, isPublic: boolean, at: string): Promise<Collection | null> {
    const changed = await this.write(() => this.st('UPDATE collections SET public = ?, updated_at = ? WHERE id = ? AND account_id = ?').run(isPublic ? 1 : 0, at, id, accountId).changes);
    return changed ? this.collection(id) : null;
  }

  async deleteCollection(accountId: string, id: string): Promise<boolean> {
    return this.write(() => this.st('DELETE FROM collections WHERE id = ? AND account_id = ?').run(id, accountId).changes === 1);
  }

  async collection(id: string): Promise<Collection | null> {
    const r = this.st(`${COLLECTION} WHERE c.id = ?`).get(id) as Row | undefined;
    return r ? rowToCollection(r) : null;
  }

  async collectionsOf(accountId: string): Promise<Collection[]> {
    return (this.st(`${COLLECTION} WHERE c.account_id = ? ORDER BY c.created_at, c.id`).all(accountId) as Row[]).map(rowToCollection);
  }

  async addToCollection(accountId: string, collectionId: string, paperId: string, at: string): Promise<boolean | null> {
    return this.write(() => {
      if (!this.owns(accountId, collectionId)) return null;
      this.mustExist(paperId, 'add to a collection');
      const added = this.st('INSERT INTO collection_papers (collection_id, paper_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(collectionId, paperId, at).changes === 1;
      if (added) this.st('UPDATE collections SET updated_at = ? WHERE id = ?').run(at, collectionId);
      return added;
    });
  }

  async removeFromCollection(accountId: string, collectionId: string, paperId: string): Promise<boolean | null> {
    return this.write(() => {
      if (!this.owns(accountId, collectionId)) return null;
      return this.st('DELETE FROM collection_papers WHERE collection_id = ? AND paper_id = ?').run(collectionId, paperId).changes === 1;
    });
  }

  async collectionEntries(collectionId: string, limit: number, offset: number): Promise<CollectionEntry[]> {
    const rows = this.st('SELECT paper_id, added_at FROM collection_papers WHERE collection_id = ? ORDER BY added_at DESC, paper_id LIMIT ? OFFSET ?').all(collectionId, limit, offset) as Row[];
    return rows.map((r) => ({ paperId: String(r.paper_id), addedAt: String(r.added_at) }));
  }

  async collectionsWith(accountId: string, paperId: string): Promise<string[]> {
    return this.st(
      'SELECT c.id FROM collections c JOIN collection_papers e ON e.collection_id = c.id WHERE c.account_id = ? AND e.paper_id = ? ORDER BY c.created_at, c.id',
    )
      .pluck()
      .all(accountId, paperId) as string[];
  }

  private owns(accountId: string, collectionId: string): boolean {
    return this.st('SELECT 1 FROM collections WHERE id = ? AND account_id = ?').get(collectionId, accountId) !== undefined;
  }

  private mustExist(paperId: string, what: string): void {
    if (!this.st('SELECT 1 FROM papers WHERE id = ?').get(paperId)) throw unknownPaperTo(what, paperId);
  }
}
