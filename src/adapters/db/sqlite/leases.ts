/** The SQLite store's job leases. */
import type { JobLeases } from '../../../ports/job-leases.js';
import { SqlitePart } from './connection.js';

export class SqliteLeases extends SqlitePart implements JobLeases {
  async takeLease(name: string, holder: string, seconds: number): Promise<boolean> {
    // in the write queue, never inside another caller's open transaction; not counted as a
    // commit, since a lease changes nothing a page shows
    return this.serialized(() => this.q.takeLease.run(name, holder, `+${Math.max(0, seconds)} seconds`).changes === 1);
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.serialized(() => this.q.releaseLease.run(name, holder));
  }

  async leaseLeft(name: string): Promise<number | null> {
    const row = this.q.leaseLeft.get(name) as { left: number } | undefined;
    return row ? Math.max(0, row.left) : null;
  }
}
