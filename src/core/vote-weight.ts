/**
 * How much one local vote weighs in trending (docs/decisions/028): burst damping. A vote counts
 * in full unless it looks like part of a burst: from an account made moments ago (the cheapest
 * thing to make many of), or one of many votes on the same paper from one network within a
 * day (one lab, one office NAT, or one person with many accounts). Such votes still count as
 * votes (the paper shows them), but weigh less in the ranking, so that a burst can lift a paper
 * a little, never to the top on its own.
 *
 * Weights are integers in thousandths, so that the store's sums stay exact.
 */

export const VOTE_DAMPING = {
  /** A vote's full weight, in thousandths. */
  FULL: 1000,
  /**
   * Accounts younger than this weigh YOUNG_FACTOR. A week: long enough that making accounts to
   * push a paper means waiting past its days on the front page (a day page is read for a day or
   * two), short enough that a new reader's votes count in full from their second week.
   */
  YOUNG_ACCOUNT_DAYS: 7,
  YOUNG_FACTOR: 0.25,
  /**
   * Votes on one paper from one network within this window: the first NETWORK_FREE count in full,
   * each later one NETWORK_FACTOR. Three: a reading group or a lab behind one address votes for
   * its own paper more than once in good faith, but a dozen votes from one /24 in a day is a
   * campaign. A day: the life of a paper at the top of the daily page.
   */
  NETWORK_WINDOW_HOURS: 24,
  NETWORK_FREE: 3,
  NETWORK_FACTOR: 0.25,
} as const;

const DAY_MS = 86_400_000;

export interface VoteContext {
  /** when the account was made and when it votes (ISO-8601) */
  accountCreatedAt: string;
  at: string;
  /** votes on the same paper from the same network within the window, before this one */
  earlierFromNetwork: number;
}

/**
 * The weight of a vote in thousandths: FULL, times YOUNG_FACTOR for a young account, times
 * NETWORK_FACTOR from the NETWORK_FREE+1-th vote of one network; both can apply (1000 → 62).
 */
export function voteWeight(v: VoteContext): number {
  const ageDays = (Date.parse(v.at) - Date.parse(v.accountCreatedAt)) / DAY_MS;
  const young = !(ageDays >= VOTE_DAMPING.YOUNG_ACCOUNT_DAYS); // an unreadable age counts as young
  const crowded = v.earlierFromNetwork >= VOTE_DAMPING.NETWORK_FREE;
  return Math.round(VOTE_DAMPING.FULL * (young ? VOTE_DAMPING.YOUNG_FACTOR : 1) * (crowded ? VOTE_DAMPING.NETWORK_FACTOR : 1));
}

/**
 * voteWeight as a schedule (ports/votes.ts VoteWeights): entry n is the weight of the vote with n
 * earlier votes of its network in the window, the last for more. From NETWORK_FREE on the weight
 * no longer changes, so NETWORK_FREE + 1 entries say it all.
 */
export function voteWeights(v: Omit<VoteContext, 'earlierFromNetwork'>): number[] {
  return Array.from({ length: VOTE_DAMPING.NETWORK_FREE + 1 }, (_, earlierFromNetwork) => voteWeight({ ...v, earlierFromNetwork }));
}

/** The start of the network window of a vote cast at `at` (ISO-8601 in, ISO-8601 out). */
export function networkWindowStart(at: string): string {
  return new Date(Date.parse(at) - VOTE_DAMPING.NETWORK_WINDOW_HOURS * 3_600_000).toISOString();
}

/**
 * The network a client address belongs to, as damping groups votes: its /24 for IPv4 (an office,
 * a NAT), its /48 for IPv6 (one site's allocation: a single host often holds a whole /64). An
 * IPv4 address mapped into IPv6 counts as IPv4. Anything else is kept as given (cut to 64
 * characters, anything but printable ASCII as _), so that an unexpected form still groups with
 * itself and VoteService takes it.
 */
export function networkOfAddress(address: string): string {
  const a = address.trim().toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(a);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const groups = ipv6Groups(a.replace(/%.*$/, ''));
  if (groups) return `${groups.slice(0, 3).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/48`;
  return (a.slice(0, 64) || '?').replace(/[^!-~]/g, '_');
}

/** The eight groups of an IPv6 address (:: expanded), or null when it is not one. */
function ipv6Groups(a: string): string[] | null {
  if (!/^[0-9a-f:]+$/.test(a) || a.split('::').length > 2) return null;
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if ((tail === undefined && missing !== 0) || (tail !== undefined && missing < 1)) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  return groups.every((g) => /^[0-9a-f]{1,4}$/.test(g)) ? groups : null;
}
