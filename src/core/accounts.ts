/**
 * Readers' accounts (issue 13), the pure part: roles, how an address is compared (one account per
 * address whatever its case), what a display name may be, and the secrets that stand for a
 * sign-in link, a session or an access token: random, sent to the holder once, and kept only as
 * their SHA-256 (a leaked table opens nothing). Pure (node:crypto, no I/O).
 */
import { createHash, randomBytes } from 'node:crypto';

export type Role = 'reader' | 'moderator' | 'admin';
export const ROLES: readonly Role[] = ['reader', 'moderator', 'admin'];

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && (ROLES as readonly string[]).includes(s);
}

/**
 * The form an address is compared in: the whole of it lower-cased. Subscriptions keep the local
 * part as typed (RFC 5321 lets a server tell "Ann" from "ann"), but no reader expects two
 * accounts for the two spellings, and an attacker must not get a second account for a victim's
 * address by changing its case.
 */
export function emailKey(email: string): string {
  return email.toLowerCase();
}

export const MAX_DISPLAY_NAME = 60;

export type DisplayNameCheck = { ok: true; name: string } | { ok: false; problem: string };

/**
 * A display name as kept: trimmed, runs of white space made one space, at most 60 characters.
 * Control and format characters (bidi overrides, zero-width joiners) are refused, since they
 * can make a name look like another's; everything else is text, escaped wherever it is shown.
 */
export function checkDisplayName(raw: unknown): DisplayNameCheck {
  if (typeof raw !== 'string') return { ok: false, problem: 'the display name is missing' };
  const name = raw.trim().replace(/\s+/gu, ' ');
  if (name === '') return { ok: false, problem: 'the display name is empty' };
  if ([...name].length > MAX_DISPLAY_NAME) return { ok: false, problem: `the display name is longer than ${MAX_DISPLAY_NAME} characters` };
  const bad = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.exec(name);
  if (bad) return { ok: false, problem: `the display name holds an invisible or control character (U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) at position ${bad.index + 1}` };
  return { ok: true, name };
}

/** The name a new account starts with: the address's local part (the reader can change it). */
export function defaultDisplayName(email: string): string {
  const local = email.slice(0, email.lastIndexOf('@'));
  const check = checkDisplayName(local.slice(0, MAX_DISPLAY_NAME));
  return check.ok ? check.name : 'reader';
}

/** A new secret: 32 random bytes, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What is kept of a secret: its SHA-256, hex. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** An opaque id for an account or a token (random, never a counter). */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * What an account id may look like wherever one is kept beside another record (votes, comments,
 * reports): newId's 16 base64url characters, or any other short run of them (ids made by tests
 * or by a future scheme). Anything else is a bug upstream, refused naming the value.
 */
export function isAccountId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id);
}

/**
 * The handle an @-mention names a member by: the display name with its spaces as underscores,
 * lower-cased (compared in any case), when that fits the mention grammar of
 * core/comment-markdown.ts (letters, digits, _ and -, at most 32); null when the name can't be
 * mentioned (it has other characters). The database compares `lower(replace(display_name, ' ',
 * '_'))` with it, which is the same for the names that have a handle.
 */
export function handleOf(displayName: string): string | null {
  const h = displayName.replace(/ /g, '_');
  return /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,30}[A-Za-z0-9_])?$/.test(h) ? h.toLowerCase() : null;
}
