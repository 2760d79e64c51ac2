/**
 * Passkeys (issue 13, docs/decisions/034): WebAuthn as a second way in, beside the emailed link.
 * A signed-in reader registers a passkey (a discoverable credential, so that signing in needs no
 * address); anybody may then sign in with one, and a verified sign-in starts a session exactly
 * as the emailed link does (AccountService.signInAs). The ceremonies' cryptography is
 * @simplewebauthn/server's; this service keeps the challenges (single-use, expiring, in the
 * database: ports/passkeys.ts), checks that a registration is the signed-in account's own, that
 * a sign-in's credential and user handle agree, and that the signature counter only rises.
 *
 * The relying party is PUBLIC_URL: its host name is the RP ID, its origin the only origin
 * accepted. Errors are PasskeyError, written for the reader; none says whether an address has
 * an account (the sign-in ceremony never asks for one).
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { checkDisplayName, secretHash } from '../core/accounts.js';
import type { Account, Accounts } from '../ports/accounts.js';
import type { Passkey, PasskeyCeremony, Passkeys } from '../ports/passkeys.js';
import { capitalise } from '../core/text.js';

/** A ceremony's challenge works this long: the browser's own prompt times out with it. */
export const PASSKEY_CHALLENGE_TTL_MS = 5 * 60_000;
/** Passkeys one account may hold: a few devices and password managers, few enough to review. */
export const MAX_PASSKEYS = 20;
/** Transports as WebAuthn names them: anything else a browser sends is dropped, not kept. */
const TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
/** A credential id is at most 1023 bytes (WebAuthn §5.8.3): 1364 base64url characters. */
const CREDENTIAL_ID = /^[A-Za-z0-9_-]{1,1364}$/;

export type PasskeyProblem = 'challenge' | 'unknown' | 'failed' | 'duplicate' | 'limit' | 'input';

/** A ceremony or a change that did not work; `message` is for the reader, `problem` for the caller. */
export class PasskeyError extends Error {
  readonly code = 'PASSKEY_REFUSED';
  constructor(
    readonly problem: PasskeyProblem,
    message: string,
  ) {
    super(message);
    this.name = 'PasskeyError';
  }
}

/** A passkey as the profile page and the export show it: never its key. */
export interface PasskeyInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** A session as AccountService starts one (its StartedSession, in the shape this service needs). */
export interface PasskeySession {
  secret: string;
  account: Account;
  expiresAt: Date;
}

export interface PasskeyServiceDeps {
  passkeys: Passkeys;
  accounts: Pick<Accounts, 'account'>;
  /** starts a session for an account a passkey vouched for, as the emailed link does (AccountService.signInAs) */
  signInAs: (accountId: string) => Promise<PasskeySession | null>;
  /** the site's address: its host is the RP ID, its origin the one accepted */
  publicUrl: string;
  now: () => Date;
}

export class PasskeyService {
  readonly rpId: string;
  readonly origin: string;

  constructor(private readonly d: PasskeyServiceDeps) {
    const url = new URL(d.publicUrl);
    this.rpId = url.hostname;
    this.origin = url.origin;
  }

