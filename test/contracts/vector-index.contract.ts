/**
 * The VectorIndex contract (issue 12, decision 020), run on every adapter
 * (test/vector-index.test.ts): nearest neighbours best first with their cosines, upserts that
 * replace, removals, the `among` filter, and a file that survives a reopen, while a corrupt,
 * truncated or mismatched one is ignored (the index starts empty and is rebuilt from the store).
 */
import { mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncedVectorIndex, VectorHit } from '../../src/ports/vector-index.js';
import { clusteredVectors, normalize } from '../support/vectors.js';

export type OpenIndex = (opts: { dimensions: number; file?: string }) => Promise<SyncedVectorIndex & { openedFrom: { loaded: boolean; reason: string | null } }>;

export interface VectorIndexHarness {
  name: string;
  open: OpenIndex;
  /** the files it writes for `file` (to corrupt one in the tests) */
  files(file: string): string[];
}

const id = (i: number) => `2405.${String(i).padStart(5, '0')}`;

/** The exact top k by brute force, for comparison. */
function bruteForce(vectors: Float32Array[], q: Float32Array, k: number, accept: (i: number) => boolean = () => true): VectorHit[] {
  return vectors
    .map((v, i) => ({ id: id(i), score: v.reduce((s, x, j) => s + x * q[j]!, 0), i }))
    .filter((h) => accept(h.i))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map(({ id, score }) => ({ id, score }));
}

