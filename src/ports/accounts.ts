/**
 * Readers' accounts (issue 13): what the sign-in, profile and operators' use cases
 * (services/account.service.ts, the `users` command) read and change. One account per address
 * (compared by core/accounts.ts's emailKey), made at the first sign-in. Contract:
 * test/contracts/accounts.contract.ts.
 */
import type { Role } from '../core/accounts.js';

export interface Account {
  /** random and opaque */
  id: string;
  /** as first signed in with (normalised by core/email-address.ts) */
  email: string;
  displayName: string;
  role: Role;
  /** ISO timestamps */
  createdAt: string;
  updatedAt: string;
}

export interface NewAccount {
  id: string;
  email: string;
  displayName: string;
  now: string;
}

export interface Accounts {
  /**
   * The account of this address (any case), else a new reader with `fresh`'s id and name:
   * { created } says which. Two concurrent calls for one address end with one account.
   */
  ensureAccount(fresh: NewAccount): Promise<{ account: Account; created: boolean }>;
  account(id: string): Promise<Account | null>;
  /** The account of an address, compared in any case. */
  accountByEmail(email: string): Promise<Account | null>;
  /** Null when there is no such account. */
  setDisplayName(id: string, displayName: string, now: string): Promise<Account | null>;
  /** The account of an address given a role; null when the address has none. */
  setRole(email: string, role: Role, now: string): Promise<Account | null>;
  /** Deletes the account with its sessions and tokens; whether there was one. */
  deleteAccount(id: string): Promise<boolean>;
}
