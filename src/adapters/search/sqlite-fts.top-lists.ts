/**
 * Top lists (docs/decisions/026): for each common word, the papers that score highest on it alone,
 * so that a search of common words scores a few hundred candidates and proves that no other paper
 * can reach its page, instead of scoring every paper that holds them ("dataset": 28,000 bm25()
 * calls, ~20 ms, against ~2 ms).
 *
 * Why a paper off every list is bounded: FTS5's bm25() gives a word w in a paper
 *   idf(w) · f,  f = F·(k1+1) / (F + k1·(1 − b + b·D/avgdl))
 * with F its weighted frequency and D the paper's length. A list keeps the SIZE best papers by f
 * when it is built, and `cut`, the lowest f on it: every other paper then indexed had f ≤ cut.
 * Since then, f can only have moved with avgdl (no more than by avgdl_now / avgdl_then, when it
 * grew: f rises with avgdl, and never faster than it), or because the paper itself changed: the
 * papers indexed since (rowid past built_through) and those re-indexed with new text
 * (search_changes, seq past the list's) are scored as candidates too. A paper holding none of
 * the rarer words (whose holders are all candidates) and on none of the lists scores at most
 * Σ idf(w)·cut(w)·max(1, avgdl_now/avgdl_then); when the page's last candidate scores more, the
 * page is exact: the same papers, scores and order as scoring every match. When it does not (or
 * a unit is a phrase or prefix, or has no list), the search takes the long way.
 *
 * Lists are derived data, rebuilt word by word by refreshTopLists when enough has changed, each
 * in its own short write transaction, never by a search.
 */
import type Database from 'better-sqlite3';
import { idf, type FieldWeights } from '../../core/bm25.js';
import { stem } from '../../core/tokenize.js';
import type { QueryUnit } from '../../core/query.js';
import { quote } from './fts5-match.js';
import { beginImmediate } from './sqlite-fts.refresh.js';
import { varints } from './varint.js';

/** Papers kept per word: pages of up to SIZE / 2 (offset + limit) are served from the lists. */
export const TOP_LIST_SIZE = 256;
/** Words in fewer papers are scored whole, cheaply (~1.5 ms), and need no list. */
export const TOP_LIST_DF_MIN = 2_000;
/** A pass over the vocabulary once the index has changed by this share of its papers. */
const PASS_AFTER = 0.01;
/** A list is rebuilt once the papers indexed since, or avgdl's drift, pass this share. */
const STALE_AFTER = 0.05;

export interface TopListOptions {
  weights: FieldWeights;
  /** words in at least this many papers get a list (TOP_LIST_DF_MIN) */
  dfMin?: number;
  size?: number;
}

interface ListRow {
  papers: number;
  avgdl: number;
  built_through: number;
  changes_seq: number;
  cut: number;
  rowids: string;
}

/** Statements prepared once per connection: the plan runs on every search of common words. */
const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function st(db: Database.Database, sql: string): Database.Statement {
  let byDb = prepared.get(db);
  if (!byDb) prepared.set(db, (byDb = new Map()));
  let s = byDb.get(sql);
  if (!s) byDb.set(sql, (s = db.prepare(sql)));
  return s;
}

/** FTS5's averages record: the papers in the index and their mean length, as bm25() reads them. */
export function averages(db: Database.Database): { papers: number; avgdl: number } {
  const row = st(db, 'SELECT block FROM papers_fts_data WHERE id = 1').get() as { block: Buffer } | undefined;
  if (!row) return { papers: 0, avgdl: 0 };
  const [papers = 0, ...columns] = varints(row.block);
  const tokens = columns.reduce((a, b) => a + b, 0);
  return { papers, avgdl: papers > 0 ? tokens / papers : 0 };
}

/** Which candidates a search of `units` scores, and what a paper off them can get from each unit; null: take the long way. */
export interface TopListPlan {
  /** candidate rowids: every list's papers, the changed papers, the rare units' holders */
  rowids: number[];
  /** papers indexed past this rowid are candidates too */
  after: number;
  /** per unit: the most a paper that is not a candidate gets from it (0: every holder is one) */
  bounds: number[];
}

export function topListPlan(
  db: Database.Database,
  units: readonly QueryUnit[],
  df: (u: QueryUnit) => number,
  opts: { dfMin?: number } = {},
): TopListPlan | null {
  const dfMin = opts.dfMin ?? TOP_LIST_DF_MIN;
  if (units.some((u) => u.kind !== 'term')) return null;
  const get = st(db, 'SELECT papers, avgdl, built_through, changes_seq, cut, rowids FROM search_top_lists WHERE term = ?');
  const lists = units.map((u) => (df(u) >= dfMin ? (get.get(stem(u.tokens[0]!)) as ListRow | undefined) ?? null : undefined));
  // a common unit without a list: nothing bounds its holders
  if (lists.some((l) => l === null)) return null;
  const kept = lists.filter((l): l is ListRow => l !== undefined);
  if (kept.length === 0) return null;
  const now = averages(db);
  const rowids = new Set<number>();
  for (const l of kept) for (const r of JSON.parse(l.rowids) as number[]) rowids.add(r);
  const since = Math.min(...kept.map((l) => l.changes_seq));
  for (const r of st(db, 'SELECT paper_rowid FROM search_changes WHERE seq > ?').pluck().all(since) as number[]) rowids.add(r);
  const rare = units.filter((_, i) => lists[i] === undefined);
  if (rare.length > 0) {
    const holders = st(db, 'SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?').pluck();
    for (const r of holders.all(rare.map((u) => quote(u.tokens[0]!)).join(' OR ')) as number[]) rowids.add(r);
  }
  const bounds = units.map((u, i) => {
    const l = lists[i];
    return l ? idf(now.papers, df(u)) * l.cut * Math.max(1, now.avgdl / l.avgdl) : 0;
  });
  return { rowids: [...rowids], after: Math.min(...kept.map((l) => l.built_through)), bounds };
}

