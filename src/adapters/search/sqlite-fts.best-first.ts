/**
 * Which papers the SQLite index scores for a page of the best (docs/decisions/011): bm25() is what
 * a search costs, per paper scored, and a paper that cannot reach the page need not be scored.
 * Each unit adds less than its maxContribution to a score (core/bm25.ts), so once `need` papers
 * have known scores, a paper holding too few units cannot pass the need-th (MaxScore, Turtle and
 * Flood 1995, over sets of units). Same papers, same order, same scores as scoring every match:
 * test/search/search.cross-store.test.ts compares them with PostgreSQL, which does.
 */
import { byRelevance, maxContribution, rankKey, viablePatterns } from '../../core/bm25.js';
import type { QueryUnit } from '../../core/query.js';
import { allOf, anyOf, unitMatch } from './fts5-match.js';
import { also, IN_FTS, type Narrowing } from './sqlite-fts.filters.js';

export interface Scored {
  rowid: number;
  score: number;
}

export type Ranked = Scored & { id: string };

/** What the pruning reads through the index. */
export interface IndexReads {
  /** papers in the whole index holding the unit */
  df(u: QueryUnit): number;
  /** the best `need` papers matching an FTS5 expression, best first, by its bm25() */
  ranked(match: string, n: Narrowing, need: number): Ranked[];
  /** the top lists' candidates for these units (sqlite-fts.top-lists.ts), null when they have none */
  candidates(units: QueryUnit[], n: Narrowing, need: number): Candidates | null;
  /** called when the candidates spared reading papers (a search served from the top lists) */
  served(): void;
}

/** A unit in at most this many papers may set the bar alone (see bestFirstOf). */
const RAREST_FIRST_MAX = 2_000;
/** Queries of more units are scored whole: 2^n patterns to weigh, and rarely typed. */
const PRUNED_UNITS_MAX = 8;
/** A group of papers whose units are each in fewer papers is read whole, cheaply: no candidates needed. */
const CHEAP_GROUP_MAX = 2_000;
/** Queries of up to this many units are ranked by the sets of units papers hold (byUnitSets): at most 7 groups. */
const UNIT_SETS_MAX = 3;

/**
 * The best `need` papers, best first, scoring few: bm25() is what a search costs, per paper
 * scored. Once `need` papers with known scores set a bar, a paper can only pass it if it holds
 * one of the sets of units whose largest possible contributions reach it (core viablePatterns);
 * the others are never scored. Up to UNIT_SETS_MAX units the papers are taken in groups by the
 * exact set of units they hold (byUnitSets); above, the bar comes from the papers holding the
 * rarest unit when they are few (often they are the answer: "federated learning"), else from
 * the papers holding every unit (often the answer too: "deep learning").
 */
export function bestFirstOf(kept: QueryUnit[], n: Narrowing, papers: number, need: number, on: IndexReads): Ranked[] {
  const everything = anyOf(kept);
  if (kept.length === 1) return fromCandidates(kept, n, need, on) ?? on.ranked(everything, n, need);
  if (kept.length > PRUNED_UNITS_MAX) return on.ranked(everything, n, need);
  const bounds = kept.map((u) => maxContribution(papers, on.df(u)));
  if (kept.length <= UNIT_SETS_MAX) return byUnitSets(kept, bounds, n, need, on);
  const rarest = kept.reduce((best, u, i) => (on.df(u) < on.df(kept[best]!) ? i : best), 0);
  if (on.df(kept[rarest]!) <= RAREST_FIRST_MAX) {
    const holding = on.ranked(everything, also(n, `+rowid ${IN_FTS}`, unitMatch(kept[rarest]!)), need);
    if (holding.length >= need) {
      const others = kept.filter((_, i) => i !== rarest);
      const patterns = viablePatterns(bounds.filter((_, i) => i !== rarest), holding[need - 1]!.score);
      if (patterns.length === 0) return holding;
      const rest = on.ranked(everything, also(n, `+rowid ${IN_FTS}`, matchingAnyPattern(others, patterns)), need);
      return merged(holding, rest, need);
    }
  }
  const holdingAll = on.ranked(allOf(kept), n, need);
  if (holdingAll.length < need) return on.ranked(everything, n, need);
  const patterns = viablePatterns(bounds, holdingAll[need - 1]!.score);
  if (patterns.length === 1 && patterns[0] === (1 << kept.length) - 1) return holdingAll;
  return on.ranked(everything, also(n, `+rowid ${IN_FTS}`, matchingAnyPattern(kept, patterns)), need);
}

