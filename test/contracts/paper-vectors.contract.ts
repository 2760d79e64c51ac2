/**
 * The PaperVectors contract (the papers' vectors per embedder, issue 12, decision 020): what every
 * store adapter must do, run on each of them (test/sqlite.store.test.ts, test/postgres.store.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { PaperToEmbed, PaperVectors, PaperVectorWrite } from '../../src/ports/paper-vectors.js';
import { samplePaper, write } from '../support/papers.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

const T0 = '2026-07-01T10:00:00.000Z';
const T1 = '2026-07-02T10:00:00.000Z';

/** A unit vector of `dims` that differs by seed. */
function vec(seed: number, dims = 4): Float32Array {
  const v = Float32Array.from({ length: dims }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) + 0.01);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Every paper to embed, read in keyset batches of `batch`. */
async function allToEmbed(vectors: PaperVectors, embedder: string, batch = 2): Promise<PaperToEmbed[]> {
  const out: PaperToEmbed[] = [];
  for (let after = ''; ; ) {
    const page = await vectors.papersToEmbed(embedder, after, batch);
    out.push(...page);
    if (page.length < batch) return out;
    after = page.at(-1)!.id;
  }
}

/** The writes that embed these papers, a vector from each id's last digits, a hash from its title. */
function embedded(papers: readonly PaperToEmbed[], dims = 4): PaperVectorWrite[] {
  return papers.map((p) => ({
    paperId: p.id,
    contentHash: `h:${p.title ?? ''}`,
    paperModified: p.modifiedAt,
    vector: p.deleted ? null : vec(Number(p.id.slice(-3)), dims),
  }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function paperVectorsContract(harness: StoreHarness): void {
  describe(`PaperVectors contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let vectors: PaperVectors;
    storePerTest(harness, (o) => {
      opened = o;
      vectors = o.vectors;
    });

    const save = (...papers: ReturnType<typeof samplePaper>[]) => opened.store.transaction((tx) => tx.savePapers(papers.map(write), []));

    it('registers an embedder once, keeps its dimensions, and refuses other dimensions for the same id', async () => {
      expect(await vectors.embedder('builtin:abc')).toBeNull();
      const first = await vectors.registerEmbedder('builtin:abc', 256, T0);
      expect(first).toEqual({ id: 'builtin:abc', dimensions: 256, createdAt: T0, completedAt: null, lastSeq: 0, walked: false });
      expect(await vectors.registerEmbedder('builtin:abc', 256, T1)).toEqual(first);
      await expect(vectors.registerEmbedder('builtin:abc', 384, T1)).rejects.toThrow(/builtin:abc.*256.*384/);
      await expect(vectors.registerEmbedder('x', 0, T1)).rejects.toThrow(/embedder x/);
      await vectors.registerEmbedder('onnx:minilm', 384, T1);
      expect((await vectors.embedders()).map((e) => e.id)).toEqual(['onnx:minilm', 'builtin:abc']);
      await vectors.markEmbedderComplete('builtin:abc', T1);
      expect(await vectors.embedder('builtin:abc')).toMatchObject({ completedAt: T1 });
      await expect(vectors.markEmbedderComplete('nope', T1)).rejects.toThrow(/embedder nope/);
    });

    it('offers every live paper once, in keyset batches by id, then nothing once each has its vector', async () => {
      await save(samplePaper('2405.00003', { title: 'C' }), samplePaper('2405.00001', { title: 'A' }), samplePaper('2405.00002', { title: 'B' }));
      await save(samplePaper('2405.00004', { title: 'D', deleted: true })); // deleted, holding no vector: nothing to do
      await vectors.registerEmbedder('e1', 4, T0);
      const todo = await allToEmbed(vectors, 'e1');
      expect(todo.map((p) => [p.id, p.title, p.deleted, p.contentHash])).toEqual([
        ['2405.00001', 'A', false, null],
        ['2405.00002', 'B', false, null],
        ['2405.00003', 'C', false, null],
      ]);
      expect(todo[0]!.abstract).toBe(samplePaper('x').abstract);
      expect(await vectors.vectorCounts('e1')).toEqual({ papers: 3, current: 0 });
      expect(await vectors.putVectors('e1', embedded(todo))).toBe(3);
      expect(await allToEmbed(vectors, 'e1')).toEqual([]);
      expect(await vectors.vectorCounts('e1')).toEqual({ papers: 3, current: 3 });
      // another embedder has its own set
      await vectors.registerEmbedder('e2', 8, T0);
      expect((await allToEmbed(vectors, 'e2')).map((p) => p.id)).toEqual(['2405.00001', '2405.00002', '2405.00003']);
    });

    it('stores vectors bit for bit and reads them back by paper', async () => {
      await save(samplePaper('2405.00001'), samplePaper('2405.00002'));
      await vectors.registerEmbedder('e1', 5, T0);
      const odd = Float32Array.from([0.1, -0.2, 1e-30, 3.4e38, -0]);
      const todo = await allToEmbed(vectors, 'e1');
      await vectors.putVectors('e1', [{ paperId: todo[0]!.id, contentHash: 'h', paperModified: todo[0]!.modifiedAt, vector: odd }]);
      const got = await vectors.vectorsOf('e1', ['2405.00001', '2405.00002', 'missing']);
      expect([...got.keys()]).toEqual(['2405.00001']);
      expect(got.get('2405.00001')).toEqual(odd);
      expect(Buffer.from(got.get('2405.00001')!.buffer).equals(Buffer.from(odd.buffer))).toBe(true);
      expect(await vectors.vectorsOf('e1', [])).toEqual(new Map());
    });

    it('numbers every change with the embedder’s next seq, and reads changes after a seq in keyset batches', async () => {
      await save(...['2405.00001', '2405.00002', '2405.00003'].map((id) => samplePaper(id, { title: id })));
      await vectors.registerEmbedder('e1', 4, T0);
      await vectors.putVectors('e1', embedded(await allToEmbed(vectors, 'e1')));
      const all = await vectors.vectorChanges('e1', 0, 100);
      expect(all.map((c) => [c.seq, c.paperId])).toEqual([
        [1, '2405.00001'],
        [2, '2405.00002'],
        [3, '2405.00003'],
      ]);
      expect(all[1]!.vector).toEqual(vec(2));
      expect((await vectors.vectorChanges('e1', 1, 1)).map((c) => c.seq)).toEqual([2]);
      expect(await vectors.vectorChanges('e1', 3, 100)).toEqual([]);
      expect((await vectors.embedder('e1'))!.lastSeq).toBe(3);

      // a changed paper: offered again with its old hash; its new vector takes seq 4 and replaces seq 2
      await sleep(5);
      await save(samplePaper('2405.00002', { title: 'new title' }));
      const again = await allToEmbed(vectors, 'e1');
      expect(again.map((p) => [p.id, p.contentHash])).toEqual([['2405.00002', 'h:2405.00002']]);
      expect(await vectors.vectorCounts('e1')).toEqual({ papers: 3, current: 2 });
      expect(await vectors.putVectors('e1', [{ ...embedded(again)[0]!, vector: vec(99) }])).toBe(1);
      const changes = await vectors.vectorChanges('e1', 3, 100);
      expect(changes.map((c) => [c.seq, c.paperId])).toEqual([[4, '2405.00002']]);
      expect(changes[0]!.vector).toEqual(vec(99));
      expect((await vectors.vectorChanges('e1', 0, 100)).map((c) => c.seq)).toEqual([1, 3, 4]); // one row per paper
    });

    it('takes no new seq for a paper whose text did not change, and offers it no more', async () => {
      await save(samplePaper('2405.00001', { title: 'same' }));
      await vectors.registerEmbedder('e1', 4, T0);
      await vectors.putVectors('e1', embedded(await allToEmbed(vectors, 'e1')));
      await sleep(5);
      await save(samplePaper('2405.00001', { title: 'same', comments: 'another comment' })); // modified, same text
      const again = await allToEmbed(vectors, 'e1');
      expect(again).toHaveLength(1);
      expect(again[0]!.contentHash).toBe('h:same');
      expect(await vectors.putVectors('e1', embedded(again))).toBe(0);
      expect((await vectors.embedder('e1'))!.lastSeq).toBe(1);
      expect(await allToEmbed(vectors, 'e1')).toEqual([]);
    });

    it('records a deleted paper as a change with no vector, once', async () => {
      await save(samplePaper('2405.00001'), samplePaper('2405.00002'));
      await vectors.registerEmbedder('e1', 4, T0);
      await vectors.putVectors('e1', embedded(await allToEmbed(vectors, 'e1')));
      await sleep(5);
      await save(samplePaper('2405.00001', { deleted: true }));
      const gone = await allToEmbed(vectors, 'e1');
      expect(gone.map((p) => [p.id, p.deleted])).toEqual([['2405.00001', true]]);
      expect(await vectors.putVectors('e1', embedded(gone))).toBe(1);
      expect(await vectors.vectorChanges('e1', 2, 10)).toEqual([{ seq: 3, paperId: '2405.00001', vector: null }]);
      expect(await allToEmbed(vectors, 'e1')).toEqual([]);
      expect(await vectors.vectorsOf('e1', ['2405.00001'])).toEqual(new Map());
      expect(await vectors.vectorCounts('e1')).toEqual({ papers: 1, current: 1 });
      // removing what was never there writes nothing
      expect(await vectors.putVectors('e1', [{ paperId: '2405.09999', contentHash: 'h', paperModified: T0, vector: null }])).toBe(0);
    });

    it('keeps the last write of a paper named twice in a batch', async () => {
      await save(samplePaper('2405.00001'));
      await vectors.registerEmbedder('e1', 4, T0);
      const [p] = await allToEmbed(vectors, 'e1');
      const w = { paperId: p!.id, paperModified: p!.modifiedAt };
      expect(await vectors.putVectors('e1', [{ ...w, contentHash: 'a', vector: vec(1) }, { ...w, contentHash: 'b', vector: vec(2) }])).toBe(1);
      expect((await vectors.vectorsOf('e1', [p!.id])).get(p!.id)).toEqual(vec(2));
    });

    it('refuses a vector of the wrong length or not finite, naming the paper, and writes nothing of that batch', async () => {
      await save(samplePaper('2405.00001'), samplePaper('2405.00002'));
      await vectors.registerEmbedder('e1', 4, T0);
      const todo = embedded(await allToEmbed(vectors, 'e1'));
      await expect(vectors.putVectors('e1', [todo[0]!, { ...todo[1]!, vector: new Float32Array(3) }])).rejects.toThrow(
        /paper 2405\.00002.*3 dimensions.*e1.*4/,
      );
      await expect(vectors.putVectors('e1', [{ ...todo[1]!, vector: Float32Array.from([0, NaN, 0, 0]) }])).rejects.toThrow(/paper 2405\.00002.*NaN/);
      await expect(vectors.putVectors('nope', todo)).rejects.toThrow(/embedder nope/);
      expect(await vectors.vectorChanges('e1', 0, 10)).toEqual([]);
    });

    it('drops an embedder with its vectors, leaving the others', async () => {
      await save(samplePaper('2405.00001'));
      await vectors.registerEmbedder('e1', 4, T0);
      await vectors.registerEmbedder('e2', 4, T0);
      await vectors.putVectors('e1', embedded(await allToEmbed(vectors, 'e1')));
      await vectors.putVectors('e2', embedded(await allToEmbed(vectors, 'e2')));
      await vectors.dropEmbedder('e1');
      expect(await vectors.embedder('e1')).toBeNull();
      expect(await vectors.vectorChanges('e1', 0, 10)).toEqual([]);
      expect(await vectors.vectorChanges('e2', 0, 10)).toHaveLength(1);
      // registered again, it starts from nothing
      await vectors.registerEmbedder('e1', 4, T1);
      expect((await allToEmbed(vectors, 'e1')).map((p) => p.id)).toEqual(['2405.00001']);
    });

    /** The ids and titles an embedder's queue holds, in id order (the adapter chooses the order it gives them in). */
    const queue = async (embedder: string) => (await vectors.queuedPapers(embedder, 100)).papers.map((p) => [p.id, p.title, p.deleted]).sort();

    it('queues each paper added or changed for every registered embedder, each once; nothing from before it was registered', async () => {
      await save(samplePaper('2405.00001', { title: 'A' })); // before e1: its first walk finds it
      await vectors.registerEmbedder('e1', 4, T0);
      expect(await vectors.queueLength('e1')).toBe(0);
      expect((await vectors.queuedPapers('e1', 10)).papers).toEqual([]);
      await sleep(5);
      await save(samplePaper('2405.00002', { title: 'B' }), samplePaper('2405.00003', { title: 'C' }));
      await save(samplePaper('2405.00001', { title: 'A, revised' }));
      expect(await queue('e1')).toEqual([
        ['2405.00001', 'A, revised', false],
        ['2405.00002', 'B', false],
        ['2405.00003', 'C', false],
      ]);
      expect(await vectors.queueLength('e1')).toBe(3);
      const two = await vectors.queuedPapers('e1', 2);
      expect(two.papers).toHaveLength(2);
      expect(two.papers[0]!.abstract).toBe(samplePaper('x').abstract);
      expect(two.papers.map((p) => p.contentHash)).toEqual([null, null]);
      // a vector written since: the queued paper says what it was made from
      await vectors.putVectors('e1', embedded(two.papers));
      expect((await vectors.queuedPapers('e1', 2)).papers.map((p) => p.contentHash)).toEqual(two.papers.map((p) => `h:${p.title}`));
      // an embedder registered later queues from then on; a deleted paper is queued as deleted
      await vectors.registerEmbedder('e2', 4, T0);
      expect(await vectors.queueLength('e2')).toBe(0);
      await sleep(5);
      await save(samplePaper('2405.00002', { title: 'B', deleted: true }));
      expect(await queue('e2')).toEqual([['2405.00002', 'B', true]]);
      expect(await queue('e1')).toEqual([
        ['2405.00001', 'A, revised', false],
        ['2405.00002', 'B', true],
        ['2405.00003', 'C', false],
      ]);
    });

    it('takes papers done off the queue, in batches, keeping one changed again since it was read, and only for that embedder', async () => {
      await vectors.registerEmbedder('e1', 4, T0);
      await vectors.registerEmbedder('e2', 4, T0);
      await save(samplePaper('2405.00001', { title: 'A' }), samplePaper('2405.00002', { title: 'B' }), samplePaper('2405.00003', { title: 'C' }));
      const first = await vectors.queuedPapers('e1', 2);
      await first.done();
      const rest = await vectors.queuedPapers('e1', 2);
      expect([...first.papers, ...rest.papers].map((p) => p.id).sort()).toEqual(['2405.00001', '2405.00002', '2405.00003']);
      await rest.done();
      expect(await vectors.queueLength('e1')).toBe(0);
      expect((await vectors.queuedPapers('e1', 10)).papers).toEqual([]);

      // changed while being embedded: read, changed, done, still queued, with its new text
      await sleep(5);
      await save(samplePaper('2405.00001', { title: 'A, revised' }));
      const read = await vectors.queuedPapers('e1', 10);
      expect(read.papers.map((p) => p.id)).toEqual(['2405.00001']);
      await sleep(5);
      await save(samplePaper('2405.00001', { title: 'A, again' }), samplePaper('2405.00004', { title: 'D' }));
      await read.done();
      expect(await queue('e1')).toEqual([
        ['2405.00001', 'A, again', false],
        ['2405.00004', 'D', false],
      ]);
      // the same for a paper read as new
      const added = await vectors.queuedPapers('e1', 10);
      await sleep(5);
      await save(samplePaper('2405.00004', { title: 'D, revised' }));
      await added.done();
      expect(await queue('e1')).toEqual([['2405.00004', 'D, revised', false]]);
      // e2 keeps its own: every paper, A once
      expect((await queue('e2')).map(([id]) => id)).toEqual(['2405.00001', '2405.00002', '2405.00003', '2405.00004']);
    });

    it('notes an embedder walked; dropped, its queue goes with it', async () => {
      await vectors.registerEmbedder('e1', 4, T0);
      await save(samplePaper('2405.00001'));
      await vectors.markEmbedderWalked('e1');
      expect(await vectors.embedder('e1')).toMatchObject({ walked: true });
      await expect(vectors.markEmbedderWalked('nope')).rejects.toThrow(/embedder nope/);
      await vectors.dropEmbedder('e1');
      expect(await vectors.registerEmbedder('e1', 4, T1)).toMatchObject({ walked: false });
      expect(await vectors.queueLength('e1')).toBe(0);
    });

    it('gives concurrent batches from two handles distinct seqs, each paper’s newest change last', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `2405.${String(i).padStart(5, '0')}`);
      await save(...ids.map((id) => samplePaper(id)));
      await vectors.registerEmbedder('e1', 4, T0);
      const db = await opened.reopenDatabase();
      await db.store.migrate();
      const todo = embedded(await allToEmbed(vectors, 'e1', 100));
      const counts = await Promise.all([
        vectors.putVectors('e1', todo.slice(0, 20)),
        db.vectors.putVectors('e1', todo.slice(20)),
        vectors.putVectors('e1', todo.slice(10, 30).map((w) => ({ ...w, contentHash: 'other' }))),
      ]);
      expect(counts.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(40);
      const changes = await vectors.vectorChanges('e1', 0, 1000);
      expect(new Set(changes.map((c) => c.paperId)).size).toBe(40);
      const seqs = changes.map((c) => c.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect((await vectors.embedder('e1'))!.lastSeq).toBe(Math.max(...seqs));
    });
  });
}
