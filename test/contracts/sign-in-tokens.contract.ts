/**
 * The SignInTokens contract (issue 13): a token signs in once, before its expiry, and only by its
 * hash; of concurrent redeems exactly one wins. Run on every store adapter.
 */
import { describe, expect, it } from 'vitest';
import { newSecret, secretHash } from '../../src/core/accounts.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { at, otherAccounts } from './account-fixtures.js';
import { storePerTest } from './store-per-test.js';

export function signInTokensContract(harness: StoreHarness): void {
  describe(`SignInTokens contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    storePerTest(harness, (o) => {
      opened = o;
    });

    const save = async (email: string, expiresAt = at(15)) => {
      const hash = secretHash(newSecret());
      await opened.accounts.saveSignInToken({ hash, email, createdAt: at(0), expiresAt });
      return hash;
    };

    it('gives the address once, and never again', async () => {
      const t = opened.accounts;
      const hash = await save('ann@example.org');
      expect(await t.redeemSignInToken(hash, at(1))).toBe('ann@example.org');
      expect(await t.redeemSignInToken(hash, at(2))).toBeNull();
      expect(await t.redeemSignInToken(secretHash('not a token'), at(1))).toBeNull();
    });

    it('refuses a token at or after its expiry', async () => {
      const hash = await save('bob@example.org', at(15));
      expect(await opened.accounts.redeemSignInToken(hash, at(15))).toBeNull();
      expect(await opened.accounts.redeemSignInToken(hash, at(16))).toBeNull();
      const fresh = await save('bob@example.org', at(15));
      expect(await opened.accounts.redeemSignInToken(fresh, at(14))).toBe('bob@example.org');
    });

    it('lets exactly one of concurrent redeems through, across handles', async () => {
      const other = await otherAccounts(opened);
      const hash = await save('race@example.org');
      const got = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? other : opened.accounts).redeemSignInToken(hash, at(1))));
      expect(got.filter((e) => e !== null)).toEqual(['race@example.org']);
    });

    it('prunes the tokens that expired', async () => {
      const old = await save('old@example.org', at(10));
      const live = await save('live@example.org', at(100));
      expect(await opened.accounts.pruneSignInTokens(at(50))).toBe(1);
      expect(await opened.accounts.redeemSignInToken(old, at(5))).toBeNull();
      expect(await opened.accounts.redeemSignInToken(live, at(60))).toBe('live@example.org');
    });
  });
}
