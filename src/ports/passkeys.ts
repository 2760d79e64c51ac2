/**
 * Passkeys (issue 13, docs/decisions/034): WebAuthn credentials a reader registered as a second
 * way in, and the short-lived challenges of the ceremonies that register them or sign in with
 * them. In the database, so that every web node sees a challenge another node handed out, and
 * a sign-in's signature counter is checked and raised in one statement.
 * Contract: test/contracts/passkeys.contract.ts.
 */

/** One registered credential. Its public key opens nothing: it only checks signatures. */
export interface Passkey {
  /** the credential id the authenticator made, base64url: unique on the site */
  id: string;
  accountId: string;
  /** the COSE public key, base64url */
  publicKey: string;
  /** the signature counter last seen (0: this authenticator keeps none) */
  counter: number;
  /** how the browser may reach the authenticator ('internal', 'hybrid', 'usb', …), as it said */
  transports: string[];
  /** the reader's label, shown on the profile page */
  name: string;
  /** ISO timestamps */
  createdAt: string;
  lastUsedAt: string | null;
}

/** What a challenge was handed out for. */
export type PasskeyCeremony = 'register' | 'sign-in';

export interface PasskeyChallenge {
  /** SHA-256 (hex) of the challenge as the options carried it (base64url) */
  hash: string;
  ceremony: PasskeyCeremony;
  /** register: the signed-in account adding a passkey; sign-in: null (nobody is known yet) */
  accountId: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface Passkeys {
  /**
   * Keeps a new passkey; false (nothing kept) when its credential id is registered already, to any
   * account. With `max`, null (nothing kept) when the account holds `max` passkeys already: counted
   * in the same transaction, so concurrent registrations on any node never pass it.
   */
  addPasskey(passkey: Passkey, max?: number): Promise<boolean | null>;
  /** The passkey of a credential id, whosever it is; null when none. */
  passkey(id: string): Promise<Passkey | null>;
  /** An account's passkeys, oldest first. */
  passkeysOf(accountId: string): Promise<Passkey[]>;
  /**
   * Records a sign-in with the passkey: its counter becomes `counter` and its last use `now`,
   * only when `counter` is above the kept one (or both are 0: an authenticator without a
   * counter). One conditional statement: of two uses reporting the same counter (a cloned
   * authenticator) one is refused. Whether it was recorded.
   */
  recordPasskeyUse(id: string, counter: number, now: string): Promise<boolean>;
  /** Renames a passkey of this account (another account's id does nothing); whether it existed. */
  renamePasskey(accountId: string, id: string, name: string): Promise<boolean>;
  /** Deletes a passkey of this account (another account's id does nothing); whether it existed. */
  deletePasskey(accountId: string, id: string): Promise<boolean>;
  saveChallenge(challenge: PasskeyChallenge): Promise<void>;
  /**
   * Uses a challenge up: the account it was handed out for (null for a sign-in) when it exists,
   * is of `ceremony` and has not expired at `now`; else undefined. It is gone after, whatever
   * the answer: one statement, so of concurrent takes of one challenge exactly one gets it.
   */
  takeChallenge(hash: string, ceremony: PasskeyCeremony, now: string): Promise<{ accountId: string | null } | undefined>;
  /** Forgets challenges that expired before `before`; how many. */
  pruneChallenges(before: string): Promise<number>;
}
