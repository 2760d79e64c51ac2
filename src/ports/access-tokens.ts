/**
 * Personal access tokens for the API (issue 13): made and revoked by their account on the
 * profile page, sent as `Authorization: Bearer …`. Only the hash of a token is kept (core/accounts.ts
 * secretHash); the token itself is shown once. Contract: test/contracts/access-tokens.contract.ts.
 */
import type { Account } from './accounts.js';

export interface AccessToken {
  /** random and opaque: what the profile page revokes by */
  id: string;
  accountId: string;
  /** the reader's label ("my script") */
  name: string;
  createdAt: string;
}

export interface AccessTokens {
  /**
   * Keeps a new token (by its hash). With `max`, false (nothing kept) when the account holds `max`
   * tokens already: counted in the same transaction, so concurrent creations on any node never pass it.
   */
  createAccessToken(token: AccessToken & { hash: string }, max?: number): Promise<boolean>;
  /** An account's tokens, oldest first (never their hashes). */
  accessTokensOf(accountId: string): Promise<AccessToken[]>;
  /** Revokes a token of this account (another account's id does nothing); whether it existed. */
  revokeAccessToken(accountId: string, id: string): Promise<boolean>;
  /** The account a token's hash stands for; null when unknown or revoked. */
  accessTokenAccount(hash: string): Promise<Account | null>;
}
