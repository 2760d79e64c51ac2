/**
 * Every store port's contract, run on one adapter: what a store must pass whole. A new port adds
 * its contract file beside these and a line here (decision 015).
 */
import type { StoreHarness } from '../support/store-harness.js';
import { commentsContract } from './comments.contract.js';
import { accessTokensContract } from './access-tokens.contract.js';
import { accountsContract } from './accounts.contract.js';
import { digestOutboxContract } from './digest-outbox.contract.js';
import { embedderModelsContract } from './embedder-models.contract.js';
import { harvestCursorsContract } from './harvest-cursors.contract.js';
import { jobLeasesContract } from './job-leases.contract.js';
import { listingReadsContract } from './listing-reads.contract.js';
import { paperReadsContract } from './paper-reads.contract.js';
import { paperVectorsContract } from './paper-vectors.contract.js';
import { paperWriterContract } from './paper-writer.contract.js';
import { passkeysContract } from './passkeys.contract.js';
import { relatedListsContract } from './related-lists.contract.js';
import { renderedPagesContract } from './rendered-pages.contract.js';
import { sessionsContract } from './sessions.contract.js';
import { signInTokensContract } from './sign-in-tokens.contract.js';
import { signingKeysContract } from './signing-keys.contract.js';
import { storeLifecycleContract } from './store-lifecycle.contract.js';
import { storeStatusContract } from './store-status.contract.js';
import { subscriptionsContract } from './subscriptions.contract.js';
import { votesContract } from './votes.contract.js';
import { libraryContract } from './library.contract.js';
import { submissionsContract } from './submissions.contract.js';
import { membersContract } from './members.contract.js';
import { operationsContract } from './operations.contract.js';

export function storeContracts(harness: StoreHarness): void {
  storeLifecycleContract(harness);
  storeStatusContract(harness);
  paperWriterContract(harness);
  paperReadsContract(harness);
  harvestCursorsContract(harness);
  listingReadsContract(harness);
  relatedListsContract(harness);
  renderedPagesContract(harness);
  jobLeasesContract(harness);
  // the inbox's ports (issue 11): OpenedDatabase.inbox, on the same database
  subscriptionsContract(harness);
  digestOutboxContract(harness);
  signingKeysContract(harness);
  // the papers' vectors (issue 12): OpenedDatabase.vectors
  paperVectorsContract(harness);
  embedderModelsContract(harness);
  // comments and their moderation (issue 13): OpenedDatabase.comments
  commentsContract(harness);
  // local votes (issue 13): OpenedDatabase.votes
  votesContract(harness);
  // readers' accounts and sessions (issue 13): OpenedDatabase.accounts
  accountsContract(harness);
  membersContract(harness);
  signInTokensContract(harness);
  sessionsContract(harness);
  accessTokensContract(harness);
  // papers submitted by readers, and their libraries (issue 13): OpenedDatabase.submissions, .library
  submissionsContract(harness);
  libraryContract(harness);
  // passkeys (decision 034): OpenedDatabase.passkeys
  passkeysContract(harness);
  // what an operator watches (issue 14): OpenedDatabase.operations
  operationsContract(harness);
}
