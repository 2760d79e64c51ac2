/**
 * At most `max` emails to one address per `windowMs` from the subscribe form, so that the form
 * can't be used to flood someone's inbox with confirmation mails. Kept in this process's memory:
 * per web node, forgotten on restart (docs/decisions/019 says why that is enough for now and
 * what would move it into the database). Bounded: past `maxAddresses`, the oldest entries go.
 */
export class AddressLimiter {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly max = 3,
    private readonly windowMs = 3_600_000,
    private readonly maxAddresses = 100_000,
  ) {}

  /** Counts one email to `address` at `now` and says true, or says false when it is over its budget. */
  take(address: string, now: number): boolean {
    const key = address.toLowerCase();
    const recent = (this.sent.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.max) {
      this.sent.set(key, recent);
      return false;
    }
    recent.push(now);
    this.sent.delete(key); // re-inserted last: the Map's order is then oldest activity first
    this.sent.set(key, recent);
    if (this.sent.size > this.maxAddresses) this.evict();
    return true;
  }

  /** Drops the least recently active addresses (the Map's first entries) down to 90%: amortised O(1) per take. */
  private evict(): void {
    const drop = this.sent.size - Math.floor(this.maxAddresses * 0.9);
    let i = 0;
    for (const key of this.sent.keys()) {
      if (i++ >= drop) return;
      this.sent.delete(key);
    }
  }
}
