/**
 * What the accounts' contract suites (accounts, sign-in tokens, sessions) share: an account made
 * the way the service makes one, and a second handle on the database for the races.
 */
import { newId, newSecret, secretHash } from '../../src/core/accounts.js';
import type { Account } from '../../src/ports/accounts.js';
import type { AccountPorts } from '../../src/ports/paper-store.js';
import type { OpenedStore } from '../support/store-harness.js';
import { at } from './inbox-fixtures.js';

export { at };

export async function anAccount(accounts: AccountPorts, email: string, now = at(0)): Promise<Account> {
  return (await accounts.ensureAccount({ id: newId(), email, displayName: email.split('@')[0]!, now })).account;
}

/** A session started for an account; its secret hash. */
export async function aSession(accounts: AccountPorts, accountId: string, o: { now?: string; expiresAt?: string } = {}): Promise<string> {
  const hash = secretHash(newSecret());
  await accounts.startSession({ hash, accountId, createdAt: o.now ?? at(0), expiresAt: o.expiresAt ?? at(60 * 24) });
  return hash;
}

/** The account ports of a second handle on the same database (migrated), closed with the test. */
export async function otherAccounts(opened: OpenedStore): Promise<AccountPorts> {
  const db = await opened.reopenDatabase();
  await db.store.migrate();
  return db.accounts;
}
