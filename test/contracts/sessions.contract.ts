/**
 * The Sessions contract (issue 13): a session names its account until it expires or is ended;
 * ending all of an account's sessions may keep the current one. Run on every store adapter.
 */
import { describe, expect, it } from 'vitest';
import { secretHash } from '../../src/core/accounts.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { aSession, anAccount, at, otherAccounts } from './account-fixtures.js';
import { storePerTest } from './store-per-test.js';

export function sessionsContract(harness: StoreHarness): void {
  describe(`Sessions contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    storePerTest(harness, (o) => {
      opened = o;
    });

    it('gives the account of a live session, on every handle, and nothing once it expired', async () => {
      const s = opened.accounts;
      const acc = await anAccount(s, 'ann@example.org');
      const hash = await aSession(s, acc.id, { expiresAt: at(30) });
      expect(await s.sessionAccount(hash, at(29))).toEqual(acc);
      expect(await (await otherAccounts(opened)).sessionAccount(hash, at(29))).toEqual(acc);
      expect(await s.sessionAccount(hash, at(30))).toBeNull();
      expect(await s.sessionAccount(secretHash('forged'), at(1))).toBeNull();
    });

    it('sees the account as it is now (a new role shows at once)', async () => {
      const s = opened.accounts;
      const acc = await anAccount(s, 'mod@example.org');
      const hash = await aSession(s, acc.id);
      await s.setRole(acc.email, 'moderator', at(1));
      expect((await s.sessionAccount(hash, at(2)))!.role).toBe('moderator');
    });

    it('ends one session, or every other session of the account, or all of them', async () => {
      const s = opened.accounts;
      const ann = await anAccount(s, 'ann@example.org');
      const bob = await anAccount(s, 'bob@example.org');
      const [a1, a2, a3] = [await aSession(s, ann.id), await aSession(s, ann.id), await aSession(s, ann.id)];
      const b1 = await aSession(s, bob.id);
      expect(await s.endSession(a1)).toBe(true);
      expect(await s.endSession(a1)).toBe(false);
      expect(await s.sessionAccount(a1, at(1))).toBeNull();
      expect(await s.endSessionsOf(ann.id, a3)).toBe(1);
      expect(await s.sessionAccount(a2, at(1))).toBeNull();
      expect(await s.sessionAccount(a3, at(1))).toEqual(ann);
      expect(await s.endSessionsOf(ann.id, null)).toBe(1);
      expect(await s.sessionAccount(a3, at(1))).toBeNull();
      expect(await s.sessionAccount(b1, at(1))).toEqual(bob);
    });

    it('prunes the sessions that expired', async () => {
      const s = opened.accounts;
      const acc = await anAccount(s, 'old@example.org');
      await aSession(s, acc.id, { expiresAt: at(10) });
      const live = await aSession(s, acc.id, { expiresAt: at(100) });
      expect(await s.pruneSessions(at(50))).toBe(1);
      expect(await s.sessionAccount(live, at(60))).toEqual(acc);
    });
  });
}
