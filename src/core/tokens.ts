/**
 * Signed, expiring link tokens (issue 11): what the confirm, preferences and unsubscribe links
 * carry instead of an account. A token names a subscription and an expiry, and is signed with
 * HMAC-SHA256 over (purpose, subscription, expiry) with the key from SigningKeys (or
 * PAPERBOY_SECRET). The purpose is signed but not written: a token made for 'manage' fails as
 * 'unsubscribe' or 'confirm', and the URL stays short. Pure (node:crypto, no I/O).
 *
 * Form: `<subscription id, base64url>.<expiry, Unix seconds, base36>.<MAC, base64url>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'confirm' | 'manage' | 'unsubscribe';
export const TOKEN_PURPOSES: readonly TokenPurpose[] = ['confirm', 'manage', 'unsubscribe'];

const DAY_MS = 86_400_000;

/**
 * How long each kind of link works: a confirmation is for now (and unconfirmed subscriptions
 * expire anyway); the preferences and unsubscribe links sit in old emails, and List-Unsubscribe
 * must keep working for as long as a reader may find an old digest in the inbox.
 */
export const TOKEN_LIFETIME_MS: Readonly<Record<TokenPurpose, number>> = {
  confirm: 7 * DAY_MS,
  manage: 400 * DAY_MS,
  unsubscribe: 400 * DAY_MS,
};

export interface TokenClaims {
  /** the subscription id */
  sub: string;
  purpose: TokenPurpose;
  exp: Date;
}

export type TokenCheck =
  | { ok: true; sub: string; exp: Date }
  | { ok: false; reason: 'expired'; sub: string; exp: Date }
  | { ok: false; reason: 'invalid' };

/** The expiry of a token of this purpose made now. */
export function tokenExpiry(purpose: TokenPurpose, now: Date): Date {
  return new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]);
}

/** Longer input than any real token (ids are short): refused before any work. */
const MAX_TOKEN_LENGTH = 512;
const MIN_KEY_BYTES = 16;

export function signToken(key: Buffer, claims: TokenClaims): string {
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`a signing key of at least ${MIN_KEY_BYTES} bytes is needed, got ${key.length}`);
  if (!TOKEN_PURPOSES.includes(claims.purpose)) throw new RangeError(`unknown token purpose: ${String(claims.purpose)}`);
  if (claims.sub === '') throw new RangeError('a token needs a subscription id');
  const expSeconds = Math.floor(claims.exp.getTime() / 1000);
  if (!Number.isSafeInteger(expSeconds) || expSeconds < 0) throw new RangeError('a token needs a valid expiry');
  const sub = Buffer.from(claims.sub, 'utf8').toString('base64url');
  const exp = expSeconds.toString(36);
  return `${sub}.${exp}.${mac(key, claims.purpose, claims.sub, expSeconds).toString('base64url')}`;
}

/**
 * Whether `token` is a token of this purpose signed with `key`, and unexpired at `now`. An
 * expired token still names its subscription (a page may say "this link has expired"), but
 * only after its signature checked.
 */
export function verifyToken(key: Buffer, token: string, purpose: TokenPurpose, now: Date): TokenCheck {
  const invalid = { ok: false, reason: 'invalid' } as const;
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return invalid;
  const parts = token.split('.');
  if (parts.length !== 3) return invalid;
  const [subPart, expPart, macPart] = parts as [string, string, string];
  if (!/^[A-Za-z0-9_-]+$/.test(subPart) || !/^[0-9a-z]{1,12}$/.test(expPart) || !/^[A-Za-z0-9_-]{43}$/.test(macPart)) return invalid;
  const sub = Buffer.from(subPart, 'base64url').toString('utf8');
  // a non-canonical spelling of the same claims is not the token that was issued
  if (Buffer.from(sub, 'utf8').toString('base64url') !== subPart) return invalid;
  const expSeconds = parseInt(expPart, 36);
  if (expSeconds.toString(36) !== expPart) return invalid;
  const given = Buffer.from(macPart, 'base64url');
  // 43 characters carry 258 bits for the MAC's 256: the last one's two spare bits must be zero,
  // or four spellings of a token would all pass (a test that changed the last character saw it)
  if (given.toString('base64url') !== macPart) return invalid;
  const expected = mac(key, purpose, sub, expSeconds);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
  const exp = new Date(expSeconds * 1000);
  if (now.getTime() >= exp.getTime()) return { ok: false, reason: 'expired', sub, exp };
  return { ok: true, sub, exp };
}

/** The MAC of the claims; the id is length-prefixed so that no two claim sets read alike. */
function mac(key: Buffer, purpose: TokenPurpose, sub: string, expSeconds: number): Buffer {
  return createHmac('sha256', key).update(`paperboy-link-v1\n${purpose}\n${Buffer.byteLength(sub)}:${sub}\n${expSeconds}`).digest();
}
