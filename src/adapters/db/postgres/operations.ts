/** The PostgreSQL store's operational figures (ports/operations.ts), the same on every node. */
import type { LeaseHolder, OperationsStatus, OutboxDepth, SourceHarvest } from '../../../ports/operations.js';
import { PostgresPart } from './connection.js';

export class PostgresOperations extends PostgresPart implements OperationsStatus {
  async searchBacklog(): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>('SELECT count(*) AS n FROM search_queue');
    return Number(rows[0]!.n);
  }

  async outboxDepth(): Promise<OutboxDepth> {
    // each status a range of the index digest_outbox_due (status, next_attempt_at, key)
    const rows = await this.db.query<{ queued: string | number; sending: string | number; failed: string | number }>(
      `SELECT (SELECT count(*) FROM digest_outbox WHERE status = 'queued') AS queued,
              (SELECT count(*) FROM digest_outbox WHERE status = 'sending') AS sending,
              (SELECT count(*) FROM digest_outbox WHERE status = 'failed') AS failed`,
    );
    const r = rows[0]!;
    return { queued: Number(r.queued), sending: Number(r.sending), failed: Number(r.failed) };
  }

  async leases(): Promise<LeaseHolder[]> {
    const rows = await this.db.query<{ name: string; holder: string; left: number }>(
      'SELECT name, holder, extract(epoch FROM expires_at - clock_timestamp())::float8 AS left FROM job_leases ORDER BY name',
    );
    return rows.map((r) => ({ name: r.name, holder: r.holder, expiresInSeconds: Number(r.left) }));
  }

  async lastHarvests(): Promise<SourceHarvest[]> {
    const rows = await this.db.query<{ source: string; at: Date | string }>('SELECT source, updated_at AS at FROM source_cursors ORDER BY source');
    return rows.map((r) => ({ source: r.source, at: new Date(r.at).toISOString() }));
  }
}
