/**
 * Local votes (issue 13, docs/decisions/028): what services/vote.service.ts casts and withdraws
 * (VoteBallots) and what the listings and the API read back (VoteTallies). Adapters:
 * adapters/db/sqlite/votes.ts and adapters/db/postgres/votes.ts; exposed as OpenedDatabase.votes.
 * Contract: test/contracts/votes.contract.ts.
 *
 * One vote per account and paper: casting twice or withdrawing twice changes nothing. Each paper's
 * count is kept exact by the database, in the transaction that changes its votes, whatever the
 * number of processes voting at once. Accounts are their ids here (accounts.id, text; no foreign key): deleting an
 * account elsewhere leaves its votes counted, anonymously.
 */

/** One account's vote on one paper, with what burst damping needs to know about it. */
export interface Ballot {
  paperId: string;
  accountId: string;
  /** the client's network, as the caller names it (a /24 or /48 prefix): for damping only */
  network: string;
  /** when the account was created (ISO-8601) */
  accountCreatedAt: string;
  /** when the vote is cast (ISO-8601) */
  at: string;
  /**
   * The start (ISO-8601) of the window in which earlier votes on the same paper from the same
   * network are counted and handed to `weigh`.
   */
  networkSince: string;
}

/**
 * The weight of a new vote, in thousandths (0…1000), by how many votes on the same paper from the
 * same network the window already holds: `weights[n]` for n earlier votes, the last entry for
 * more (non-empty). A schedule rather than a callback, so that a store may weigh inside the
 * database, in the statement that counts (core/vote-weight.ts voteWeights makes it).
 */
export type VoteWeights = readonly number[];

export interface VoteOutcome {
  /** the account's vote stands after the call */
  voted: boolean;
  /** the call changed something (false: the vote was already cast, or already withdrawn) */
  changed: boolean;
  /** the paper's local vote count after the call */
  votes: number;
}

/** A paper's local votes: how many, and their damped weight (sum of thousandths). */
export interface PaperTally {
  paperId: string;
  votes: number;
  /** the votes' weights summed, in thousandths: `votes * 1000` when nothing was damped */
  weight: number;
}

export interface VoteBallots {
  /** Casts the vote unless the account already voted on the paper; the paper must be stored. */
  castVote(ballot: Ballot, weights: VoteWeights): Promise<VoteOutcome>;
  /** Withdraws the account's vote on the paper, if it has one. */
  withdrawVote(paperId: string, accountId: string): Promise<VoteOutcome>;
  /** Of these papers, those the account has voted on. */
  votedOn(accountId: string, paperIds: readonly string[]): Promise<Set<string>>;
  /**
   * For the deletion of an account: its votes stay counted, under a new random id no account
   * has (so nothing links them to it any more); the tallies do not change. How many.
   */
  anonymiseVoter(accountId: string): Promise<number>;
}

export interface VoteTallies {
  /** The tallies of the papers listed from `from` to `to` (days, inclusive) that have local votes. */
  talliesBetween(from: string, to: string): Promise<PaperTally[]>;
  /** The tallies of these papers (those without a vote are left out). */
  talliesOf(paperIds: readonly string[]): Promise<Map<string, PaperTally>>;
  /**
   * A token that changes whenever a vote on a paper listed from `from` to `to` changes, and only
   * then: what the pages of those days are cached on, so that a vote re-renders its day's pages
   * and no others. Votes leave ListingReads.dataVersion as it is.
   */
  votesVersion(from: string, to: string): Promise<string>;
}

export type Votes = VoteBallots & VoteTallies;
