/**
 * What a reader may type into the subscribe form and the preferences page (issue 11), checked
 * before anything is stored or sent: the address (core/email-address.ts), the frequency, and
 * topics, which are search queries (core/query.ts) saved as alerts. A topic ends up in an
 * email's subject and in pages, so control characters (CR/LF: header injection) and anything
 * long are refused, never stripped; a query the search would not run is refused with the
 * parser's own reasons. Length is checked before any scan: linear on adversarial input.
 */
import { InvalidEmailError, normaliseEmail } from '../core/email-address.js';
import { parseQuery, type ParsedQuery } from '../core/query.js';
import type { Frequency } from '../ports/subscriptions.js';

/** A topic fits in a subject line; longer queries are not alerts anyone writes. */
export const MAX_TOPIC_LENGTH = 200;
/** Topics of one subscription: each is a search per period for the sender. */
export const MAX_TOPICS = 10;

export type InputField = 'email' | 'frequency' | 'topic' | 'kind' | 'subscription';

/** A value from a form that can't be used: which field, and what is wrong, in words a reader follows. */
export class SubscriptionInputError extends Error {
  readonly code = 'SUBSCRIPTION_INPUT_INVALID';
  constructor(
    readonly field: InputField,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'SubscriptionInputError';
  }
}

export function checkFrequency(raw: unknown): Frequency {
  if (raw === 'daily' || raw === 'weekly') return raw;
  throw new SubscriptionInputError('frequency', 'choose daily or weekly');
}

/** The address as it is kept, or a SubscriptionInputError naming what is wrong with it. */
export function checkEmail(raw: unknown): string {
  if (typeof raw !== 'string') throw new SubscriptionInputError('email', 'the address is missing');
  // refused before the address check scans it: 100 kB of input costs one comparison
  if (raw.length > 1000) throw new SubscriptionInputError('email', 'the address is longer than 254 characters');
  try {
    return normaliseEmail(raw);
  } catch (e) {
    if (e instanceof InvalidEmailError) throw new SubscriptionInputError('email', e.problem);
    throw e;
  }
}

/**
 * A topic as it is kept (trimmed), null for an empty one (no topic: the trending digest), or a
 * SubscriptionInputError saying what to change.
 */
export function checkTopic(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') throw new SubscriptionInputError('topic', 'the topic must be text');
  if (raw.length > MAX_TOPIC_LENGTH * 4) throw new SubscriptionInputError('topic', `the topic is longer than ${MAX_TOPIC_LENGTH} characters`);
  const topic = raw.trim();
  if (topic === '') return null;
  if (topic.length > MAX_TOPIC_LENGTH) throw new SubscriptionInputError('topic', `the topic is longer than ${MAX_TOPIC_LENGTH} characters`);
  for (let i = 0; i < topic.length; i++) {
    const c = topic.charCodeAt(i);
    // C0 controls (CR and LF among them), DEL, C1 controls, and the Unicode line and paragraph separators
    if (c < 32 || c === 127 || (c >= 0x80 && c < 0xa0) || c === 0x2028 || c === 0x2029)
      throw new SubscriptionInputError('topic', `the topic holds a control character (U+${c.toString(16).toUpperCase().padStart(4, '0')}) at position ${i + 1}; write it on one line`);
  }
  const parsed = parseQuery(topic);
  if (parsed.ignored.length > 0)
    throw new SubscriptionInputError('topic', `the search can't use all of “${topic}”: ${parsed.ignored.map((p) => `“${p.text}” (${p.reason})`).join('; ')}`);
  if (!searchesSomething(parsed)) throw new SubscriptionInputError('topic', `“${topic}” has no word, phrase, author or category to look for`);
  return topic;
}

/** Topics as the preferences page sends them: each checked, empty ones dropped, no repeats, at most MAX_TOPICS. */
export function checkTopics(raw: readonly unknown[]): string[] {
  const topics: string[] = [];
  for (const r of raw) {
    const t = checkTopic(r);
    if (t !== null && !topics.includes(t)) topics.push(t);
  }
  if (topics.length > MAX_TOPICS) throw new SubscriptionInputError('topic', `at most ${MAX_TOPICS} topics per subscription`);
  return topics;
}

/** Whether a query finds papers by itself: only words left out, or only dates, would match the whole corpus. */
function searchesSomething(q: ParsedQuery): boolean {
  return q.terms.length + q.phrases.length + q.prefixes.length + q.filters.authors.length + q.filters.categories.length > 0;
}
