/**
 * Every store port together: what one database adapter implements (SQLite:
 * adapters/db/sqlite.store.ts, PostgreSQL: adapters/db/postgres.store.ts) and what only the
 * composition root holds whole. Services never take it: each declares the few ports it uses
 * (decision 015). Each port has its contract suite (test/contracts/), run on every adapter.
 */
import type { Library } from './library.js';
import type { Submissions } from './submissions.js';
import type { Comments } from './comments.js';
import type { AccessTokens } from './access-tokens.js';
import type { Accounts } from './accounts.js';
import type { Members } from './members.js';
import type { DigestOutbox } from './digest-outbox.js';
import type { EmbedderModels } from './embedder-models.js';
import type { HarvestCursors } from './harvest-cursors.js';
import type { JobLeases } from './job-leases.js';
import type { ListingReads } from './listing-reads.js';
import type { PaperReads } from './paper-reads.js';
import type { PaperVectors } from './paper-vectors.js';
import type { PaperWriter } from './paper-writer.js';
import type { RelatedLists } from './related-lists.js';
import type { RenderedPages } from './rendered-pages.js';
import type { SearchIndex } from './search-index.js';
import type { Sessions } from './sessions.js';
import type { SignInTokens } from './sign-in-tokens.js';
import type { SigningKeys } from './signing-keys.js';
import type { Votes } from './votes.js';
import type { Passkeys } from './passkeys.js';
import type { OperationsStatus } from './operations.js';
import type { StoreLifecycle } from './store-lifecycle.js';
import type { StoreStatus } from './store-status.js';
import type { Subscriptions } from './subscriptions.js';

export interface PaperStore
  extends StoreLifecycle,
    StoreStatus,
    PaperWriter,
    HarvestCursors,
    PaperReads,
    ListingReads,
    RelatedLists,
    RenderedPages,
    JobLeases {}

/**
 * The inbox's ports (issue 11) on one database: readers' subscriptions, the digest outbox and the
 * signing keys. Kept apart from PaperStore: the services that use them take only these.
 */
export type Inbox = Subscriptions & DigestOutbox & SigningKeys;

/**
 * The accounts' ports (issue 13) on one database: accounts, sign-in tokens, sessions, API access
 * tokens. Kept apart
 * from PaperStore and the inbox: the services that use them take only these.
 */
export type AccountPorts = Accounts & SignInTokens & Sessions & AccessTokens & Members;

/**
 * A database as a dialect's factory opens it: the store, the keyword index and the inbox that
 * live in the same database and share its connection, built together so that nothing has to
 * guess which index suits which store. The inbox, the vectors and the comments are usable once the store has
 * migrated.
 */
export interface OpenedDatabase {
  store: PaperStore;
  index: SearchIndex;
  inbox: Inbox;
  /** the papers' vectors, per embedder, and the trained models that made them (issue 12) */
  vectors: PaperVectors & EmbedderModels;
  /** comments on papers and their moderation (issue 13) */
  comments: Comments;
  /** local votes and their tallies (issue 13) */
  votes: Votes;
  /** readers' accounts and sessions (issue 13) */
  accounts: AccountPorts;
  /** papers submitted by readers (issue 13) */
  submissions: Submissions;
  /** readers' saved papers and collections (issue 13) */
  library: Library;
  /** readers' passkeys and their ceremonies' challenges (issue 13, decision 034) */
  passkeys: Passkeys;
  /** what an operator watches: index backlog, leases, last harvests (issue 14) */
  operations: OperationsStatus;
}

// the types of each port, re-exported for the adapters, which implement them all
export type { HarvestCursors } from './harvest-cursors.js';
export type { JobLeases } from './job-leases.js';
export type { DayCount, ListingReads, PaperSignal } from './listing-reads.js';
export type { PaperReads } from './paper-reads.js';
export type { PaperTx, PaperWrite, PaperWriter, RecordSeen } from './paper-writer.js';
export type { PaperCard, PaperText, RelatedList, RelatedLists, RelatedState } from './related-lists.js';
export type { DuePages, PageInputs, PageWindow, RenderedPage, RenderedPages, StoredPage } from './rendered-pages.js';
export type { StoreLifecycle } from './store-lifecycle.js';
export type { StoreStats, StoreStatus } from './store-status.js';
