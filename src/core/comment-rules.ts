/**
 * The rules of commenting (issue 13), pure: who may moderate, how many comments an account may
 * post and how fast (tighter for new accounts, which is where spam comes from), and what a
 * report's reason may be. CommentService (services/comment.service.ts) applies them.
 */
import { PaperboyError } from './errors.js';

/** An account's role, as the accounts capability keeps it. */
export type Role = 'reader' | 'moderator' | 'admin';

export function canModerate(role: Role): boolean {
  return role === 'moderator' || role === 'admin';
}

/** At most `max` comments in any `windowMs` ending now. */
export interface CommentWindow {
  windowMs: number;
  max: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Younger than this an account is new: a burst of posts from a day-old account is the spam pattern. */
export const NEW_ACCOUNT_MS = DAY;
/** Younger than this, still on probation: more room than a new account, less than an established one. */
export const YOUNG_ACCOUNT_MS = 7 * DAY;

// A short window stops bursts (a script, a flame war); a day's window bounds the total. An
// established member's day allows a long discussion; a new account gets enough to say hello.
const NEW: readonly CommentWindow[] = [
  { windowMs: 10 * MINUTE, max: 2 },
  { windowMs: DAY, max: 5 },
];
const YOUNG: readonly CommentWindow[] = [
  { windowMs: 10 * MINUTE, max: 5 },
  { windowMs: DAY, max: 20 },
];
const ESTABLISHED: readonly CommentWindow[] = [
  { windowMs: 10 * MINUTE, max: 10 },
  { windowMs: DAY, max: 100 },
];

/** The windows an account of this age is held to (a negative age, from a clock skew, counts as new). */
export function commentWindows(accountAgeMs: number): readonly CommentWindow[] {
  if (!(accountAgeMs >= NEW_ACCOUNT_MS)) return NEW;
  return accountAgeMs < YOUNG_ACCOUNT_MS ? YOUNG : ESTABLISHED;
}

export type RateVerdict = { allowed: true } | { allowed: false; window: CommentWindow; message: string };

/**
 * Whether one more comment is allowed, from the account's age and how many comments it posted
 * in each of its windows (recent[i] in commentWindows(age)[i]).
 */
export function commentRate(accountAgeMs: number, recent: readonly number[]): RateVerdict {
  const windows = commentWindows(accountAgeMs);
  if (recent.length !== windows.length) throw new Error(`commentRate: ${recent.length} counts for ${windows.length} windows`);
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i]!;
    if (recent[i]! >= w.max)
      return { allowed: false, window: w, message: `at most ${w.max} comments in ${spell(w.windowMs)}${accountAgeMs < YOUNG_ACCOUNT_MS ? ' for a new account' : ''}: try again later` };
  }
  return { allowed: true };
}

function spell(ms: number): string {
  if (ms % DAY === 0) return ms === DAY ? 'a day' : `${ms / DAY} days`;
  if (ms % HOUR === 0) return ms === HOUR ? 'an hour' : `${ms / HOUR} hours`;
  return `${ms / MINUTE} minutes`;
}

/** Longest reason a report keeps. */
export const MAX_REPORT_REASON = 500;

/** A report's reason, trimmed and on one line; "" when none is given. Too long: RECORD_INVALID. */
export function normaliseReportReason(reason: unknown): string {
  if (reason === undefined || reason === null) return '';
  if (typeof reason !== 'string') throw new PaperboyError('RECORD_INVALID', 'report reason: must be text');
  const s = reason.replace(/\s+/g, ' ').trim();
  if (s.length > MAX_REPORT_REASON) throw new PaperboyError('RECORD_INVALID', `report reason: ${s.length} characters, more than the ${MAX_REPORT_REASON} allowed`);
  return s;
}
