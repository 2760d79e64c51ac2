/**
 * Migration 20 (decision 039): a SQLite database at schema version 19 keeps its paper vectors in
 * a WITHOUT ROWID table, where every 1,024-byte vector spilled into an overflow page. Migrated,
 * every vector, removal and seq comes through byte for byte into a rowid table a third the size,
 * and the vectors port goes on from the last seq.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../src/adapters/db/sqlite.store.js';
import { sqliteAt } from './support/schema-at.js';

const AT = '2026-07-01T10:00:00.000Z';
const EMBEDDER = 'builtin-sif-256:0123456789abcdef';
const PAPERS = 400;
const DIMS = 256;

/** A unit vector that differs per paper. */
function vectorOf(i: number): Float32Array {
  const v = Float32Array.from({ length: DIMS }, (_, d) => Math.sin(i * 7.1 + d));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Bytes the table and its indexes take per stored row. */
function bytesPerRow(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    const { bytes } = db.prepare("SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name IN ('paper_vectors', 'paper_vectors_seq') OR name LIKE 'sqlite_autoindex_paper_vectors%'").get() as { bytes: number };
    return bytes / PAPERS;
  } finally {
    db.close();
  }
}

describe('migration 20: paper vectors in a rowid table', () => {
  it('keeps every vector, removal and seq, in a third of the space, and the port goes on from there', async () => {
    // seqs out of id order, and every tenth paper's vector removed (a deleted paper)
    const rows = [`INSERT INTO embedders (id, dimensions, created_at, completed_at, last_seq) VALUES ('${EMBEDDER}', ${DIMS}, '${AT}', '${AT}', ${PAPERS});`];
    for (let i = 0; i < PAPERS; i++) {
      const v = vectorOf(i);
      const blob = i % 10 === 0 ? 'NULL' : `x'${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}'`;
      rows.push(`INSERT INTO paper_vectors VALUES ('${EMBEDDER}', '2606.${String(i).padStart(5, '0')}', ${PAPERS - i}, 'hash-${i}', '${AT}', ${blob});`);
    }
    const path = sqliteAt((m) => m.version <= 19, rows.join('\n'));
    const before = bytesPerRow(path);

    const db = openSqlite(path);
    await db.store.migrate();
    try {
      const changes = await db.vectors.vectorChanges(EMBEDDER, 0, PAPERS + 10);
      expect(changes.map((c) => c.seq)).toEqual(Array.from({ length: PAPERS }, (_, k) => k + 1));
      for (const c of changes) {
        const i = PAPERS - c.seq;
        expect(c.paperId).toBe(`2606.${String(i).padStart(5, '0')}`);
        if (i % 10 === 0) expect(c.vector).toBeNull();
        else expect([...c.vector!]).toEqual([...vectorOf(i)]);
      }
      const some = await db.vectors.vectorsOf(EMBEDDER, ['2606.00001', '2606.00010', '2606.00399']);
      expect([...some.keys()].sort()).toEqual(['2606.00001', '2606.00399']);
      // the embedder's counter goes on: the next write takes the next seq
      const v = vectorOf(1000);
      await db.vectors.putVectors(EMBEDDER, [{ paperId: '2606.00010', contentHash: 'new', paperModified: AT, vector: v }]);
      expect(await db.vectors.vectorChanges(EMBEDDER, PAPERS, 10)).toEqual([{ seq: PAPERS + 1, paperId: '2606.00010', vector: v }]);
      // dropping the embedder still takes its vectors with it (the foreign key came through)
      await db.vectors.registerEmbedder('other', DIMS, AT);
      await db.vectors.putVectors('other', [{ paperId: '2606.00002', contentHash: 'h', paperModified: AT, vector: v }]);
      await db.vectors.dropEmbedder('other');
      expect(await db.vectors.vectorsOf('other', ['2606.00002'])).toEqual(new Map());
    } finally {
      await db.store.close();
    }
    const after = new Database(path, { readonly: true });
    try {
      const { sql } = after.prepare("SELECT sql FROM sqlite_schema WHERE name = 'paper_vectors'").get() as { sql: string };
      expect(sql).not.toMatch(/WITHOUT ROWID/i);
      expect(after.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
      expect(after.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'paper_vectors' AND type = 'index' AND name = 'paper_vectors_seq'").all()).toHaveLength(1);
    } finally {
      after.close();
    }
    // 4,681 bytes a row before (an overflow page each), about 1,500 after
    expect(before).toBeGreaterThan(4000);
    expect(bytesPerRow(path)).toBeLessThan(before / 2.5);
  });
});
