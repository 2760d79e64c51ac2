/**
 * The AccessTokens contract (issue 13): a token names its account by its hash until revoked; an
 * account lists and revokes only its own; deleting the account takes its tokens. Run on every store adapter.
 */
import { describe, expect, it } from 'vitest';
import { newSecret, secretHash } from '../../src/core/accounts.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { anAccount, at, otherAccounts } from './account-fixtures.js';
import { storePerTest } from './store-per-test.js';

export function accessTokensContract(harness: StoreHarness): void {
  describe(`AccessTokens contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    storePerTest(harness, (o) => {
      opened = o;
    });

    it('finds the account by the hash of a token, lists tokens oldest first without hashes, revokes only its own', async () => {
      const t = opened.accounts;
      const ann = await anAccount(t, 'ann@example.org');
      const bob = await anAccount(t, 'bob@example.org');
      const [h1, h2] = [secretHash(newSecret()), secretHash(newSecret())];
      await t.createAccessToken({ id: 'tok-1', accountId: ann.id, name: 'script <1>', hash: h1, createdAt: at(1) });
      await t.createAccessToken({ id: 'tok-2', accountId: ann.id, name: 'laptop', hash: h2, createdAt: at(2) });
      expect(await t.accessTokenAccount(h1)).toEqual(ann);
      expect(await (await otherAccounts(opened)).accessTokenAccount(h2)).toEqual(ann);
      expect(await t.accessTokenAccount(secretHash('forged'))).toBeNull();
      expect(await t.accessTokensOf(ann.id)).toEqual([
        { id: 'tok-1', accountId: ann.id, name: 'script <1>', createdAt: at(1) },
        { id: 'tok-2', accountId: ann.id, name: 'laptop', createdAt: at(2) },
      ]);
      expect(await t.revokeAccessToken(bob.id, 'tok-1')).toBe(false);
      expect(await t.accessTokenAccount(h1)).toEqual(ann);
      expect(await t.revokeAccessToken(ann.id, 'tok-1')).toBe(true);
      expect(await t.revokeAccessToken(ann.id, 'tok-1')).toBe(false);
      expect(await t.accessTokenAccount(h1)).toBeNull();
      expect((await t.accessTokensOf(ann.id)).map((x) => x.id)).toEqual(['tok-2']);
    });

    it('keeps a cap counted with the write: of tokens made at once across handles, only those under it are kept', async () => {
      const t = opened.accounts;
      const ann = await anAccount(t, 'ann@example.org');
      const bob = await anAccount(t, 'bob@example.org');
      const token = (accountId: string, id: string) => ({ id, accountId, name: id, hash: secretHash(newSecret()), createdAt: at(1) });
      expect(await t.createAccessToken(token(ann.id, 'cap-0'), 3)).toBe(true);
      const handles = [t, await otherAccounts(opened)];
      const made = await Promise.all([1, 2, 3, 4].map((i) => handles[i % 2]!.createAccessToken(token(ann.id, `cap-${i}`), 3)));
      expect(made.filter(Boolean)).toHaveLength(2);
      expect(await t.accessTokensOf(ann.id)).toHaveLength(3);
      expect(await t.createAccessToken(token(ann.id, 'cap-5'), 3)).toBe(false);
      expect(await t.createAccessToken(token(bob.id, 'cap-6'), 3)).toBe(true);
      expect(await t.createAccessToken(token(ann.id, 'cap-7'))).toBe(true); // no cap given: not counted
    });

    it('refuses a second token with the same hash, and forgets the tokens of a deleted account', async () => {
      const t = opened.accounts;
      const ann = await anAccount(t, 'ann@example.org');
      const hash = secretHash(newSecret());
      await t.createAccessToken({ id: 'a', accountId: ann.id, name: 'one', hash, createdAt: at(1) });
      await expect(t.createAccessToken({ id: 'b', accountId: ann.id, name: 'two', hash, createdAt: at(1) })).rejects.toThrow();
      await t.deleteAccount(ann.id);
      expect(await t.accessTokenAccount(hash)).toBeNull();
      expect(await t.accessTokensOf(ann.id)).toEqual([]);
    });
  });
}
