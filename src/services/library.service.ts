/**
 * Readers' libraries (issue 13, docs/decisions/033): saving papers, marking them read, and named
 * collections, private or public. The use cases behind the library pages, the collection pages
 * and feeds, the paper page's controls and the API; input is checked here and refused naming
 * what to change (LibraryInputError). Who may see a collection is decided here too: a public one
 * anybody, a private one its owner only (to anyone else it does not exist).
 */
import { checkDisplayName, newId } from '../core/accounts.js';
import { parseArxivId } from '../core/arxiv-id.js';
import { PaperboyError } from '../core/errors.js';
import type { Paper } from '../core/paper.js';
import type { Accounts } from '../ports/accounts.js';
import type { Collection, CollectionEntry, Library, SavedFilter, SavedPaper } from '../ports/library.js';
import type { PaperReads } from '../ports/paper-reads.js';

export class LibraryInputError extends Error {
  readonly code = 'LIBRARY_INPUT_INVALID';
  constructor(
    readonly field: 'paper' | 'name' | 'collection',
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'LibraryInputError';
  }
}

/** At most this many collections per account: a page lists them all. */
export const MAX_COLLECTIONS = 100;
/** Papers in a collection's feed: its newest additions. */
export const COLLECTION_FEED = 200;

export interface LibraryServiceDeps {
  library: Library;
  papers: Pick<PaperReads, 'getPapers'>;
  accounts: Pick<Accounts, 'account'>;
  now: () => Date;
}

export interface LibraryPage {
  filter: SavedFilter;
  page: number;
  pageSize: number;
  counts: { saved: number; unread: number };
  entries: { saved: SavedPaper; paper: Paper }[];
  collections: Collection[];
}

export interface CollectionView {
  collection: Collection;
  /** the owner's display name (null if the account is gone: its collections go with it, so only in a race) */
  owner: string | null;
  /** the viewer owns it: the page shows the forms to change it */
  mine: boolean;
  /** the page shown (from 1) and its size: `entries` are that page of the collection.papers */
  page: number;
  pageSize: number;
  entries: { entry: CollectionEntry; paper: Paper }[];
}

/** What the paper page's controls show a signed-in reader. */
export interface PaperLibraryState {
  saved: SavedPaper | null;
  collections: Collection[];
  /** ids of the reader's collections that hold the paper */
  holding: Set<string>;
}

export interface LibraryExport {
  saved: SavedPaper[];
  collections: (Omit<Collection, 'papers' | 'accountId'> & { papers: CollectionEntry[] })[];
}

export class LibraryService {
  constructor(private readonly d: LibraryServiceDeps) {}

  /** The canonical id of a paper named by any spelling, else an error naming it. */
  paperId(raw: unknown): string {
    const parsed = typeof raw === 'string' && raw.length <= 300 ? parseArxivId(raw) : null;
    if (!parsed) throw new LibraryInputError('paper', `“${String(raw).slice(0, 80)}” is not an arXiv id`);
    return parsed.id;
  }

  /** Saves a paper: true when newly saved. NOT_FOUND (PaperboyError) when it is not stored here. */
  save(accountId: string, rawPaper: unknown): Promise<boolean> {
    return this.d.library.savePaper(accountId, this.paperId(rawPaper), this.at());
  }

  unsave(accountId: string, rawPaper: unknown): Promise<boolean> {
    return this.d.library.unsavePaper(accountId, this.paperId(rawPaper));
  }

  /** Marks a paper read or unread, saving it first if need be (a paper one has read is one worth keeping). */
  async markRead(accountId: string, rawPaper: unknown, read: boolean): Promise<void> {
    const id = this.paperId(rawPaper);
    if (read) await this.d.library.savePaper(accountId, id, this.at());
    await this.d.library.markRead(accountId, id, read ? this.at() : null);
  }

  async library(accountId: string, filter: SavedFilter, page: number, pageSize = 50): Promise<LibraryPage> {
    const [saved, counts, collections] = await Promise.all([
      this.d.library.savedPapers(accountId, filter, pageSize, (page - 1) * pageSize),
      this.d.library.savedCounts(accountId),
      this.d.library.collectionsOf(accountId),
    ]);
    const papers = await this.d.papers.getPapers(saved.map((s) => s.paperId));
    return { filter, page, pageSize, counts, collections, entries: saved.flatMap((s) => (papers.has(s.paperId) ? [{ saved: s, paper: papers.get(s.paperId)! }] : [])) };
  }

