/**
 * Migration 21 (decision 041): on PostgreSQL a day's vote version is spread over rows per
 * (day, shard). A database at version 20 keeps its days' versions through the migration, and
 * votes cast at once on one day's papers afterwards each move the day's version exactly once,
 * spread over several rows, with every tally exact.
 */
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../src/adapters/db/postgres.store.js';
import { postgresAt } from './support/schema-at.js';

const AT = '2026-07-01T10:00:00.000Z';
const PAPERS = 40;
const id = (i: number) => `2606.${String(i).padStart(5, '0')}`;

describe('migration 21: vote days in shards (PostgreSQL)', () => {
  it('keeps the days\' versions, then spreads concurrent votes of one day over shards, each counted once', async () => {
    const papers = Array.from({ length: PAPERS }, (_, i) => `('${id(i)}', '2026-07-01', '{}', '${AT}', '${AT}')`).join(', ');
    const at = await postgresAt(
      (m) => m.version <= 20,
      `INSERT INTO papers (id, day, provenance, created_at, modified_at) VALUES ${papers};
       INSERT INTO vote_days (day, version) VALUES ('2026-06-30', 4), ('2026-07-01', 7);`,
    );
    const db = openPostgres(at.url);
    try {
      await db.store.migrate();
      expect(await db.votes.votesVersion('2026-06-30', '2026-07-01')).toBe('2.11');
      const outcomes = await Promise.all(
        Array.from({ length: PAPERS }, (_, i) =>
          db.votes.castVote({ paperId: id(i), accountId: `reader-${i}`, network: `198.51.${i}.0/24`, networkSince: AT, accountCreatedAt: AT, at: AT }, () => 1000),
        ),
      );
      expect(outcomes.every((o) => o.changed && o.votes === 1)).toBe(true);
      const [, sum] = (await db.votes.votesVersion('2026-07-01', '2026-07-01')).split('.');
      expect(Number(sum)).toBe(7 + PAPERS);
      const [shards] = await at.query<{ n: number }>("SELECT count(*)::int AS n FROM vote_days WHERE day = '2026-07-01'");
      expect(shards!.n).toBeGreaterThan(1);
      expect([...(await db.votes.talliesOf(Array.from({ length: PAPERS }, (_, i) => id(i)))).values()].every((t) => t.votes === 1)).toBe(true);
    } finally {
      await db.store.close();
      await at.drop();
    }
  });
});
