/** What both stores' votes adapters share: checks of a ballot, the weight's bounds, row shapes. */
import { randomBytes } from 'node:crypto';
import { isAccountId } from '../../core/accounts.js';
import { PaperboyError } from '../../core/errors.js';
import type { Ballot, PaperTally, VoteWeights } from '../../ports/votes.js';

/** A ballot the store can keep, else an error naming the field. */
export function checkBallot(b: Ballot): void {
  if (!isAccountId(b.accountId)) throw new PaperboyError('RECORD_INVALID', `vote on ${b.paperId}: account id “${String(b.accountId).slice(0, 80)}” is not an account id (1 to 64 base64url characters)`);
  for (const field of ['accountCreatedAt', 'at', 'networkSince'] as const)
    if (Number.isNaN(Date.parse(b[field]))) throw new PaperboyError('RECORD_INVALID', `vote on ${b.paperId}: ${field} "${b[field]}" is not a timestamp`);
}

/**
 * The id a deleted account's votes are kept under, a new one for each deleted account: random
 * (nothing of the account in it, so nothing links the votes back to it), one per account (two
 * deleted accounts' votes on one paper stay two votes; the primary key is paper and voter), and
 * 69 characters, past the 64 of any account id (core/accounts.ts isAccountId), so that no
 * account, made later or imported, can ever have it or cast a vote under it (checkBallot).
 */
export function anonymousVoterId(): string {
  return `gone_${randomBytes(48).toString('base64url')}`;
}

/**
 * The schedule as the schema keeps weights: integers of thousandths from 0 to 1000 (an unreadable
 * one counts in full), at least one.
 */
export function weightsOf(weights: VoteWeights): number[] {
  const kept = weights.map((x) => {
    const w = Math.round(x);
    return Number.isFinite(w) ? Math.min(1000, Math.max(0, w)) : 1000;
  });
  return kept.length > 0 ? kept : [1000];
}

/** The weight of a vote with `earlier` votes of its network before it (ports/votes.ts VoteWeights). */
export function weightAt(weights: readonly number[], earlier: number): number {
  return weights[Math.min(earlier, weights.length - 1)]!;
}

export function unknownPaper(paperId: string): PaperboyError {
  return new PaperboyError('NOT_FOUND', `no paper ${paperId} to vote on`);
}

/** The vote_days key of a paper's day: papers without a day share ''. */
export function dayKey(day: string | null | undefined): string {
  return day ?? '';
}

export function rowToTally(r: Record<string, unknown>): PaperTally {
  return { paperId: String(r.paper_id), votes: Number(r.votes), weight: Number(r.weight) };
}
