/**
 * Readers' libraries (issue 13, docs/decisions/033): papers saved to a private library, marked
 * read or unread, and named collections, private or public, each with its own page and feed.
 * What LibraryService reads and changes. Adapters: adapters/db/sqlite/library.ts and
 * adapters/db/postgres/library.ts; exposed as OpenedDatabase.library. Contract:
 * test/contracts/library.contract.ts.
 *
 * Every change names the account it acts for: a collection is changed only by its owner (the
 * adapters check it in the same statement). The library and the collections belong to the
 * account: deleting the account deletes them (foreign keys, ON DELETE CASCADE).
 */

export interface SavedPaper {
  paperId: string;
  /** ISO timestamps */
  savedAt: string;
  /** null while unread */
  readAt: string | null;
}

export type SavedFilter = 'all' | 'unread' | 'read';

export interface Collection {
  /** random and opaque: the collection's address */
  id: string;
  accountId: string;
  name: string;
  public: boolean;
  /** ISO timestamps */
  createdAt: string;
  updatedAt: string;
  /** papers in it */
  papers: number;
}

export interface NewCollection {
  id: string;
  accountId: string;
  name: string;
  public: boolean;
  at: string;
  /** a stored paper it holds from the start: NOT_FOUND, and no collection made, when it is not stored */
  paperId?: string;
}

export interface CollectionEntry {
  paperId: string;
  addedAt: string;
}

export interface Library {
  /** Saves a stored paper (NOT_FOUND when it is not stored); false when it was already saved. */
  savePaper(accountId: string, paperId: string, at: string): Promise<boolean>;
  /** Removes a paper from the library (its collections keep it); false when it was not saved. */
  unsavePaper(accountId: string, paperId: string): Promise<boolean>;
  /** Marks a saved paper read (`at`) or unread (null); false when it is not saved. */
  markRead(accountId: string, paperId: string, at: string | null): Promise<boolean>;
  /** The account's saved papers, newest first. */
  savedPapers(accountId: string, filter: SavedFilter, limit: number, offset: number): Promise<SavedPaper[]>;
  /** How many papers the account saved, and how many of them are unread. */
  savedCounts(accountId: string): Promise<{ saved: number; unread: number }>;
  /** The account's entry for a paper; null when it did not save it. */
  savedPaper(accountId: string, paperId: string): Promise<SavedPaper | null>;

  /**
   * Makes a collection (and adds its first paper) in one transaction. With `max`, null (nothing
   * made) when the account holds `max` collections already: counted in the same transaction, so
   * concurrent creations on any node never pass it.
   */
  createCollection(c: NewCollection, max?: number): Promise<Collection | null>;
  /** Null when the account has no such collection. */
  renameCollection(accountId: string, id: string, name: string, at: string): Promise<Collection | null>;
  setCollectionPublic(accountId: string, id: string, isPublic: boolean, at: string): Promise<Collection | null>;
  /** Deletes the collection and its entries (not the papers); false when the account has no such collection. */
  deleteCollection(accountId: string, id: string): Promise<boolean>;
  collection(id: string): Promise<Collection | null>;
  /** The account's collections, oldest first. */
  collectionsOf(accountId: string): Promise<Collection[]>;
  /**
   * Adds a stored paper (NOT_FOUND when it is not stored) to the account's collection: true when
   * added, false when it was there already, null when the account has no such collection.
   */
  addToCollection(accountId: string, collectionId: string, paperId: string, at: string): Promise<boolean | null>;
  /** true when removed, false when it was not there, null when the account has no such collection. */
  removeFromCollection(accountId: string, collectionId: string, paperId: string): Promise<boolean | null>;
  /** A collection's papers, most recently added first: `limit` of them after the first `offset`. */
  collectionEntries(collectionId: string, limit: number, offset: number): Promise<CollectionEntry[]>;
  /** The ids of the account's collections that hold the paper. */
  collectionsWith(accountId: string, paperId: string): Promise<string[]>;
}