export function vectorIndexContract(h: VectorIndexHarness): void {
  describe(`VectorIndex contract: ${h.name}`, () => {
    const open: SyncedVectorIndex[] = [];
    const openIndex: OpenIndex = async (opts) => {
      const index = await h.open(opts);
      open.push(index);
      return index;
    };
    afterEach(async () => {
      for (const index of open.splice(0)) await index.close();
    });
    const tempFile = () => join(mkdtempSync(join(tmpdir(), 'paperboy-vectors-')), 'builtin-abc.usearch');

    it('finds the nearest vectors best first, with their cosine similarities', async () => {
      const vectors = clusteredVectors(500, 16, { seed: 3 });
      const index = await openIndex({ dimensions: 16 });
      expect(index.size).toBe(0);
      expect(await index.search(vectors[0]!, 5)).toEqual([]);
      await index.upsert(vectors.map((vector, i) => ({ id: id(i), vector })));
      expect(index.size).toBe(500);
      const hits = await index.search(vectors[7]!, 5);
      const exact = bruteForce(vectors, vectors[7]!, 5);
      expect(hits[0]!.id).toBe(id(7));
      expect(hits[0]!.score).toBeCloseTo(1, 5);
      expect(hits.map((x) => x.id)).toEqual(exact.map((x) => x.id));
      for (const [i, hit] of hits.entries()) expect(hit.score).toBeCloseTo(exact[i]!.score, 5);
      expect(await index.search(vectors[7]!, 0)).toEqual([]);
      expect(await index.search(vectors[7]!, 10_000)).toHaveLength(500);
    });

    it('reaches recall@10 of at least 0.95 against exact search on clustered vectors', async () => {
      // queries: other draws around the same centroids
      const drawn = clusteredVectors(6060, 48, { seed: 5, clusters: 60 });
      const vectors = drawn.slice(0, 6000);
      const queries = drawn.slice(6000);
      const index = await openIndex({ dimensions: 48 });
      await index.upsert(vectors.map((vector, i) => ({ id: id(i), vector })));
      let found = 0;
      for (const q of [...queries, ...vectors.slice(0, 40)]) {
        const truth = new Set(bruteForce(vectors, q, 10).map((x) => x.id));
        found += (await index.search(q, 10)).filter((x) => truth.has(x.id)).length;
      }
      expect(found / (100 * 10)).toBeGreaterThanOrEqual(0.95);
    });

    it('replaces the vector of an id given again, and forgets removed ids', async () => {
      const [a, b, c] = clusteredVectors(3, 8, { seed: 9, clusters: 3, spread: 0.1 });
      const index = await openIndex({ dimensions: 8 });
      await index.upsert([
        { id: 'a', vector: a! },
        { id: 'b', vector: b! },
      ]);
      await index.upsert([{ id: 'a', vector: c! }]);
      expect(index.size).toBe(2);
      expect((await index.search(c!, 1))[0]).toMatchObject({ id: 'a' });
      expect((await index.search(c!, 1))[0]!.score).toBeCloseTo(1, 5);
      await index.remove(['a', 'missing']);
      expect(index.size).toBe(1);
      expect((await index.search(c!, 5)).map((x) => x.id)).toEqual(['b']);
      // a removed id can come back; the last of one batch wins
      await index.upsert([
        { id: 'a', vector: a! },
        { id: 'a', vector: b! },
      ]);
      expect(index.size).toBe(2);
      expect((await index.search(b!, 2)).map((x) => x.score.toFixed(4))).toEqual(['1.0000', '1.0000']);
    });

    it('returns only accepted ids, k of them when enough pass, however rare', async () => {
      const vectors = clusteredVectors(3000, 16, { seed: 11, clusters: 10 });
      const index = await openIndex({ dimensions: 16 });
      await index.upsert(vectors.map((vector, i) => ({ id: id(i), vector })));
      for (const every of [2, 37, 1000]) {
        const among = new Set(vectors.map((_, i) => id(i)).filter((x) => Number(x.slice(5)) % every === 0));
        const hits = await index.search(vectors[1]!, 10, { among });
        const exact = bruteForce(vectors, vectors[1]!, 10, (i) => i % every === 0);
        expect(hits.every((x) => among.has(x.id))).toBe(true);
        expect(hits).toHaveLength(Math.min(10, exact.length));
        const truth = new Set(exact.map((x) => x.id));
        expect(hits.filter((x) => truth.has(x.id)).length).toBeGreaterThanOrEqual(Math.ceil(0.9 * exact.length));
      }
      expect(await index.search(vectors[1]!, 10, { among: new Set() })).toEqual([]);
    });

    it('refuses a vector or query of the wrong length, naming it, and changes nothing', async () => {
      const index = await openIndex({ dimensions: 4 });
      await expect(index.upsert([{ id: 'ok', vector: normalize(Float32Array.from([1, 2, 3, 4])) }, { id: '2405.00001', vector: new Float32Array(3) }])).rejects.toThrow(
        /2405\.00001.*3 values.*4 dimensions/,
      );
      await expect(index.upsert([{ id: 'nan', vector: Float32Array.from([0, NaN, 0, 0]) }])).rejects.toThrow(/nan.*NaN/);
      expect(index.size).toBe(0);
      await expect(index.search(new Float32Array(5), 3)).rejects.toThrow(/query.*5 values/);
    });

    it('saves what it holds with its seq, and opens it again from the file', async () => {
      const file = tempFile();
      const vectors = clusteredVectors(800, 16, { seed: 13 });
      const index = await openIndex({ dimensions: 16, file });
      expect(index.openedFrom).toEqual({ loaded: false, reason: 'no index file yet' });
      await index.upsert(vectors.map((vector, i) => ({ id: id(i), vector })));
      await index.remove([id(3), id(4)]);
      index.markSynced(812);
      await index.save();
      const before = await index.search(vectors[10]!, 10);

      const again = await openIndex({ dimensions: 16, file });
      expect(again.openedFrom).toEqual({ loaded: true, reason: null });
      expect(again.size).toBe(798);
      expect(again.syncedSeq).toBe(812);
      expect(await again.search(vectors[10]!, 10)).toEqual(before);
      expect((await again.search(vectors[3]!, 800)).map((x) => x.id)).not.toContain(id(3));
      // and goes on from there: a freed slot reused, a new id added, saved again
      await again.upsert([
        { id: 'new-1', vector: vectors[3]! },
        { id: 'new-2', vector: vectors[4]! },
        { id: 'new-3', vector: vectors[5]! },
      ]);
      again.markSynced(815);
      const twins = await again.search(vectors[5]!, 2);
      await again.save();
      const third = await openIndex({ dimensions: 16, file });
      expect(third.size).toBe(801);
      expect(third.syncedSeq).toBe(815);
      expect((await third.search(vectors[4]!, 1))[0]).toMatchObject({ id: 'new-2' });
      expect((await third.search(vectors[4]!, 1))[0]!.score).toBeCloseTo(1, 5);
      // new-3 is vectors[5] again: the file answers as the index it was saved from did. Not
      // asserted: that both twins come back, since a graph built by several threads at once leaves
      // a node now and then that no walk reaches (1 run in ~700 here; the exact adapter always does)
      expect(await third.search(vectors[5]!, 2)).toEqual(twins);
      expect(twins[0]!.score).toBeCloseTo(1, 5);
      expect(twins.map((x) => x.id).some((x) => x === id(5) || x === 'new-3')).toBe(true);
      expect((await third.search(vectors[3]!, 1))[0]!.id).toBe('new-1');
    });

    it('starts empty, saying why, from a corrupt, truncated or mismatched file', async () => {
      const file = tempFile();
      const vectors = clusteredVectors(300, 8, { seed: 17 });
      const index = await openIndex({ dimensions: 8, file });
      await index.upsert(vectors.map((vector, i) => ({ id: id(i), vector })));
      index.markSynced(300);
      await index.save();
      const files = h.files(file);
      const saved = files.map((f) => readFileSync(f));
      const restore = () => files.forEach((f, i) => writeFileSync(f, saved[i]!));

      expect((await openIndex({ dimensions: 16, file })).openedFrom).toEqual({ loaded: false, reason: expect.stringMatching(/dimensions/) });
      for (const [i, f] of files.entries()) {
        const bytes = Buffer.from(saved[i]!);
        bytes[Math.floor(bytes.length * 0.6)]! ^= 0x5a; // one byte flipped, in the vectors or the graph
        writeFileSync(f, bytes);
        const opened = await openIndex({ dimensions: 8, file });
        expect(opened.openedFrom.loaded).toBe(false);
        expect(opened.openedFrom.reason).toMatch(/checksum|does not match|corrupt/);
        expect(opened.size).toBe(0);
        expect(opened.syncedSeq).toBe(0);
        restore();
        truncateSync(f, Math.floor(saved[i]!.length / 2));
        expect((await openIndex({ dimensions: 8, file })).openedFrom.loaded).toBe(false);
        restore();
      }
      const whole = await openIndex({ dimensions: 8, file });
      expect(whole.openedFrom.loaded).toBe(true);
      expect(whole.size).toBe(300);
      // nothing left behind but its own files
      expect(readdirSync(join(file, '..')).sort()).toEqual(files.map((f) => f.slice(f.lastIndexOf('/') + 1)).sort());
    });
  });
}
