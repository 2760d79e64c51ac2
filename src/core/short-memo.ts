/**
 * Small per-key values read from the database, kept for a moment: what every view of a paper page
 * asks before its cached copy can answer (the paper's vote count, its discussion's version,
 * decision 031). Without it each view is two database round trips even when the page is cached,
 * which on PostgreSQL's pool is most of a cached page's cost.
 *
 * A value is kept for `ttlMs` (one second: other web nodes' writes show within it, as
 * PaperStore.dataVersion's do) and forgotten at once by the writes made through this process, so
 * that a reader sees their own vote or comment on the next page. Concurrent misses on one key
 * share one read. At most `maxEntries` are kept; the oldest go first.
 */
export class ShortMemo<V> {
  private readonly entries = new Map<string, { value: Promise<V>; at: number }>();

  constructor(
    private readonly ttlMs = 1_000,
    private readonly maxEntries = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, read: () => Promise<V>): Promise<V> {
    const at = this.now();
    const kept = this.entries.get(key);
    if (kept && at - kept.at < this.ttlMs) return kept.value;
    if (kept) this.entries.delete(key);
    const value = read();
    this.entries.set(key, { value, at });
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
}
