/**
 * Members as other readers see them (issue 13, decision 031): the names shown beside comments,
 * the members an @-mention names, and whose public profile a page shows. Only what is public
 * about an account: never its address or its role. Adapters: the accounts adapters of each
 * dialect (adapters/db/{sqlite,postgres}/accounts.ts); contract: test/contracts/members.contract.ts.
 */

export interface Member {
  id: string;
  displayName: string;
  /** ISO timestamp */
  createdAt: string;
}

export interface Members {
  /** The members among these ids (deleted accounts are simply absent). */
  membersByIds(ids: readonly string[]): Promise<Map<string, Member>>;
  /**
   * The members these handles name (core/accounts.ts handleOf: the display name with its spaces
   * as underscores, compared in any case), keyed by the handle lower-cased. Two members whose
   * names give the same handle: the older account is the one named.
   */
  membersByHandles(handles: readonly string[]): Promise<Map<string, Member>>;
}
