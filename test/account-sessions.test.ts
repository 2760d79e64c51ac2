/**
 * AccountService keeps the account of a session for a second (decision 043), on every store:
 * repeated requests of one reader read the session once, and what this process changes applies
 * at once (sign out, sign out everywhere, a new name or role, a deleted account), while another
 * node's change applies within the second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, secretHash } from '../src/core/accounts.js';
import type { Sessions } from '../src/ports/sessions.js';
import { AccountService } from '../src/services/account.service.js';
import { signInMail } from '../src/services/sign-in-mail.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import type { OpenedStore } from './support/store-harness.js';

for (const harness of STORE_HARNESSES) {
  describe(`AccountService sessions: ${harness.name}`, () => {
    let opened: OpenedStore;
    const clock = { now: new Date('2026-07-01T08:00:00.000Z') };
    const later = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
    let reads = 0;
    /** a web node on the store: its own service, counting its session reads */
    const node = () => {
      const sessions: Sessions = new Proxy(opened.accounts, {
        get: (target, key) => (key === 'sessionAccount' ? (hash: string, now: string) => (reads++, target.sessionAccount(hash, now)) : Reflect.get(target, key)),
      });
      return new AccountService({
        accounts: opened.accounts, signInTokens: opened.accounts, sessions, accessTokens: opened.accounts, budget: opened.inbox, subscriptions: opened.inbox,
        mailer: null, mail: signInMail({ publicUrl: 'https://papers.example.org', from: 'Paperboy <papers@example.org>' }), now: () => clock.now,
      });
    };
    beforeAll(async () => {
      opened = await harness.open();
    }, 60_000);
    afterAll(async () => {
      await opened?.store.close();
      await opened?.drop();
    });

    /** the account a node's service gives for a session secret */
    const viewer = async (service: AccountService, secret: string) => (await service.session(secret))?.account ?? null;
    /** a new account signed in on `service`: its session secret */
    const signedIn = async (service: AccountService) => {
      const { account } = await opened.accounts.ensureAccount({ id: newId(), email: `reader-${newId()}@example.org`, displayName: 'Reader', now: clock.now.toISOString() });
      return { account, secret: (await service.signInAs(account.id))!.secret };
    };

    it('reads a session once for the requests of the same second, and again after it', async () => {
      const here = node();
      const { account, secret } = await signedIn(here);
      reads = 0;
      const seen = await Promise.all(Array.from({ length: 20 }, () => viewer(here, secret)));
      expect(seen.every((a) => a?.id === account.id)).toBe(true);
      expect(reads).toBe(1);
      later(1_001);
      expect((await viewer(here, secret))?.id).toBe(account.id);
      expect(reads).toBe(2);
    });

    it('gives the session with the hash its CSRF tokens are bound to, and nothing for a secret of the wrong shape', async () => {
      const here = node();
      const { account, secret } = await signedIn(here);
      const session = await here.session(secret);
      expect(session?.account.id).toBe(account.id);
      expect(session?.hash).toBe(secretHash(secret));
      expect(await here.session(`${secret}!`)).toBeNull();
      expect(await here.session('')).toBeNull();
    });

    it('applies this node\'s sign-out, sign-out everywhere, renaming and deletion at once', async () => {
      const here = node();
      const one = await signedIn(here);
      expect((await viewer(here, one.secret))?.id).toBe(one.account.id);
      await here.signOut(one.secret);
      expect(await viewer(here, one.secret)).toBeNull();

      const two = await signedIn(here);
      const otherBrowser = (await here.signInAs(two.account.id))!.secret;
      expect((await viewer(here, otherBrowser))?.id).toBe(two.account.id);
      await here.signOutEverywhere(two.account.id);
      expect(await viewer(here, two.secret)).toBeNull();
      expect(await viewer(here, otherBrowser)).toBeNull();

      const three = await signedIn(here);
      expect((await viewer(here, three.secret))?.displayName).toBe('Reader');
      await here.rename(three.account.id, 'Renamed Reader');
      expect((await viewer(here, three.secret))?.displayName).toBe('Renamed Reader');
      await here.setRole(three.account.email, 'moderator');
      expect((await viewer(here, three.secret))?.role).toBe('moderator');
      await here.deleteAccount(three.account.id);
      expect(await viewer(here, three.secret)).toBeNull();
    });

    it('applies another node\'s sign-out within a second', async () => {
      const here = node();
      const there = node();
      const { account, secret } = await signedIn(there);
      expect((await viewer(here, secret))?.id).toBe(account.id);
      await there.signOutEverywhere(account.id);
      expect(await viewer(there, secret)).toBeNull();
      // kept here for the rest of its second, then asked again
      expect((await viewer(here, secret))?.id).toBe(account.id);
      later(1_001);
      expect(await viewer(here, secret)).toBeNull();
    });

    it('ends a kept session when it expires, whatever was kept', async () => {
      const here = node();
      const { secret } = await signedIn(here);
      expect(await viewer(here, secret)).not.toBeNull();
      later(400 * 86_400_000);
      expect(await viewer(here, secret)).toBeNull();
    });
  });
}
