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

/** The start of the network window of a vote cast at `at` (ISO-8601 in, ISO-8601 out). */
export function networkWindowStart(at: string): string {
  return new Date(Date.parse(at) - VOTE_DAMPING.NETWORK_WINDOW_HOURS * 3_600_000).toISOString();
}