export interface TopListsReport {
  /** lists (re)built by this call */
  built: number;
  /** lists dropped: their word is no longer common */
  dropped: number;
}

/**
 * Brings the lists up to date: a pass over the vocabulary once the index has changed by 1%
 * since the last (new common words get a list, words gone rare or in half the papers lose
 * theirs), and each list rebuilt once 5% has changed since it was. One word per write
 * transaction (~10 ms at 75k papers), yielding between them; a word whose write lock is taken
 * by another process (an ingest) is left for the next call.
 */
export async function refreshTopLists(db: Database.Database, opts: TopListOptions): Promise<TopListsReport> {
  const report: TopListsReport = { built: 0, dropped: 0 };
  const dfMin = opts.dfMin ?? TOP_LIST_DF_MIN;
  const now = averages(db);
  const changes = (st(db, 'SELECT coalesce(max(seq), 0) FROM search_changes').pluck().get() as number) ?? 0;
  const state = st(db, 'SELECT papers, changes FROM search_top_state WHERE id = 1').get() as { papers: number; changes: number } | undefined;
  const moved = (then: number) => Math.abs(now.papers - then) > PASS_AFTER * Math.max(then, 1);
  if (now.papers === 0 || (state && !moved(state.papers) && state.changes === changes)) return report;
  const wanted = new Set((await commonWords(db, dfMin)).filter((w) => w.doc * 2 < now.papers && stem(w.term) === w.term).map((w) => w.term));
  const lists = new Map(
    (st(db, 'SELECT term, papers, avgdl, changes_seq FROM search_top_lists').all() as { term: string; papers: number; avgdl: number; changes_seq: number }[]).map(
      (l) => [l.term, l],
    ),
  );
  for (const term of lists.keys()) {
    if (wanted.has(term)) continue;
    st(db, 'DELETE FROM search_top_lists WHERE term = ?').run(term);
    report.dropped++;
  }
  for (const term of wanted) {
    const l = lists.get(term);
    const stale =
      !l ||
      Math.abs(now.papers - l.papers) > STALE_AFTER * l.papers ||
      Math.abs(now.avgdl - l.avgdl) > STALE_AFTER * l.avgdl ||
      changes - l.changes_seq > STALE_AFTER * l.papers;
    if (!stale) continue;
    if (buildTopList(db, term, opts)) report.built++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const lowest = st(db, 'SELECT min(changes_seq) FROM search_top_lists').pluck().get() as number | null;
  if (lowest !== null) st(db, 'DELETE FROM search_changes WHERE seq <= ?').run(lowest);
  st(db, 
    'INSERT INTO search_top_state (id, papers, changes) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET papers = excluded.papers, changes = excluded.changes',
  ).run(now.papers, changes);
  return report;
}

/** Vocabulary read in slices of this many words (at most ~30 ms each at 75k papers: each walks its words' doclists). */
const VOCABULARY_SLICE = 2_000;

/**
 * The words in at least dfMin papers. FTS5's vocabulary counts a word's papers by walking its
 * doclist, so the whole of it costs ~1 s at 75k papers: read in slices, yielding between them,
 * so that serve's thread keeps answering while the lists are refreshed after a harvest.
 */
async function commonWords(db: Database.Database, dfMin: number): Promise<{ term: string; doc: number }[]> {
  const slice = st(db, 'SELECT term, doc FROM papers_fts_vocab WHERE term > ? ORDER BY term LIMIT ?');
  const out: { term: string; doc: number }[] = [];
  for (let after = ''; ; ) {
    const rows = slice.all(after, VOCABULARY_SLICE) as { term: string; doc: number }[];
    for (const r of rows) if (r.doc >= dfMin) out.push(r);
    if (rows.length < VOCABULARY_SLICE) return out;
    after = rows[rows.length - 1]!.term;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** One word's list, in a write transaction of its own so that what it records is one moment's. */
function buildTopList(db: Database.Database, term: string, opts: TopListOptions): boolean {
  if (db.inTransaction || !beginImmediate(db)) return false;
  try {
    const size = opts.size ?? TOP_LIST_SIZE;
    const w = opts.weights;
    const at = averages(db);
    // in this transaction: the very count bm25() divides by below
    const doc = (st(db, 'SELECT doc FROM papers_fts_vocab WHERE term = ?').pluck().get(term) as number | undefined) ?? 0;
    const top = db
      .prepare('SELECT rowid, -bm25(papers_fts, ?, ?, ?) AS score FROM papers_fts WHERE papers_fts MATCH ? ORDER BY score DESC LIMIT ?')
      .all(w.title, w.abstract, w.authors, quote(term), size) as { rowid: number; score: number }[];
    const through = st(db, 'SELECT indexed_through FROM search_state').pluck().get() as number;
    const seq = st(db, 'SELECT coalesce(max(seq), 0) FROM search_changes').pluck().get() as number;
    // every paper holding the word is on the list: nothing is left outside it to bound
    const cut = top.length < size ? 0 : top[top.length - 1]!.score / idf(at.papers, doc);
    st(db, 
      `INSERT INTO search_top_lists (term, papers, avgdl, built_through, changes_seq, cut, rowids) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (term) DO UPDATE SET papers = excluded.papers, avgdl = excluded.avgdl, built_through = excluded.built_through,
         changes_seq = excluded.changes_seq, cut = excluded.cut, rowids = excluded.rowids`,
    ).run(term, at.papers, at.avgdl, through, seq, cut, JSON.stringify(top.map((r) => r.rowid)));
    db.exec('COMMIT');
    return true;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}