  /** The options for navigator.credentials.create(), for a signed-in account adding a passkey. */
  async registrationOptions(account: Pick<Account, 'id' | 'email' | 'displayName'>): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.d.passkeys.passkeysOf(account.id);
    if (existing.length >= MAX_PASSKEYS) throw tooManyPasskeys();
    const options = await generateRegistrationOptions({
      rpName: 'Paperboy',
      rpID: this.rpId,
      userName: account.email,
      userDisplayName: account.displayName,
      // the user handle the authenticator keeps and gives back at sign-in: the account's opaque id, never the address
      userID: userHandleOf(account.id),
      timeout: PASSKEY_CHALLENGE_TTL_MS,
      attestationType: 'none',
      // the same authenticator twice would be two rows for one key
      excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
      // discoverable, so that signing in needs no address; verified (PIN, biometrics), since the passkey alone lets one in
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    await this.saveChallenge(options.challenge, 'register', account.id);
    return options;
  }

  /** Verifies the browser's answer to registrationOptions and keeps the passkey under `rawName` (a default when empty). */
  async register(accountId: string, rawResponse: unknown, rawName: unknown): Promise<PasskeyInfo> {
    const name = this.passkeyName(rawName);
    const response = credentialOf(rawResponse, 'attestationObject') as RegistrationResponseJSON;
    const now = this.d.now();
    const challenge = { taken: null as boolean | null };
    let info;
    try {
      const verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: async (c) => (challenge.taken = (await this.takeChallenge(c, 'register', now))?.accountId === accountId),
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        requireUserVerification: true,
      });
      if (!verified.verified) throw new Error('the authenticator\'s answer did not verify');
      info = verified.registrationInfo;
    } catch (e) {
      throw ceremonyError(e, challenge.taken);
    }
    const c = info.credential;
    const passkey: Passkey = {
      id: c.id,
      accountId,
      publicKey: Buffer.from(c.publicKey).toString('base64url'),
      counter: c.counter,
      transports: (c.transports ?? []).filter((t) => TRANSPORTS.has(t)),
      name,
      createdAt: now.toISOString(),
      lastUsedAt: null,
    };
    // the cap counted with the write: registrations finishing at once can't both pass it
    const added = await this.d.passkeys.addPasskey(passkey, MAX_PASSKEYS);
    if (added === null) throw tooManyPasskeys();
    if (!added) throw new PasskeyError('duplicate', 'This passkey is registered here already.');
    return infoOf(passkey);
  }

  /**
   * The options for navigator.credentials.get(), for anybody: no allowCredentials (the
   * authenticator offers the discoverable passkeys it holds for this site), so no address is
   * asked for and none is revealed.
   */
  async signInOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const options = await generateAuthenticationOptions({ rpID: this.rpId, timeout: PASSKEY_CHALLENGE_TTL_MS, userVerification: 'required' });
    await this.saveChallenge(options.challenge, 'sign-in', null);
    return options;
  }

  /** Verifies the browser's answer to signInOptions and starts a session for the passkey's account. */
  async signIn(rawResponse: unknown): Promise<PasskeySession> {
    const response = credentialOf(rawResponse, 'authenticatorData') as AuthenticationResponseJSON;
    const now = this.d.now();
    const passkey = await this.d.passkeys.passkey(response.id);
    if (!passkey) {
      // the challenge is used up all the same: an answer is tried once
      await this.takeChallenge(clientChallenge(response), 'sign-in', now);
      throw new PasskeyError('unknown', 'This passkey is not registered on this site (it may have been deleted). Sign in with an emailed link, then add a passkey on your account page.');
    }
    // a user handle, when the authenticator gives one, must be the one registered with this credential
    const handle = response.response.userHandle;
    if (handle !== undefined && handle !== userHandleOf(passkey.accountId, 'base64url')) {
      await this.takeChallenge(clientChallenge(response), 'sign-in', now);
      throw new PasskeyError('failed', 'This passkey\'s answer could not be verified: it names another account than the passkey belongs to.');
    }
    const challenge = { taken: null as boolean | null };
    let newCounter;
    try {
      const verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: async (c) => (challenge.taken = (await this.takeChallenge(c, 'sign-in', now)) !== undefined),
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        credential: { id: passkey.id, publicKey: Buffer.from(passkey.publicKey, 'base64url'), counter: passkey.counter, transports: passkey.transports },
        requireUserVerification: true,
      });
      if (!verified.verified) throw new Error('the signature did not verify');
      newCounter = verified.authenticationInfo.newCounter;
    } catch (e) {
      throw ceremonyError(e, challenge.taken);
    }
    // the library compared the counter with the one read above; this compares it with the one kept, in one statement
    if (!(await this.d.passkeys.recordPasskeyUse(passkey.id, newCounter, now.toISOString())))
      throw new PasskeyError('failed', 'This passkey\'s answer could not be verified: its signature counter did not go up, as happens when a passkey has been copied. Sign in with an emailed link.');
    const session = await this.d.signInAs(passkey.accountId);
    if (!session) throw new PasskeyError('unknown', 'This passkey\'s account no longer exists.');
    return session;
  }

  /** An account's passkeys, oldest first, as the profile page lists them. */
  async passkeysOf(accountId: string): Promise<PasskeyInfo[]> {
    return (await this.d.passkeys.passkeysOf(accountId)).map(infoOf);
  }

  async rename(accountId: string, rawId: unknown, rawName: unknown): Promise<boolean> {
    const name = this.passkeyName(rawName, false);
    return typeof rawId === 'string' && CREDENTIAL_ID.test(rawId) && this.d.passkeys.renamePasskey(accountId, rawId, name);
  }

  async delete(accountId: string, rawId: unknown): Promise<boolean> {
    return typeof rawId === 'string' && CREDENTIAL_ID.test(rawId) && this.d.passkeys.deletePasskey(accountId, rawId);
  }

  /** A passkey's name as kept: checked as a display name is (it is shown on the profile page); empty gives a dated default when allowed. */
  private passkeyName(raw: unknown, defaultWhenEmpty = true): string {
    if (defaultWhenEmpty && (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')))
      return `Passkey added ${this.d.now().toISOString().slice(0, 10)}`;
    const check = checkDisplayName(raw);
    if (!check.ok) throw new PasskeyError('input', `${capitalise(check.problem.replace('the display name', 'the passkey\'s name'))}.`);
    return check.name;
  }

  private async saveChallenge(challenge: string, ceremony: PasskeyCeremony, accountId: string | null): Promise<void> {
    const now = this.d.now();
    await this.d.passkeys.saveChallenge({
      hash: secretHash(challenge),
      ceremony,
      accountId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_TTL_MS).toISOString(),
    });
    // forgetting expired challenges now and then, on the path that makes them
    if (Math.random() < 0.05) await this.d.passkeys.pruneChallenges(now.toISOString());
  }

  private takeChallenge(challenge: string, ceremony: PasskeyCeremony, now: Date): Promise<{ accountId: string | null } | undefined> {
    return this.d.passkeys.takeChallenge(secretHash(challenge), ceremony, now.toISOString());
  }
}

