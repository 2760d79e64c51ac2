/**
 * A uniform sample of at most `size` items from a stream of unknown length (Vitter's algorithm R),
 * with a seeded generator so that the same stream gives the same sample. Memory: `size` items,
 * however long the stream.
 */
import { seededRandom } from './seeded-random.js';

export class Reservoir<T> {
  private readonly items: T[] = [];
  private readonly random: () => number;
  /** items offered so far */
  seen = 0;

  constructor(
    readonly size: number,
    seed = 1,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`reservoir size must be a positive integer, not ${size}`);
    this.random = seededRandom(seed);
  }

  offer(item: T): void {
    this.seen++;
    if (this.items.length < this.size) {
      this.items.push(item);
      return;
    }
    // the n-th item replaces a random one with probability size / n
    const j = Math.floor(this.random() * this.seen);
    if (j < this.size) this.items[j] = item;
  }

  /** The sample, in no particular order (the items in stream order while fewer than size were offered). */
  get sample(): readonly T[] {
    return this.items;
  }
}
