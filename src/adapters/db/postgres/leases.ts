/** The PostgreSQL store's job leases. */
import type { JobLeases } from '../../../ports/job-leases.js';
import { PostgresPart } from './connection.js';

export class PostgresLeases extends PostgresPart implements JobLeases {
  async takeLease(name: string, holder: string, seconds: number): Promise<boolean> {
    // two nodes at once: ON CONFLICT makes the second wait for the first's row, then see its holder
    const rows = await this.db.query<{ holder: string }>(
      `INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, clock_timestamp() + make_interval(secs => $3))
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < clock_timestamp()
       RETURNING holder`,
      [name, holder, Math.max(0, seconds)],
    );
    return rows.length === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.query('DELETE FROM job_leases WHERE name = $1 AND holder = $2', [name, holder]);
  }

  async leaseLeft(name: string): Promise<number | null> {
    const rows = await this.db.query<{ left: number }>('SELECT extract(epoch FROM expires_at - clock_timestamp())::float8 AS left FROM job_leases WHERE name = $1', [name]);
    return rows[0] ? Math.max(0, rows[0].left) : null;
  }
}
