/**
 * Readers' email addresses (issue 11): what the subscribe form accepts and how an address is
 * kept. A sane subset of RFC 5321's Mailbox, the one real readers type: a dot-atom local part
 * (no quoted strings, no comments, no display name), an @, and a DNS domain of letters, digits
 * and hyphens with at least two labels. ASCII only: an internationalised domain is taken in its
 * xn-- form, and SMTPUTF8 local parts are refused (many servers do not take them).
 *
 * Normalising trims and lower-cases the domain; the local part is kept as typed, since RFC 5321
 * lets the receiving server tell "Ann" from "ann". One pass over the input, after a length check
 * that refuses anything long before scanning it: linear on any input.
 */
import { PaperboyError } from './errors.js';

/** RFC 5321's limits: a path of 256 octets less the angle brackets, a local part of 64, a label of 63. */
export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_LABEL = 63;

export type EmailCheck = { ok: true; email: string } | { ok: false; problem: string };

/** atext of RFC 5322 (letters, digits and !#$%&'*+-/=?^_`{|}~), by character code. */
const ATEXT = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~") ATEXT[c.charCodeAt(0)] = 1;

function isLetterOrDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** The address trimmed, with its domain lower-cased, or what is wrong with it. */
export function checkEmailAddress(raw: string): EmailCheck {
  const s = raw.trim();
  if (s === '') return { ok: false, problem: 'the address is empty' };
  if (s.length > MAX_EMAIL_LENGTH) return { ok: false, problem: `the address is longer than ${MAX_EMAIL_LENGTH} characters` };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 127) return { ok: false, problem: `a control character (U+${c.toString(16).toUpperCase().padStart(4, '0')}) at position ${i + 1}` };
    if (c > 127) return { ok: false, problem: `a non-ASCII character "${s[i]}" at position ${i + 1} (write an international domain in its xn-- form)` };
    if (c === 32) return { ok: false, problem: `a space at position ${i + 1} (only the address itself, without a name)` };
    if (c === 60 || c === 62 || c === 40 || c === 41 || c === 34)
      return { ok: false, problem: `"${s[i]}" at position ${i + 1}: only the address itself, without a display name, comment or quotes` };
  }
  const at = s.lastIndexOf('@');
  if (at < 0) return { ok: false, problem: 'no "@" between the name and the domain' };
  if (s.indexOf('@') !== at) return { ok: false, problem: 'more than one "@"' };
  const local = s.slice(0, at);
  const domain = s.slice(at + 1).toLowerCase();
  const localProblem = checkLocal(local);
  if (localProblem) return { ok: false, problem: localProblem };
  const domainProblem = checkDomain(domain);
  if (domainProblem) return { ok: false, problem: domainProblem };
  return { ok: true, email: `${local}@${domain}` };
}

function checkLocal(local: string): string | null {
  if (local === '') return 'nothing before the "@"';
  if (local.length > MAX_LOCAL) return `the part before the "@" is longer than ${MAX_LOCAL} characters`;
  if (local.startsWith('.') || local.endsWith('.')) return 'the part before the "@" starts or ends with a dot';
  if (local.includes('..')) return 'two dots in a row before the "@"';
  for (let i = 0; i < local.length; i++) {
    const c = local.charCodeAt(i);
    if (c !== 46 && ATEXT[c] !== 1) return `"${local[i]}" is not allowed before the "@"`;
  }
  return null;
}

function checkDomain(domain: string): string | null {
  if (domain === '') return 'no domain after the "@"';
  if (domain.length > MAX_DOMAIN) return `the domain is longer than ${MAX_DOMAIN} characters`;
  const labels = domain.split('.');
  if (labels.length < 2) return `the domain "${domain}" has no dot (a full domain such as example.org)`;
  for (const label of labels) {
    if (label === '') return `the domain "${domain}" has an empty part (a dot at an end, or two in a row)`;
    if (label.length > MAX_LABEL) return `a part of the domain is longer than ${MAX_LABEL} characters`;
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      if (!isLetterOrDigit(c) && c !== 45) return `"${label[i]}" is not allowed in the domain`;
    }
    if (label.startsWith('-') || label.endsWith('-')) return `the domain part "${label}" starts or ends with a hyphen`;
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) return 'the domain ends in a number (an IP address is not accepted)';
  return null;
}

/** The normalised address; throws an InvalidEmailError saying what is wrong. */
export function normaliseEmail(raw: string): string {
  const r = checkEmailAddress(raw);
  if (!r.ok) throw new InvalidEmailError(r.problem);
  return r.email;
}

/** Whether s is an address as normaliseEmail leaves it (for headers built from a stored address). */
export function isNormalisedEmail(s: string): boolean {
  const r = checkEmailAddress(s);
  return r.ok && r.email === s;
}

/** RECORD_INVALID: one address refused; `problem` is for the reader (the form shows it). */
export class InvalidEmailError extends PaperboyError {
  constructor(readonly problem: string) {
    super('RECORD_INVALID', `not a usable email address: ${problem}`);
    this.name = 'InvalidEmailError';
  }
}
