/**
 * Migration 23 (decision 044): a store from before the queue of pages to render keeps its stored
 * pages, has no layout walked yet (the first run after the upgrade walks the archive once, as every
 * start did before), and queues pages from then on; on SQLite and on the PostgreSQL server.
 */
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../src/adapters/db/postgres.store.js';
import { openSqlite } from '../src/adapters/db/sqlite.store.js';
import type { OpenedDatabase } from '../src/ports/paper-store.js';
import { PagesAhead } from '../src/delivery/http/pages-ahead.js';
import { postgresAt, sqliteAt } from './support/schema-at.js';

const AT = '2026-07-01T10:00:00.000Z';
/** Two papers with related lists, one page stored for the first, at version 22. */
const ROWS = `
  INSERT INTO papers (id, day, provenance, created_at, modified_at) VALUES
    ('2606.00001', '2026-07-01', '{}', '${AT}', '${AT}'), ('2606.00002', '2026-07-01', '{}', '${AT}', '${AT}');
  INSERT INTO related_papers (paper_id, related) VALUES ('2606.00001', '["2606.00002"]'), ('2606.00002', '["2606.00001"]');
  INSERT INTO paper_pages (paper_id, layout, modified, related, similar_modified, etag, body)
    VALUES ('2606.00001', 'L', '${AT}', '["2606.00002"]', '${AT}', 'e1', 'x');
`;

async function checkMigrated(db: OpenedDatabase): Promise<void> {
  await db.store.migrate();
  const store = db.store;
  expect(await store.walkedLayout()).toBeNull();
  expect((await store.duePages('L', 1, 10)).taken).toEqual([]);
  // the migration's own statements wrote no list: nothing queued, the stored page kept
  expect(await store.storedPage('2606.00001', 'L', 1)).not.toBeNull();
  const rendered: string[] = [];
  const ahead = new PagesAhead(store, async (id) => (rendered.push(id), { status: 200, type: 'text/html; charset=utf-8', body: `<p>${id}</p>` }), 'L', 1);
  // the first run walks: the stored page is current, the other one missing
  expect(await ahead.refresh()).toMatchObject({ walked: true, rendered: 1 });
  expect(rendered).toEqual(['2606.00002']);
  await store.saveRelated([{ id: '2606.00001', related: [] }]);
  expect(await ahead.refresh()).toMatchObject({ walked: false, rendered: 1 });
  expect(rendered).toEqual(['2606.00002', '2606.00001']);
  await store.close();
}

describe('migration 23: the queue of pages to render', () => {
  it('on SQLite: the first run walks once, then takes the queue', async () => {
    await checkMigrated(openSqlite(sqliteAt((m) => m.version <= 22, ROWS)));
  });

  it('on the PostgreSQL server: the same', async () => {
    const db = await postgresAt((m) => m.version <= 22, ROWS);
    try {
      await checkMigrated(openPostgres(db.url));
    } finally {
      await db.drop();
    }
  });
});
