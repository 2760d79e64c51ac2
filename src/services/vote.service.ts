/**
 * Voting on papers (issue 13, docs/decisions/028): an account casts, withdraws or toggles its
 * vote on a paper. The account is whatever the caller authenticated (the vote route, once
 * accounts exist, passes the session's account id and creation time, and the client's network):
 * this service only checks the values and records, with each vote, what burst damping needs
 * (core/vote-weight.ts), weighing it inside the store's transaction, where the count of the
 * network's earlier votes is exact.
 */
import { isAccountId } from '../core/accounts.js';
import { parseArxivId } from '../core/arxiv-id.js';
import { PaperboyError } from '../core/errors.js';
import { networkWindowStart, voteWeights } from '../core/vote-weight.js';
import type { Ballot, VoteBallots, VoteOutcome, VoteTallies } from '../ports/votes.js';
import { ALL_DAYS } from '../core/periods.js';
import { ShortMemo } from '../core/short-memo.js';

/** Who votes, as the caller knows them. */
export interface Voter {
  /** the account's id (accounts.id) */
  accountId: string;
  /** when the account was created */
  accountCreatedAt: Date | string;
  /**
   * the client's network: the caller's choice of prefix (a /24 for IPv4, a /48 for IPv6), so that
   * one network's accounts are recognised as one; kept with the vote for damping only
   */
  network: string;
}

export interface VoteResult extends VoteOutcome {
  /** the canonical id of the paper voted on */
  paperId: string;
}

/** A network name longer than this is not a prefix anyone computed: refused. */
const MAX_NETWORK_LENGTH = 64;

export class VoteService {
  /** papers' local vote counts, asked by every view of a paper page: kept while no vote changed (short-memo.ts) */
  private readonly counts: ShortMemo<number>;

  constructor(
    private readonly ballots: VoteBallots & Pick<VoteTallies, 'talliesOf' | 'votesVersion'>,
    private readonly now: () => Date = () => new Date(),
  ) {
    // every vote moves its paper's day's version: the sum over all days moves with any vote
    this.counts = new ShortMemo({ generation: () => ballots.votesVersion(ALL_DAYS.from, ALL_DAYS.to) });
  }

  /** Casts the voter's vote on the paper (any spelling of its id); casting twice changes nothing. */
  async vote(paper: string, voter: Voter): Promise<VoteResult> {
    const paperId = paperIdOf(paper);
    const b = this.ballot(paperId, voter);
    const outcome = await this.changing(paperId, this.ballots.castVote(b, voteWeights({ accountCreatedAt: b.accountCreatedAt, at: b.at })));
    return { paperId, ...outcome };
  }

  /** Withdraws the voter's vote on the paper; withdrawing twice changes nothing. */
  async unvote(paper: string, voter: Pick<Voter, 'accountId'>): Promise<VoteResult> {
    const paperId = paperIdOf(paper);
    return { paperId, ...(await this.changing(paperId, this.ballots.withdrawVote(paperId, accountIdOf(voter.accountId)))) };
  }

  /**
   * Votes when the voter has not, withdraws when they have: what one button does. Two toggles
   * racing (a double click) end voted or not, never counted twice: the store keeps one vote per
   * account and paper.
   */
  async toggle(paper: string, voter: Voter): Promise<VoteResult> {
    const paperId = paperIdOf(paper);
    const voted = await this.ballots.votedOn(accountIdOf(voter.accountId), [paperId]);
    return voted.has(paperId) ? this.unvote(paperId, voter) : this.vote(paperId, voter);
  }

  /** Of these papers, those the account voted on (to show its buttons pressed). */
  votedOn(accountId: string, paperIds: readonly string[]): Promise<Set<string>> {
    return this.ballots.votedOn(accountIdOf(accountId), paperIds);
  }

  /** The paper's local vote count (its canonical id), as a paper page shows it. */
  votesOf(paperId: string): Promise<number> {
    return this.counts.get(paperId, async () => (await this.ballots.talliesOf([paperId])).get(paperId)?.votes ?? 0);
  }

  /** A vote or its withdrawal: once done, the paper's count is read again. */
  private async changing<T>(paperId: string, write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.counts.forget(paperId);
    }
  }

  private ballot(paperId: string, voter: Voter): Ballot {
    const at = this.now().toISOString();
    return {
      paperId,
      accountId: accountIdOf(voter.accountId),
      network: networkOf(voter.network),
      accountCreatedAt: createdAtOf(voter.accountCreatedAt),
      at,
      networkSince: networkWindowStart(at),
    };
  }
}

function paperIdOf(raw: string): string {
  const parsed = parseArxivId(raw);
  if (!parsed) throw new PaperboyError('NOT_FOUND', `vote: “${raw.slice(0, 80)}” is not an arXiv id`);
  return parsed.id;
}

function accountIdOf(id: string): string {
  if (!isAccountId(id)) throw new PaperboyError('RECORD_INVALID', `vote: account id “${String(id).slice(0, 80)}” is not an account id (1 to 64 base64url characters)`);
  return id;
}

function networkOf(network: string): string {
  if (typeof network !== 'string' || network.length === 0 || network.length > MAX_NETWORK_LENGTH || !/^[!-~]+$/.test(network))
    throw new PaperboyError('RECORD_INVALID', `vote: network must be a prefix such as 192.0.2.0/24 (1 to ${MAX_NETWORK_LENGTH} printable ASCII characters, no spaces)`);
  return network;
}

function createdAtOf(at: Date | string): string {
  const ms = at instanceof Date ? at.getTime() : Date.parse(at);
  if (Number.isNaN(ms)) throw new PaperboyError('RECORD_INVALID', `vote: account creation time “${String(at).slice(0, 40)}” is not a date`);
  return new Date(ms).toISOString();
}
