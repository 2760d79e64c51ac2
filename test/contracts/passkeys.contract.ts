/**
 * The Passkeys contract (issue 13, decision 034): a passkey is found by its credential id on
 * every handle, listed, renamed and deleted only by its account, and gone with the account; its
 * counter only rises; a challenge is taken once, for its ceremony, before it expires, and
 * concurrent takes give it to one caller. Run on every store adapter.
 */
import { describe, expect, it } from 'vitest';
import { newSecret, secretHash } from '../../src/core/accounts.js';
import type { Passkey, Passkeys } from '../../src/ports/passkeys.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { anAccount, at } from './account-fixtures.js';
import { storePerTest } from './store-per-test.js';

const key = (accountId: string, id: string, o: Partial<Passkey> = {}): Passkey => ({
  id,
  accountId,
  publicKey: 'pQECAyYgASFYIPublicKeyBytes',
  counter: 0,
  transports: ['internal', 'hybrid'],
  name: 'Laptop <b>',
  createdAt: at(1),
  lastUsedAt: null,
  ...o,
});

export function passkeysContract(harness: StoreHarness): void {
  describe(`Passkeys contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    storePerTest(harness, (o) => {
      opened = o;
    });
    /** the passkeys of a second handle on the same database */
    const other = async (): Promise<Passkeys> => {
      const db = await opened.reopenDatabase();
      await db.store.migrate();
      return db.passkeys;
    };

    it('keeps a passkey as given, finds it by credential id on every handle, lists an account\'s oldest first', async () => {
      const p = opened.passkeys;
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      const bob = await anAccount(opened.accounts, 'bob@example.org');
      const first = key(ann.id, 'cred-A_1', { createdAt: at(2) });
      const second = key(ann.id, 'cred-a_1', { createdAt: at(3), transports: [], counter: 7 });
      expect(await p.addPasskey(second)).toBe(true);
      expect(await p.addPasskey(first)).toBe(true);
      expect(await p.addPasskey(key(bob.id, 'cred-B'))).toBe(true);
      expect(await p.passkey('cred-A_1')).toEqual(first);
      // ids are compared exactly (base64url is case-sensitive)
      expect(await (await other()).passkey('cred-a_1')).toEqual(second);
      expect(await p.passkey('cred-none')).toBeNull();
      expect(await p.passkeysOf(ann.id)).toEqual([first, second]);
      expect(await p.passkeysOf('nobody')).toEqual([]);
    });

    it('refuses a credential id registered already, to this account or another', async () => {
      const p = opened.passkeys;
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      const bob = await anAccount(opened.accounts, 'bob@example.org');
      expect(await p.addPasskey(key(ann.id, 'cred-1'))).toBe(true);
      expect(await p.addPasskey(key(bob.id, 'cred-1', { name: 'stolen' }))).toBe(false);
      expect(await p.addPasskey(key(ann.id, 'cred-1', { name: 'again' }))).toBe(false);
      expect(await p.passkey('cred-1')).toMatchObject({ accountId: ann.id, name: 'Laptop <b>' });
    });

    it('keeps a cap counted with the write: of registrations at once across handles, only those under it are kept', async () => {
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      const bob = await anAccount(opened.accounts, 'bob@example.org');
      expect(await opened.passkeys.addPasskey(key(ann.id, 'cred-0'), 3)).toBe(true);
      const handles = [opened.passkeys, await other()];
      const added = await Promise.all([1, 2, 3, 4].map((i) => handles[i % 2]!.addPasskey(key(ann.id, `cred-${i}`), 3)));
      expect(added.filter((a) => a === true)).toHaveLength(2);
      expect(added.filter((a) => a === null)).toHaveLength(2);
      expect(await opened.passkeys.passkeysOf(ann.id)).toHaveLength(3);
      // at the cap, even a credential registered already is refused for the cap; another account has its own
      expect(await opened.passkeys.addPasskey(key(ann.id, 'cred-0'), 3)).toBeNull();
      expect(await opened.passkeys.addPasskey(key(bob.id, 'cred-9'), 3)).toBe(true);
    });

    it('raises the counter only upwards (0 stays allowed for authenticators without one), recording the use', async () => {
      const p = opened.passkeys;
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      await p.addPasskey(key(ann.id, 'counted', { counter: 5 }));
      await p.addPasskey(key(ann.id, 'uncounted', { counter: 0 }));
      expect(await p.recordPasskeyUse('counted', 5, at(10))).toBe(false);
      expect(await p.recordPasskeyUse('counted', 4, at(10))).toBe(false);
      expect(await p.passkey('counted')).toMatchObject({ counter: 5, lastUsedAt: null });
      expect(await p.recordPasskeyUse('counted', 6, at(11))).toBe(true);
      expect(await p.passkey('counted')).toMatchObject({ counter: 6, lastUsedAt: at(11) });
      expect(await p.recordPasskeyUse('uncounted', 0, at(12))).toBe(true);
      expect(await p.recordPasskeyUse('uncounted', 0, at(13))).toBe(true);
      expect(await p.passkey('uncounted')).toMatchObject({ counter: 0, lastUsedAt: at(13) });
      // once an authenticator counted, 0 is a clone's or a reset's answer
      expect(await p.recordPasskeyUse('uncounted', 3, at(14))).toBe(true);
      expect(await p.recordPasskeyUse('uncounted', 0, at(15))).toBe(false);
      expect(await p.recordPasskeyUse('nothing', 9, at(15))).toBe(false);
      // a counter as large as an authenticator may send (32 bits)
      expect(await p.recordPasskeyUse('counted', 4_294_967_295, at(16))).toBe(true);
      expect((await p.passkey('counted'))!.counter).toBe(4_294_967_295);
    });

    it('lets two concurrent uses with the same counter through once', async () => {
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      await opened.passkeys.addPasskey(key(ann.id, 'cloned', { counter: 1 }));
      const results = await Promise.all([opened.passkeys.recordPasskeyUse('cloned', 2, at(5)), (await other()).recordPasskeyUse('cloned', 2, at(5))]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('renames and deletes only the account\'s own passkeys; deleting the account deletes them', async () => {
      const p = opened.passkeys;
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      const bob = await anAccount(opened.accounts, 'bob@example.org');
      await p.addPasskey(key(ann.id, 'ann-1'));
      await p.addPasskey(key(ann.id, 'ann-2'));
      await p.addPasskey(key(bob.id, 'bob-1'));
      expect(await p.renamePasskey(bob.id, 'ann-1', 'mine now')).toBe(false);
      expect(await p.renamePasskey(ann.id, 'ann-1', 'Phone')).toBe(true);
      expect((await p.passkey('ann-1'))!.name).toBe('Phone');
      expect(await p.deletePasskey(bob.id, 'ann-2')).toBe(false);
      expect(await p.deletePasskey(ann.id, 'ann-2')).toBe(true);
      expect(await p.deletePasskey(ann.id, 'ann-2')).toBe(false);
      expect((await p.passkeysOf(ann.id)).map((k) => k.id)).toEqual(['ann-1']);
      await p.saveChallenge({ hash: secretHash('reg'), ceremony: 'register', accountId: ann.id, createdAt: at(0), expiresAt: at(5) });
      expect(await opened.accounts.deleteAccount(ann.id)).toBe(true);
      expect(await p.passkey('ann-1')).toBeNull();
      expect(await p.passkeysOf(ann.id)).toEqual([]);
      expect(await p.takeChallenge(secretHash('reg'), 'register', at(1))).toBeUndefined();
      expect(await p.passkey('bob-1')).not.toBeNull();
    });

    it('takes a challenge once, for its ceremony, before it expires, on any handle', async () => {
      const p = opened.passkeys;
      const ann = await anAccount(opened.accounts, 'ann@example.org');
      const [reg, signIn, late, wrong] = [newSecret(), newSecret(), newSecret(), newSecret()].map(secretHash) as [string, string, string, string];
      await p.saveChallenge({ hash: reg, ceremony: 'register', accountId: ann.id, createdAt: at(0), expiresAt: at(5) });
      await p.saveChallenge({ hash: signIn, ceremony: 'sign-in', accountId: null, createdAt: at(0), expiresAt: at(5) });
      await p.saveChallenge({ hash: late, ceremony: 'sign-in', accountId: null, createdAt: at(0), expiresAt: at(5) });
      await p.saveChallenge({ hash: wrong, ceremony: 'sign-in', accountId: null, createdAt: at(0), expiresAt: at(5) });
      expect(await (await other()).takeChallenge(reg, 'register', at(4))).toEqual({ accountId: ann.id });
      expect(await p.takeChallenge(reg, 'register', at(4))).toBeUndefined();
      expect(await p.takeChallenge(signIn, 'sign-in', at(1))).toEqual({ accountId: null });
      expect(await p.takeChallenge(late, 'sign-in', at(5))).toBeUndefined();
      // a challenge shown for the other ceremony is used up by the attempt all the same
      expect(await p.takeChallenge(wrong, 'register', at(1))).toBeUndefined();
      expect(await p.takeChallenge(wrong, 'sign-in', at(1))).toBeUndefined();
      expect(await p.takeChallenge(secretHash('never handed out'), 'sign-in', at(1))).toBeUndefined();
    });

    it('gives a challenge to exactly one of concurrent takes, across handles', async () => {
      const hash = secretHash(newSecret());
      await opened.passkeys.saveChallenge({ hash, ceremony: 'sign-in', accountId: null, createdAt: at(0), expiresAt: at(5) });
      const handles = [opened.passkeys, await other(), await other()];
      const taken = await Promise.all(handles.flatMap((h) => [h.takeChallenge(hash, 'sign-in', at(1)), h.takeChallenge(hash, 'sign-in', at(1))]));
      expect(taken.filter((t) => t !== undefined)).toEqual([{ accountId: null }]);
    });

    it('prunes the challenges that expired', async () => {
      const p = opened.passkeys;
      const [old, live] = [secretHash('old'), secretHash('live')];
      await p.saveChallenge({ hash: old, ceremony: 'sign-in', accountId: null, createdAt: at(0), expiresAt: at(5) });
      await p.saveChallenge({ hash: live, ceremony: 'sign-in', accountId: null, createdAt: at(0), expiresAt: at(50) });
      expect(await p.pruneChallenges(at(10))).toBe(1);
      expect(await p.takeChallenge(live, 'sign-in', at(11))).toEqual({ accountId: null });
    });
  });
}
