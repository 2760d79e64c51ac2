/**
 * Migration 22 (decision 042): an embedder from before the embedding queue existed walks the
 * archive once more (what it lacks may be anywhere), then takes only its queue; on SQLite and on
 * the PostgreSQL server.
 */
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../src/adapters/db/postgres.store.js';
import { openSqlite } from '../src/adapters/db/sqlite.store.js';
import type { Embedder } from '../src/ports/embedder.js';
import type { OpenedDatabase } from '../src/ports/paper-store.js';
import { EmbeddingJob } from '../src/services/embedding-job.js';
import { counting } from './support/counting.js';
import { samplePaper, write } from './support/papers.js';
import { postgresAt, sqliteAt } from './support/schema-at.js';

const AT = '2026-07-01T10:00:00.000Z';
/** Two papers and an embedder marked complete at version 21 (its vectors are not needed here). */
const ROWS = `
  INSERT INTO papers (id, day, provenance, created_at, modified_at) VALUES
    ('2606.00001', '2026-07-01', '{}', '${AT}', '${AT}'), ('2606.00002', '2026-07-01', '{}', '${AT}', '${AT}');
  INSERT INTO embedders (id, dimensions, created_at, completed_at, last_seq) VALUES ('e1', 4, '${AT}', '${AT}', 0);
`;

/** An embedder with e1's id, counting what it embeds. */
function e1(): Embedder & { embedded: number } {
  return {
    id: 'e1',
    dimensions: 4,
    embedded: 0,
    embed(texts) {
      this.embedded += texts.length;
      return Promise.resolve(texts.map(() => Float32Array.from([1, 0, 0, 0])));
    },
    close: () => Promise.resolve(),
  };
}

async function checkMigrated(db: OpenedDatabase): Promise<void> {
  await db.store.migrate();
  expect(await db.vectors.embedder('e1')).toMatchObject({ walked: false });
  expect(await db.vectors.queueLength('e1')).toBe(0);
  const calls: Record<string, number> = {};
  const job = new EmbeddingJob(counting(db.vectors, calls));
  const embedder = e1();
  expect(await job.run(embedder)).toMatchObject({ embedded: 2, complete: true });
  expect(calls.papersToEmbed).toBe(1); // one page: the walk
  expect(await db.vectors.embedder('e1')).toMatchObject({ walked: true });

  await db.store.transaction((tx) => tx.savePapers([write(samplePaper('2606.00003'))], []));
  expect(await db.vectors.queueLength('e1')).toBe(1);
  expect(await job.run(embedder)).toMatchObject({ embedded: 1, complete: true });
  expect(calls.papersToEmbed).toBe(1); // no second walk
  expect(embedder.embedded).toBe(3);
  await db.store.close();
}

describe('migration 22: the embedding queue', () => {
  it('on SQLite: an embedder from before walks once, then takes its queue', async () => {
    await checkMigrated(openSqlite(sqliteAt((m) => m.version <= 21, ROWS)));
  });

  it('on the PostgreSQL server: the same', async () => {
    const db = await postgresAt((m) => m.version <= 21, ROWS);
    try {
      await checkMigrated(openPostgres(db.url));
    } finally {
      await db.drop();
    }
  });
});
