/**
 * VectorSync on real stores (SQLite, PostgreSQL or PGlite) and a real HNSW index with its files:
 * a rebuild from the store when there is no usable file, and afterwards only the changes since
 * the index's seq read and applied (counted at the store).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexOpener, vectorIndexFile } from '../src/adapters/vector-index/open-vector-index.js';
import type { PaperVectors, PaperVectorWrite } from '../src/ports/paper-vectors.js';
import { VectorSync } from '../src/services/vector-sync.service.js';
import { storePerTest } from './contracts/store-per-test.js';
import { pgliteHarness, postgresHarness } from './support/postgres-harness.js';
import { sqliteHarness } from './support/sqlite-harness.js';
import type { OpenedStore, StoreHarness } from './support/store-harness.js';
import { clusteredVectors } from './support/vectors.js';

const DIMS = 16;
const N = 5000;
const T0 = '2026-07-01T10:00:00.000Z';
const id = (i: number) => `2501.${String(i).padStart(5, '0')}`;

const pg = await postgresHarness();

for (const harness of [sqliteHarness, pg, ...(pg === pgliteHarness ? [] : [pgliteHarness])]) syncSuite(harness);

function syncSuite(harness: StoreHarness): void {
  describe(`VectorSync: ${harness.name}`, () => {
    let opened: OpenedStore;
    storePerTest(harness, (o) => {
      opened = o;
    });

    /** The store's vectors, with a count of the change rows read through it. */
    function counted(): { vectors: PaperVectors; rowsRead: () => number } {
      let rows = 0;
      const v = opened.vectors;
      return {
        vectors: {
          ...v,
          embedder: (x) => v.embedder(x),
          vectorChanges: async (e, after, limit) => {
            const changes = await v.vectorChanges(e, after, limit);
            rows += changes.length;
            return changes;
          },
        } as PaperVectors,
        rowsRead: () => rows,
      };
    }

    function syncer(vectors: PaperVectors, dir: string) {
      return new VectorSync({
        vectors,
        batch: 700,
        openIndex: indexOpener(join(dir, 'papers.db'), dir),
      });
    }

    const writes = (from: number, to: number, vectors: Float32Array[], hash = 'v1'): PaperVectorWrite[] =>
      Array.from({ length: to - from }, (_, j) => ({ paperId: id(from + j), contentHash: hash, paperModified: T0, vector: vectors[from + j]! }));

    it('builds the index from the store once, then applies only what changed since its seq', { timeout: 120_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-sync-'));
      const data = clusteredVectors(N, DIMS, { seed: 21, clusters: 30 });
      const fresh = clusteredVectors(1000, DIMS, { seed: 22, clusters: 30 });
      await opened.vectors.registerEmbedder('builtin:x', DIMS, T0);
      for (let at = 0; at < N; at += 1000) await opened.vectors.putVectors('builtin:x', writes(at, at + 1000, data));

      const first = counted();
      const a = await syncer(first.vectors, dir).open('builtin:x');
      expect(a.report).toMatchObject({ applied: N, upserted: N, removed: 0, seq: N, rebuilt: 'no index file yet' });
      expect(first.rowsRead()).toBe(N);
      expect(a.index.size).toBe(N);
      expect((await a.index.search(data[42]!, 1))[0]).toMatchObject({ id: id(42) });
      await a.index.close();

      // 1,000 papers change: 800 new vectors (ids 1000..1799), 200 removed (ids 3000..3199)
      const changed = Array.from({ length: 800 }, (_, j) => ({ paperId: id(1000 + j), contentHash: 'v2', paperModified: T0, vector: fresh[j]! }));
      await opened.vectors.putVectors('builtin:x', changed);
      await opened.vectors.putVectors(
        'builtin:x',
        Array.from({ length: 200 }, (_, j) => ({ paperId: id(3000 + j), contentHash: 'gone', paperModified: T0, vector: null })),
      );

      const second = counted();
      const b = await syncer(second.vectors, dir).open('builtin:x');
      expect(b.report).toMatchObject({ applied: 1000, upserted: 800, removed: 200, seq: N + 1000, rebuilt: null });
      expect(second.rowsRead()).toBe(1000); // not the archive: only the changes
      expect(b.index.size).toBe(N - 200);
      expect((await b.index.search(fresh[5]!, 1))[0]).toMatchObject({ id: id(1005) });
      expect((await b.index.search(data[3005]!, 50)).map((h) => h.id)).not.toContain(id(3005));
      await b.index.close();

      // nothing changed: nothing read but the empty batch, nothing saved
      const third = counted();
      const c = await syncer(third.vectors, dir).open('builtin:x');
      expect(c.report).toMatchObject({ applied: 0, rebuilt: null, seq: N + 1000 });
      expect(third.rowsRead()).toBe(0);
      await c.index.close();
    });

    it('rebuilds from the store when the file is corrupt, or ahead of the database', { timeout: 120_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'paperboy-sync-'));
      const data = clusteredVectors(1200, DIMS, { seed: 23 });
      const e = await opened.vectors.registerEmbedder('builtin:y', DIMS, T0);
      await opened.vectors.putVectors('builtin:y', writes(0, 1200, data));
      const first = await syncer(opened.vectors, dir).open('builtin:y');
      await first.index.close();

      const file = vectorIndexFile(join(dir, 'papers.db'), e, dir);
      writeFileSync(`${file}.meta`, 'not an index');
      const again = counted();
      const b = await syncer(again.vectors, dir).open('builtin:y');
      expect(b.report.rebuilt).toMatch(/not a Paperboy vector index file/);
      expect(again.rowsRead()).toBe(1200);
      expect(b.index.size).toBe(1200);
      // a file claiming a seq the database never reached (a database restored from a backup)
      b.index.markSynced(99_999);
      await b.index.save();
      await b.index.close();
      const c = await syncer(opened.vectors, dir).open('builtin:y');
      expect(c.report).toMatchObject({ rebuilt: expect.stringMatching(/99999.*1200/), applied: 1200, seq: 1200 });
      expect(c.index.size).toBe(1200);
      await c.index.close();
    });

    it('refuses an embedder the database does not know, naming it', async () => {
      await expect(syncer(opened.vectors, mkdtempSync(join(tmpdir(), 'paperboy-sync-'))).open('nope')).rejects.toThrow(/embedder nope/);
    });
  });
}

describe('vectorIndexFile', () => {
  it('puts a SQLite database’s index beside it and a PostgreSQL one’s in the cache directory, never naming the password', () => {
    const e = { id: 'builtin:abc', createdAt: T0 };
    expect(vectorIndexFile('/srv/paperboy/papers.db', e, '/cache')).toMatch(/^\/srv\/paperboy\/papers\.db\.vectors\/[0-9a-f]{24}\.usearch$/);
    const pgFile = vectorIndexFile('postgres://u:secret@db:5432/papers', e, '/cache');
    expect(pgFile).toMatch(/^\/cache\/[0-9a-f]{24}\.usearch$/);
    expect(vectorIndexFile('postgres://u:other@db:5432/papers', e, '/cache')).toBe(pgFile);
    expect(vectorIndexFile('postgres://u:secret@db:5432/others', e, '/cache')).not.toBe(pgFile);
    expect(vectorIndexFile('/srv/paperboy/papers.db', { ...e, createdAt: '2026-07-02T00:00:00.000Z' }, '/cache')).not.toBe(
      vectorIndexFile('/srv/paperboy/papers.db', e, '/cache'),
    );
  });
});
