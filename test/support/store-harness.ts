/**
 * What a store contract test needs from each adapter: a fresh, migrated, empty store with its
 * search index and inbox (as the dialect's factory builds them), a way to reach its database
 * behind its back, and a second handle on the same database.
 */
import type { Comments } from '../../src/ports/comments.js';
import type { EmbedderModels } from '../../src/ports/embedder-models.js';
import type { AccountPorts, Inbox, OpenedDatabase, PaperStore } from '../../src/ports/paper-store.js';
import type { PaperVectors } from '../../src/ports/paper-vectors.js';
import type { SearchIndex } from '../../src/ports/search-index.js';
import type { Votes } from '../../src/ports/votes.js';
import type { Library } from '../../src/ports/library.js';
import type { Submissions } from '../../src/ports/submissions.js';
import type { Passkeys } from '../../src/ports/passkeys.js';
import type { OperationsStatus } from '../../src/ports/operations.js';

export interface OpenedStore {
  store: PaperStore;
  /** the keyword index on the same database and connection */
  index: SearchIndex;
  /** the inbox's ports on the same database and connection */
  inbox: Inbox;
  /** the papers' vectors on the same database and connection */
  vectors: PaperVectors & EmbedderModels;
  /** the comments on the same database and connection */
  comments: Comments;
  /** local votes on the same database and connection */
  votes: Votes;
  /** readers' accounts and sessions on the same database and connection */
  accounts: AccountPorts;
  /** readers' submissions on the same database and connection */
  submissions: Submissions;
  /** readers' libraries and collections on the same database and connection */
  library: Library;
  /** readers' passkeys on the same database and connection */
  passkeys: Passkeys;
  /** the operational figures (index backlog, leases, last harvests) on the same database */
  operations: OperationsStatus;
  /** the --db value that reaches the same database */
  url: string;
  /** a new, not yet migrated store on the same database */
  reopen(): Promise<PaperStore>;
  /** a new database handle (store, index, inbox) on the same database, the store not yet migrated */
  reopenDatabase(): Promise<OpenedDatabase>;
  /** runs raw SQL on the database, outside the store */
  exec(sql: string): Promise<void>;
  /** removes the database (call after closing the stores) */
  drop(): Promise<void>;
}

export interface StoreHarness {
  name: string;
  open(): Promise<OpenedStore>;
}