  /**
   * A new collection of the account's, holding `rawPaper` from the start when one is given (the
   * paper page's "save to a new collection"): made with it or not at all, so a paper that is not
   * here leaves no empty collection behind (NOT_FOUND). At most MAX_COLLECTIONS, counted with the write.
   */
  async createCollection(accountId: string, rawName: unknown, isPublic: boolean, rawPaper?: unknown): Promise<Collection> {
    const name = collectionName(rawName);
    const paperId = rawPaper === undefined ? {} : { paperId: this.paperId(rawPaper) };
    const made = await this.d.library.createCollection({ id: newId(), accountId, name, public: isPublic, at: this.at(), ...paperId }, MAX_COLLECTIONS);
    if (!made) throw new LibraryInputError('collection', `an account holds at most ${MAX_COLLECTIONS} collections: delete one first`);
    return made;
  }

  async rename(accountId: string, id: string, rawName: unknown): Promise<Collection> {
    return this.mine(await this.d.library.renameCollection(accountId, id, collectionName(rawName), this.at()));
  }

  async setPublic(accountId: string, id: string, isPublic: boolean): Promise<Collection> {
    return this.mine(await this.d.library.setCollectionPublic(accountId, id, isPublic, this.at()));
  }

  async deleteCollection(accountId: string, id: string): Promise<void> {
    if (!(await this.d.library.deleteCollection(accountId, id))) this.mine(null);
  }

  /** Adds a paper to one of the account's collections: true when added. */
  async add(accountId: string, collectionId: string, rawPaper: unknown): Promise<boolean> {
    const added = await this.d.library.addToCollection(accountId, collectionId, this.paperId(rawPaper), this.at());
    if (added === null) this.mine(null);
    return added!;
  }

  async remove(accountId: string, collectionId: string, rawPaper: unknown): Promise<boolean> {
    const removed = await this.d.library.removeFromCollection(accountId, collectionId, this.paperId(rawPaper));
    if (removed === null) this.mine(null);
    return removed!;
  }

  /**
   * A collection as `viewerId` may see it, one page of its papers (newest additions first; the
   * feed asks for its first COLLECTION_FEED): null when there is none, or it is private and not theirs.
   */
  async collectionView(id: string, viewerId: string | null, page = 1, pageSize = COLLECTION_FEED): Promise<CollectionView | null> {
    const collection = await this.d.library.collection(id);
    if (!collection) return null;
    const mine = viewerId !== null && viewerId === collection.accountId;
    if (!collection.public && !mine) return null;
    const [entries, owner] = await Promise.all([this.d.library.collectionEntries(id, pageSize, (page - 1) * pageSize), this.d.accounts.account(collection.accountId)]);
    const papers = await this.d.papers.getPapers(entries.map((e) => e.paperId));
    const shown = entries.flatMap((e) => (papers.has(e.paperId) ? [{ entry: e, paper: papers.get(e.paperId)! }] : []));
    return { collection, owner: owner?.displayName ?? null, mine, page, pageSize, entries: shown };
  }

  /** The account's public collections, for its member page. */
  async publicCollectionsOf(accountId: string): Promise<Collection[]> {
    return (await this.d.library.collectionsOf(accountId)).filter((c) => c.public);
  }

  async paperState(accountId: string, paperId: string): Promise<PaperLibraryState> {
    const [saved, collections, holding] = await Promise.all([
      this.d.library.savedPaper(accountId, paperId),
      this.d.library.collectionsOf(accountId),
      this.d.library.collectionsWith(accountId, paperId),
    ]);
    return { saved, collections, holding: new Set(holding) };
  }

  /** Everything of the account's library, for its export. */
  async exportOf(accountId: string): Promise<LibraryExport> {
    const [saved, collections] = await Promise.all([this.d.library.savedPapers(accountId, 'all', 1_000_000, 0), this.d.library.collectionsOf(accountId)]);
    return {
      saved,
      collections: await Promise.all(
        collections.map(async ({ papers: _n, accountId: _a, ...c }) => ({ ...c, papers: await this.d.library.collectionEntries(c.id, 1_000_000, 0) })),
      ),
    };
  }

  private mine(c: Collection | null): Collection {
    if (!c) throw new PaperboyError('NOT_FOUND', 'you have no such collection');
    return c;
  }

  private at(): string {
    return this.d.now().toISOString();
  }
}

/** A collection's name, checked as display names are (shown on pages and in feeds), or an error saying what to change. */
export function collectionName(raw: unknown): string {
  const check = checkDisplayName(raw);
  if (!check.ok) throw new LibraryInputError('name', check.problem.replace('the display name', "the collection's name"));
  return check.name;
}
