/** The PostgreSQL store's operational figures (ports/operations.ts), the same on every node. */
import type { LeaseHolder, OperationsStatus, SourceHarvest } from '../../../ports/operations.js';
import { PostgresPart } from './connection.js';

export class PostgresOperations extends PostgresPart implements OperationsStatus {
  async searchBacklog(): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>('SELECT count(*) AS n FROM search_queue');
    return Number(rows[0]!.n);
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
