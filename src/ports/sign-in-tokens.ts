/**
 * The single-use sign-in links (issue 13): each emailed link carries a random secret; only its
 * hash is kept (core/accounts.ts secretHash), with the address it signs in and a short expiry.
 * Contract: test/contracts/sign-in-tokens.contract.ts.
 */
export interface SignInTokens {
  saveSignInToken(token: { hash: string; email: string; createdAt: string; expiresAt: string }): Promise<void>;
  /**
   * Uses the token: the address it was made for when it exists, is unused and has not expired at
   * `now`; else null. One statement: of concurrent redeems of one token exactly one gets the address.
   */
  redeemSignInToken(hash: string, now: string): Promise<string | null>;
  /** Forgets tokens that expired before `before` (used or not); how many. */
  pruneSignInTokens(before: string): Promise<number>;
}
