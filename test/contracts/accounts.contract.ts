/**
 * The Accounts contract (issue 13): one account per address whatever its case, made once even by
 * concurrent first sign-ins, renamed, given a role, deleted with its sessions. Run on every store adapter.
 */
import { describe, expect, it } from 'vitest';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { aSession, anAccount, at, otherAccounts } from './account-fixtures.js';
import { storePerTest } from './store-per-test.js';

export function accountsContract(harness: StoreHarness): void {
  describe(`Accounts contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    storePerTest(harness, (o) => {
      opened = o;
    });

    it('makes a reader on first use and finds the same account for the address in any case', async () => {
      const a = opened.accounts;
      const made = await a.ensureAccount({ id: 'acc-1', email: 'Ann.Lee@example.org', displayName: 'Ann', now: at(0) });
      expect(made.created).toBe(true);
      expect(made.account).toEqual({ id: 'acc-1', email: 'Ann.Lee@example.org', displayName: 'Ann', role: 'reader', createdAt: at(0), updatedAt: at(0) });
      const again = await a.ensureAccount({ id: 'acc-2', email: 'ann.lee@EXAMPLE.org', displayName: 'Other', now: at(5) });
      expect(again).toEqual({ account: made.account, created: false });
      expect(await a.account('acc-1')).toEqual(made.account);
      expect(await a.account('acc-2')).toBeNull();
      expect(await a.accountByEmail('ANN.LEE@example.org')).toEqual(made.account);
      expect(await a.accountByEmail('bob@example.org')).toBeNull();
    });

    it('makes one account when two handles sign the same address in at once', async () => {
      const other = await otherAccounts(opened);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? other : opened.accounts).ensureAccount({ id: `race-${i}`, email: 'race@example.org', displayName: 'r', now: at(0) })),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.account.id)).size).toBe(1);
    });

    it('renames and changes the role, and says when there is no such account', async () => {
      const a = opened.accounts;
      const acc = await anAccount(a, 'cat@example.org');
      expect(await a.setDisplayName(acc.id, '<b>Cat</b> & co', at(3))).toMatchObject({ displayName: '<b>Cat</b> & co', updatedAt: at(3) });
      expect(await a.setRole('CAT@example.org', 'moderator', at(4))).toMatchObject({ id: acc.id, role: 'moderator', updatedAt: at(4) });
      expect((await a.account(acc.id))!.role).toBe('moderator');
      expect(await a.setRole('nobody@example.org', 'admin', at(4))).toBeNull();
      expect(await a.setDisplayName('missing', 'x', at(4))).toBeNull();
    });

    it('deletes an account with its sessions, and its address may sign up afresh', async () => {
      const a = opened.accounts;
      const acc = await anAccount(a, 'dee@example.org');
      const session = await aSession(a, acc.id);
      expect(await a.sessionAccount(session, at(1))).not.toBeNull();
      expect(await a.deleteAccount(acc.id)).toBe(true);
      expect(await a.deleteAccount(acc.id)).toBe(false);
      expect(await a.account(acc.id)).toBeNull();
      expect(await a.sessionAccount(session, at(1))).toBeNull();
      expect(await a.endSession(session)).toBe(false);
      const fresh = await a.ensureAccount({ id: 'dee-2', email: 'dee@example.org', displayName: 'Dee', now: at(2) });
      expect(fresh.created).toBe(true);
    });
  });
}
