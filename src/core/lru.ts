/**
 * A least-recently-used cache bounded by entries and by a total size (bytes, say): what the
 * page and math caches keep. A Map remembers insertion order, so re-inserting on a hit makes the
 * first key the least recently used one.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; size: number }>();
  private total = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxSize = Infinity,
    private readonly sizeOf: (value: V) => number = () => 0,
  ) {}

  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  set(key: K, value: V): void {
    const size = this.sizeOf(value);
    if (size > this.maxSize) return; // would evict everything else and still not fit
    this.delete(key);
    this.map.set(key, { value, size });
    this.total += size;
    while (this.map.size > this.maxEntries || this.total > this.maxSize) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  delete(key: K): void {
    const hit = this.map.get(key);
    if (!hit) return;
    this.map.delete(key);
    this.total -= hit.size;
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }

  get size(): number {
    return this.map.size;
  }
}
