/** The SQLite store's operational figures (ports/operations.ts): plain reads, no write lock. */
import type { LeaseHolder, OperationsStatus, OutboxDepth, SourceHarvest } from '../../../ports/operations.js';
import { pendingPapers } from '../../search/sqlite-fts.refresh.js';
import { SqliteInboxPart } from './inbox-part.js';

export class SqliteOperations extends SqliteInboxPart implements OperationsStatus {
  async searchBacklog(): Promise<number> {
    return pendingPapers(this.db);
  }

  async outboxDepth(): Promise<OutboxDepth> {
    // each status a range of the index digest_outbox_due (status, next_attempt_at, key)
    const count = (status: keyof OutboxDepth) => this.st('SELECT count(*) FROM digest_outbox WHERE status = ?').pluck().get(status) as number;
    return { queued: count('queued'), sending: count('sending'), failed: count('failed') };
  }

  async leases(): Promise<LeaseHolder[]> {
    const rows = this.st(
      "SELECT name, holder, (julianday(expires_at) - julianday('now')) * 86400.0 AS left FROM job_leases ORDER BY name",
    ).all() as { name: string; holder: string; left: number }[];
    return rows.map((r) => ({ name: r.name, holder: r.holder, expiresInSeconds: r.left }));
  }

  async lastHarvests(): Promise<SourceHarvest[]> {
    return this.st('SELECT source, updated_at AS at FROM source_cursors ORDER BY source').all() as SourceHarvest[];
  }
}
