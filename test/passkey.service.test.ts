/**
 * PasskeyService on every store, with real WebAuthn answers from a software authenticator
 * (test/support/soft-authenticator.ts) checked by @simplewebauthn/server: registering for the
 * signed-in account, signing in without an address (a new session, as the emailed link starts),
 * and every refusal a ceremony can meet: a challenge reused, expired, another account's or the
 * other ceremony's; another origin or RP ID; no user verification; an unknown or another
 * account's credential; a counter that went backwards. Rename, delete, export and account deletion.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newId, secretHash } from '../src/core/accounts.js';
import type { Account } from '../src/ports/accounts.js';
import { AccountService } from '../src/services/account.service.js';
import { PASSKEY_CHALLENGE_TTL_MS, PasskeyService } from '../src/services/passkey.service.js';
import { signInMail } from '../src/services/sign-in-mail.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';
import type { OpenedStore } from './support/store-harness.js';

const PUBLIC_URL = 'https://papers.example.org';

for (const harness of STORE_HARNESSES) {
  describe(`PasskeyService: ${harness.name}`, () => {
    let opened: OpenedStore;
    let accounts: AccountService;
    let service: PasskeyService;
    const clock = { now: new Date('2026-07-01T08:00:00.000Z') };
    const later = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
    beforeAll(async () => {
      opened = await harness.open();
      accounts = new AccountService({
        accounts: opened.accounts,
        signInTokens: opened.accounts,
        sessions: opened.accounts,
        accessTokens: opened.accounts,
        budget: opened.inbox,
        subscriptions: opened.inbox,
        mailer: null,
        mail: signInMail({ publicUrl: PUBLIC_URL, from: 'Paperboy <papers@example.org>' }),
        now: () => clock.now,
        passkeys: opened.passkeys,
      });
      service = new PasskeyService({ passkeys: opened.passkeys, accounts: opened.accounts, signInAs: (id) => accounts.signInAs(id), publicUrl: PUBLIC_URL, now: () => clock.now });
    }, 60_000);
    afterAll(async () => {
      await opened?.store.close();
      await opened?.drop();
    });

    let ann: Account;
    let bob: Account;
    beforeEach(async () => {
      const n = newId();
      ann = (await opened.accounts.ensureAccount({ id: newId(), email: `ann-${n}@example.org`, displayName: 'Ann', now: clock.now.toISOString() })).account;
      bob = (await opened.accounts.ensureAccount({ id: newId(), email: `bob-${n}@example.org`, displayName: 'Bob', now: clock.now.toISOString() })).account;
    });

    /** a passkey registered for `account` on a new software authenticator */
    const registered = async (account: Account, o: ConstructorParameters<typeof SoftAuthenticator>[0] = {}, name: unknown = 'Laptop') => {
      const device = new SoftAuthenticator(o);
      await service.register(account.id, device.create(await service.registrationOptions(account)), name);
      return device;
    };

    it('registers a discoverable, verified passkey for the account and signs in with it without an address', async () => {
      const options = await service.registrationOptions(ann);
      expect(options.rp).toEqual({ name: 'Paperboy', id: 'papers.example.org' });
      // the user handle is the account's opaque id, never its address
      expect(options.user).toEqual({ id: Buffer.from(ann.id).toString('base64url'), name: ann.email, displayName: 'Ann' });
      expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
      expect(options.excludeCredentials).toEqual([]);
      const device = new SoftAuthenticator();
      const info = await service.register(ann.id, device.create(options), '  My   laptop ');
      expect(info).toEqual({ id: device.id, name: 'My laptop', createdAt: clock.now.toISOString(), lastUsedAt: null });
      expect(await opened.passkeys.passkey(device.id)).toMatchObject({ accountId: ann.id, counter: 0, transports: ['internal'] });
      // the next registration leaves this authenticator out
      expect((await service.registrationOptions(ann)).excludeCredentials).toEqual([{ id: device.id, type: 'public-key', transports: ['internal'] }]);

      later(60_000);
      const signInOptions = await service.signInOptions();
      expect(signInOptions.rpId).toBe('papers.example.org');
      expect(signInOptions.allowCredentials).toBeUndefined();
      expect(signInOptions.userVerification).toBe('required');
      const session = await service.signIn(device.get(signInOptions));
      expect(session.account).toEqual(ann);
      expect(await opened.accounts.sessionAccount(secretHash(session.secret), clock.now.toISOString())).toEqual(ann);
      expect(await opened.passkeys.passkey(device.id)).toMatchObject({ counter: 1, lastUsedAt: clock.now.toISOString() });
      // a second sign-in is a second session, with its own secret
      const again = await service.signIn(device.get(await service.signInOptions()));
      expect(again.secret).not.toBe(session.secret);
      expect((await service.passkeysOf(ann.id)).map((p) => p.name)).toEqual(['My laptop']);
    });

    it('gives a passkey a dated name when none is given, and refuses a name with control characters', async () => {
      await registered(ann, {}, '');
      expect((await service.passkeysOf(ann.id))[0]!.name).toBe(`Passkey added ${clock.now.toISOString().slice(0, 10)}`);
      const device = new SoftAuthenticator();
      const options = await service.registrationOptions(ann);
      await expect(service.register(ann.id, device.create(options), 'a\u202Eb')).rejects.toMatchObject({ problem: 'input', message: expect.stringMatching(/the passkey's name holds an invisible or control character \(U\+202E\) at position 2/i) });
    });

    it('refuses a registration whose challenge is reused, expired, another account\'s or the sign-in\'s', async () => {
      const device = new SoftAuthenticator();
      const options = await service.registrationOptions(ann);
      const answer = device.create(options);
      await service.register(ann.id, answer, 'one');
      await expect(service.register(ann.id, answer, 'again')).rejects.toMatchObject({ problem: 'challenge', message: 'This passkey attempt has expired or was used already. Try again.' });

      const forAnn = await service.registrationOptions(ann);
      await expect(service.register(bob.id, new SoftAuthenticator().create(forAnn), 'x')).rejects.toMatchObject({ problem: 'challenge' });
      // used up by that attempt: not even ann can use it now
      await expect(service.register(ann.id, new SoftAuthenticator().create(forAnn), 'x')).rejects.toMatchObject({ problem: 'challenge' });

      const stale = await service.registrationOptions(ann);
      later(PASSKEY_CHALLENGE_TTL_MS);
      await expect(service.register(ann.id, new SoftAuthenticator().create(stale), 'x')).rejects.toMatchObject({ problem: 'challenge' });

      const signIn = await service.signInOptions();
      await expect(service.register(ann.id, new SoftAuthenticator().create({ ...signIn, rp: { id: 'papers.example.org' } }), 'x')).rejects.toMatchObject({ problem: 'challenge' });
      expect((await service.passkeysOf(ann.id)).map((p) => p.name)).toEqual(['one']);
      expect(await service.passkeysOf(bob.id)).toEqual([]);
    });

    it('refuses an answer made for another origin or RP ID, or without user verification, naming why', async () => {
      const phished = await service.registrationOptions(ann);
      await expect(service.register(ann.id, new SoftAuthenticator({ origin: 'https://papers.example.org.evil.test' }).create(phished), 'x')).rejects.toMatchObject({
        problem: 'failed',
        message: expect.stringContaining('origin'),
      });
      const otherRp = await service.registrationOptions(ann);
      await expect(service.register(ann.id, new SoftAuthenticator({ origin: PUBLIC_URL }).create({ ...otherRp, rp: { id: 'evil.test' } }), 'x')).rejects.toMatchObject({
        problem: 'failed',
        message: expect.stringMatching(/RP ID/i),
      });
      const unverified = await service.registrationOptions(ann);
      await expect(service.register(ann.id, new SoftAuthenticator({ userVerified: false }).create(unverified), 'x')).rejects.toMatchObject({
        problem: 'failed',
        message: expect.stringMatching(/user could not be verified/i),
      });
      expect(await service.passkeysOf(ann.id)).toEqual([]);

      const device = await registered(ann);
      const options = await service.signInOptions();
      await expect(service.signIn(device.get(options, { origin: 'https://evil.test' }))).rejects.toMatchObject({ problem: 'failed', message: expect.stringContaining('origin') });
      // the refused answer used its challenge up
      await expect(service.signIn(device.get(options))).rejects.toMatchObject({ problem: 'challenge' });
    });

    it('refuses a garbled answer, naming the part', async () => {
      await expect(service.signIn(null)).rejects.toMatchObject({ problem: 'input', message: "The browser's answer is not a passkey's: it is missing." });
      await expect(service.signIn({ id: 'a b', rawId: 'a b', type: 'public-key', response: {} })).rejects.toMatchObject({ message: expect.stringContaining('its id is missing or not base64url') });
      await expect(service.register(ann.id, { id: 'abc', rawId: 'abc', type: 'public-key', response: { clientDataJSON: 'x' } }, 'x')).rejects.toMatchObject({
        message: expect.stringContaining('lacks clientDataJSON or attestationObject'),
      });
    });

    it('signs in once per challenge, with a known passkey whose user handle is its own and whose counter rose', async () => {
      const device = await registered(ann);
      const options = await service.signInOptions();
      const answer = device.get(options);
      await service.signIn(answer);
      await expect(service.signIn(answer)).rejects.toMatchObject({ problem: 'challenge', message: 'This passkey attempt has expired or was used already. Try again.' });

      const stale = await service.signInOptions();
      later(PASSKEY_CHALLENGE_TTL_MS + 1);
      await expect(service.signIn(device.get(stale))).rejects.toMatchObject({ problem: 'challenge' });

      const regChallenge = await service.registrationOptions(ann);
      await expect(service.signIn(device.get({ challenge: regChallenge.challenge, rpId: 'papers.example.org' }))).rejects.toMatchObject({ problem: 'challenge' });

      // a passkey nobody registered here (or one deleted): said plainly, and the challenge is used up
      const stranger = new SoftAuthenticator();
      stranger.create(await service.registrationOptions(bob));
      const forStranger = await service.signInOptions();
      await expect(service.signIn(stranger.get(forStranger))).rejects.toMatchObject({ problem: 'unknown', message: expect.stringContaining('not registered on this site') });
      await expect(service.signIn(device.get(forStranger))).rejects.toMatchObject({ problem: 'challenge' });

      // a user handle that names another account than the credential's
      await expect(service.signIn(device.get(await service.signInOptions(), { userHandle: Buffer.from(bob.id).toString('base64url') }))).rejects.toMatchObject({
        problem: 'failed',
        message: expect.stringContaining('names another account'),
      });

      // a copy of the authenticator whose counter is behind the kept one
      const kept = (await opened.passkeys.passkey(device.id))!.counter;
      device.counter = kept - 1;
      await expect(service.signIn(device.get(await service.signInOptions()))).rejects.toMatchObject({ problem: 'failed', message: expect.stringMatching(/counter/i) });
      expect((await opened.passkeys.passkey(device.id))!.counter).toBe(kept);
      device.counter = kept + 5;
      expect((await service.signIn(device.get(await service.signInOptions()))).account.id).toBe(ann.id);
      expect((await opened.passkeys.passkey(device.id))!.counter).toBe(kept + 6);
    });

    it('signs in again and again with an authenticator that keeps no counter', async () => {
      const device = await registered(ann, { counter: 0 });
      for (let i = 0; i < 3; i++) expect((await service.signIn(device.get(await service.signInOptions()))).account.id).toBe(ann.id);
      expect((await opened.passkeys.passkey(device.id))!.counter).toBe(0);
    });

    it('refuses the same authenticator twice and a 21st passkey', async () => {
      const device = await registered(ann);
      await expect(service.register(ann.id, device.create(await service.registrationOptions(ann)), 'again')).rejects.toMatchObject({ problem: 'duplicate' });
      await expect(service.register(bob.id, device.create(await service.registrationOptions(bob)), 'bob')).rejects.toMatchObject({ problem: 'duplicate' });
      for (let i = 1; i < 20; i++) await registered(ann);
      await expect(service.registrationOptions(ann)).rejects.toMatchObject({ problem: 'limit', message: 'An account holds at most 20 passkeys: delete one first.' });
    });

    it('renames and deletes only the account\'s own; a deleted passkey signs nobody in; the export lists names and dates, never keys', async () => {
      const device = await registered(ann, {}, 'Phone');
      expect(await service.rename(bob.id, device.id, 'mine')).toBe(false);
      await expect(service.rename(ann.id, device.id, '')).rejects.toMatchObject({ problem: 'input', message: "The passkey's name is empty." });
      expect(await service.rename(ann.id, device.id, 'Work phone')).toBe(true);
      const signedIn = await service.signIn(device.get(await service.signInOptions()));
      const exported = (await accounts.exportData(ann.id))!;
      expect(exported.passkeys).toEqual([{ name: 'Work phone', createdAt: clock.now.toISOString(), lastUsedAt: clock.now.toISOString() }]);
      expect(JSON.stringify(exported)).not.toContain(device.id);
      expect(JSON.stringify(exported)).not.toContain((await opened.passkeys.passkey(device.id))!.publicKey);
      expect(signedIn.account.id).toBe(ann.id);

      expect(await service.delete(bob.id, device.id)).toBe(false);
      expect(await service.delete(ann.id, device.id)).toBe(true);
      await expect(service.signIn(device.get(await service.signInOptions()))).rejects.toMatchObject({ problem: 'unknown' });
      expect(await service.delete(ann.id, 'not an id')).toBe(false);
    });

    it('deletes the passkeys with the account; its passkey then signs nobody in', async () => {
      const device = await registered(ann);
      expect(await accounts.deleteAccount(ann.id)).toBe(true);
      expect(await opened.passkeys.passkey(device.id)).toBeNull();
      await expect(service.signIn(device.get(await service.signInOptions()))).rejects.toMatchObject({ problem: 'unknown' });
    });
  });
}