/** The WebAuthn user handle of an account: its id's bytes (opaque and random, never the address). */
function userHandleOf(accountId: string): Uint8Array<ArrayBuffer>;
function userHandleOf(accountId: string, as: 'base64url'): string;
function userHandleOf(accountId: string, as?: 'base64url'): Uint8Array<ArrayBuffer> | string {
  const bytes = Buffer.from(accountId, 'utf8');
  return as ? bytes.toString('base64url') : new Uint8Array(bytes);
}

/** The credential the browser sent, in the shape the library reads, or a PasskeyError naming what is wrong. */
function credentialOf(raw: unknown, part: 'attestationObject' | 'authenticatorData'): unknown {
  const bad = (what: string) => new PasskeyError('input', `The browser's answer is not a passkey's: ${what}.`);
  if (!raw || typeof raw !== 'object') throw bad('it is missing');
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || !CREDENTIAL_ID.test(r.id)) throw bad('its id is missing or not base64url');
  if (r.rawId !== r.id) throw bad('its rawId differs from its id');
  if (r.type !== 'public-key') throw bad('its type is not public-key');
  const response = r.response as Record<string, unknown> | undefined;
  if (!response || typeof response !== 'object' || typeof response.clientDataJSON !== 'string' || typeof response[part] !== 'string')
    throw bad(`its response lacks clientDataJSON or ${part}`);
  if (typeof r.clientExtensionResults !== 'object' || r.clientExtensionResults === null) r.clientExtensionResults = {};
  return r;
}

/** The challenge the client data says it answers (to use it up when the answer is refused before verifying). */
function clientChallenge(response: AuthenticationResponseJSON): string {
  try {
    const data = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' ? data.challenge : '';
  } catch {
    return '';
  }
}

/** What the reader is told when the library refused an answer. */
function ceremonyError(e: unknown, challengeTaken: boolean | null): PasskeyError {
  if (e instanceof PasskeyError) return e;
  if (challengeTaken === false) return new PasskeyError('challenge', 'This passkey attempt has expired or was used already. Try again.');
  const why = e instanceof Error ? e.message : String(e);
  return new PasskeyError('failed', `The passkey's answer could not be verified (${why.slice(0, 300)}). Try again.`);
}

function infoOf(p: Passkey): PasskeyInfo {
  return { id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt };
}

function tooManyPasskeys(): PasskeyError {
  return new PasskeyError('limit', `An account holds at most ${MAX_PASSKEYS} passkeys: delete one first.`);
}