/**
 * The papers in groups by exactly which units they hold ("A AND B", "A NOT B", "B NOT A"),
 * groups with the highest bound (the sum of their units' maxContribution) first, until the
 * need-th paper found scores more than the next group's bound: that group and the rest are
 * never read. Each group is one FTS5 query walking its own doclists, where ranking them all
 * with a rowid filter walks every unit's whole doclist (2.7x and 3.9x slower for the second pass of
 * "assessing large" and "execution framework"). bm25() gives a
 * paper the very score the whole query would: a unit it lacks adds exactly 0, and each unit's
 * idf is counted over the whole index whatever the expression around it.
 */
function byUnitSets(kept: QueryUnit[], bounds: number[], n: Narrowing, need: number, on: IndexReads): Ranked[] {
  const full = (1 << kept.length) - 1;
  const bound = (mask: number) => boundOf(bounds, mask);
  const sets = Array.from({ length: full }, (_, i) => i + 1).sort((a, b) => bound(b) - bound(a) || b - a);
  let best: Ranked[] = [];
  // the top lists' candidates, scored once a group past "every unit" is about to be read
  let lists: Candidates | null | undefined;
  for (const mask of sets) {
    // the same tolerance as viablePatterns: float rounding never drops a paper tied with the bar
    if (best.length >= need && bound(mask) < best[need - 1]!.score * (1 - 1e-6)) break;
    if (mask !== full && lists === undefined && kept.some((u, i) => mask & (1 << i) && on.df(u) >= CHEAP_GROUP_MAX)) {
      lists = on.candidates(kept, n, need);
      if (lists) best = merged(best, on.ranked(anyOf(kept), lists.narrowing, need), need);
    }
    // every candidate of the group is in `best` already: only the papers off them can still count
    if (lists && beats(best, need, boundOf(lists.bounds, mask))) {
      on.served();
      continue;
    }
    best = merged(best, on.ranked(holdingExactly(kept, mask), n, need), need);
  }
  return best;
}

/**
 * What the top lists (sqlite-fts.top-lists.ts) offer a search: its candidates, and for each unit
 * the most a paper off them can get from it (0 when all its holders are candidates), far below
 * the largest contribution a unit can make (maxContribution) for a common word.
 */
export interface Candidates {
  narrowing: Narrowing;
  bounds: number[];
}

/** One unit's page from its top list's candidates, or null when they cannot show it is exact. */
function fromCandidates(kept: QueryUnit[], n: Narrowing, need: number, on: IndexReads): Ranked[] | null {
  const lists = on.candidates(kept, n, need);
  if (!lists) return null;
  const best = on.ranked(anyOf(kept), lists.narrowing, need);
  if (!beats(best, need, boundOf(lists.bounds, (1 << kept.length) - 1))) return null;
  on.served();
  return best;
}

const boundOf = (bounds: number[], mask: number) => bounds.reduce((s, b, i) => (mask & (1 << i) ? s + b : s), 0);

/** The need-th paper ranks above any score up to `bound` (compared as the ranking compares, with room for the bound's rounding). */
function beats(best: Ranked[], need: number, bound: number): boolean {
  return best.length >= need && rankKey(best[need - 1]!.score) > rankKey(bound * (1 + 1e-9));
}

/** An FTS5 expression for papers holding every unit of one of the patterns (bitmasks over units). */
function matchingAnyPattern(units: readonly QueryUnit[], patterns: readonly number[]): string {
  return patterns.map((mask) => `(${allOf(units.filter((_, i) => mask & (1 << i)))})`).join(' OR ');
}

/** An FTS5 expression for papers holding the units of mask (a bitmask over units) and no other. */
function holdingExactly(units: readonly QueryUnit[], mask: number): string {
  const held = allOf(units.filter((_, i) => mask & (1 << i)));
  const others = units.filter((_, i) => !(mask & (1 << i)));
  return others.length === 0 ? held : `(${held}) NOT (${anyOf(others)})`;
}

/** The best `need` of two ranked lists that may share papers. */
function merged(a: readonly Ranked[], b: readonly Ranked[], need: number): Ranked[] {
  const seen = new Set(a.map((r) => r.rowid));
  return [...a, ...b.filter((r) => !seen.has(r.rowid))].sort(byRelevance).slice(0, need);
}
