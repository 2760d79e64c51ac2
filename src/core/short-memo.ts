/**
 * Small per-key values read from the database, kept for a moment: what every view of a page asks
 * before its cached copy can answer (a paper's vote count and its discussion's version, decision
 * 031; the days' vote versions of a listing). Without it each view of a cached page is database
 * round trips, which on PostgreSQL's pool are most of its cost.
 *
 * Two ways to keep a value:
 * - for `ttlMs` (one second: other web nodes' writes show within it, as PaperStore.dataVersion's do);
 * - with `generation`, a token that changes whenever any of the values may have (a sum of
 *   versions, say): a value is kept while the token is the same, and the token itself is asked at
 *   most once per `ttlMs`. Values then live as long as nothing changes, at one read a second.
 * Either way the writes made through this process forget what they change at once (forget,
 * clear), so that a reader sees their own vote or comment on the next page. Concurrent misses on
 * one key share one read; at most `maxEntries` are kept, the oldest going first.
 */
export interface ShortMemoOptions {
  ttlMs?: number;
  maxEntries?: number;
  /** a token that changes whenever any value may have: values are kept while it holds */
  generation?: () => Promise<string>;
  now?: () => number;
}

export class ShortMemo<V> {
  private readonly entries = new Map<string, { value: Promise<V>; at: number; generation: string }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private token: { value: Promise<string>; at: number } | null = null;

  constructor(private readonly opts: ShortMemoOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 1_000;
    this.maxEntries = opts.maxEntries ?? 20_000;
    this.now = opts.now ?? Date.now;
  }

  async get(key: string, read: () => Promise<V>): Promise<V> {
    const at = this.now();
    const generation = this.opts.generation ? await this.generation(at) : '';
    const kept = this.entries.get(key);
    if (kept && (this.opts.generation ? kept.generation === generation : at - kept.at < this.ttlMs)) return kept.value;
    if (kept) this.entries.delete(key);
    const value = read();
    this.entries.set(key, { value, at, generation });
    // a failed read is not kept: the next asks again
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** After a write to `key` through this process: its next read asks the database. */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** After a write whose keys are not known here: every next read asks the database. */
  clear(): void {
    this.entries.clear();
  }

  /** The generation token, asked at most once per ttlMs (a failed ask is asked again). */
  private generation(at: number): Promise<string> {
    if (this.token && at - this.token.at < this.ttlMs) return this.token.value;
    const value = this.opts.generation!();
    const token = { value, at };
    this.token = token;
    value.catch(() => {
      if (this.token === token) this.token = null;
    });
    return value;
  }
}
