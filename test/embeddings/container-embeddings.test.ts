/**
 * The embeddings runtime as serve composes it (container-embeddings.ts), on every store, with the
 * real parts: the built-in embedder trained on the store's papers, the HNSW index (its file beside
 * a SQLite file), similar papers from the vectors. A restart loads the index file and applies
 * only the changes since; a retrained model re-embeds while queries go on with the kept old one.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuiltinEmbedder } from '../../src/adapters/embedding/builtin-embedder.js';
import { loadConfig } from '../../src/config.js';
import { configuredEmbedder, embedPapers, syncedIndex, openEmbeddings } from '../../src/container-embeddings.js';
import { writeFile, mkdir } from 'node:fs/promises';
import { SifModel } from '../../src/core/embedding/sif-model.js';
import { HnswVectorIndex } from '../../src/adapters/vector-index/hnsw.vector-index.js';
import { RelatedService } from '../../src/services/related.service.js';
import { embeddingText } from '../../src/services/embedding-job.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { topicId, topicOf, topicText, writeTopicPapers } from '../support/topic-papers.js';

describe.each(STORE_HARNESSES)('configuredEmbedder on $name', (harness) => {
  it('the database\'s newest built-in model, else a model file (kept in the database from then on), else none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paperboy-configured-'));
    const opened = await harness.open();
    try {
      const log: string[] = [];
      const base = { PAPERBOY_MODEL_DIR: join(dir, 'models'), PAPERBOY_DATABASE_URL: join(dir, 'p.db') };
      expect(await configuredEmbedder(loadConfig(base), opened.vectors, (m) => log.push(m))).toBeNull();
      expect(log).toEqual([]); // not trained yet is no error
      const train = (texts: string[]) => new BuiltinEmbedder(SifModel.train(texts, { dimensions: 2, minCount: 1 }));
      const model = train(['quantum spin lattice', 'protein gene cell', 'quantum qubit spin', 'gene cell enzyme']);
      await mkdir(join(dir, 'models'), { recursive: true });
      await writeFile(join(dir, 'models', 'builtin.bin'), model.toBuffer());
      expect((await configuredEmbedder(loadConfig(base), opened.vectors))?.id).toBe(model.id);
      expect((await opened.vectors.latestModel('builtin'))?.id).toBe(model.id);
      // a model trained since (by any node) is the one every node uses, whatever its own folder holds
      const newer = train(['graph node edge', 'quantum spin lattice', 'graph edge path', 'protein gene cell']);
      await opened.vectors.saveModel(newer.id, 'builtin', newer.toBuffer(), new Date(Date.now() + 60_000).toISOString());
      const other = loadConfig({ ...base, PAPERBOY_MODEL_DIR: join(dir, 'elsewhere') });
      expect((await configuredEmbedder(loadConfig(base), opened.vectors))?.id).toBe(newer.id);
      expect((await configuredEmbedder(other, opened.vectors))?.id).toBe(newer.id);
      const down = { ...base, PAPERBOY_EMBEDDER: 'openai', PAPERBOY_EMBEDDINGS_URL: 'http://127.0.0.1:9', PAPERBOY_EMBEDDINGS_MODEL: 'm', PAPERBOY_HTTP_MAX_RETRIES: '0' };
      expect(await configuredEmbedder(loadConfig(down), opened.vectors, (m) => log.push(m))).toBeNull();
      expect(log.join('\n')).toMatch(/openai embedder unavailable: .*127\.0\.0\.1:9/);
    } finally {
      await opened.store.close();
      await opened.drop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe.each(STORE_HARNESSES)('the embeddings runtime as serve composes it, on $name', (harness) => {
  let opened: OpenedStore;
  let dir: string;
  let texts: string[];

  beforeAll(async () => {
    opened = await harness.open();
    dir = await mkdtemp(join(tmpdir(), 'paperboy-embeddings-'));
    await writeTopicPapers(opened.store, 0, 400);
    await opened.index.refresh();
    texts = Array.from({ length: 400 }, (_, i) => embeddingText(topicText(topicOf(i), i + 1)));
  });
  afterAll(async () => {
    await opened.store.close();
    await opened.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const config = () => loadConfig({ PAPERBOY_MODEL_DIR: join(dir, 'models'), PAPERBOY_DATABASE_URL: opened.url, PAPERBOY_VECTOR_CACHE_DIR: join(dir, 'index') });
  /** where the index files go (decision 020): beside a SQLite file, else in the cache folder */
  const indexFiles = () => readdir(harness.name === 'sqlite' ? `${opened.url}.vectors` : join(dir, 'index'));

  it('embeds with the built-in model, answers by meaning, and makes similar papers from the vectors', async () => {
    const model = new BuiltinEmbedder(SifModel.train(texts, { dimensions: 32, minCount: 2 }));
    const related = new RelatedService(opened.store, opened.index, { sliceMs: 0 });
    const rt = await openEmbeddings(config(), opened, related, { db: opened.url, configured: model });
    const run = await rt.embedNew();
    expect(run).toMatchObject({ embedded: 400, complete: true });
    expect(rt.status()).toEqual({ ready: true, embedderId: model.id });
    const hits = await rt.search(topicText('biology', 4242).abstract, 10);
    expect(hits.filter((h) => topicOf(Number(h.id.slice(5)) - 1) === 'biology').length).toBeGreaterThanOrEqual(9);
    const r = await related.refresh();
    expect(r?.vectors).toMatchObject({ embedderId: model.id, full: true, searched: 400 });
    const list = (await opened.store.relatedIds(topicId(1)))!;
    expect(list).toHaveLength(10);
    expect(list.filter((id) => topicOf(Number(id.slice(5)) - 1) === topicOf(1)).length).toBeGreaterThanOrEqual(9);
    // the model that completed is kept, for a later switch's queries
    expect((await opened.vectors.model(model.id))?.bytes.equals(model.toBuffer())).toBe(true);
    await rt.close();
    expect((await indexFiles()).some((f) => f.endsWith('.usearch'))).toBe(true);
  });

  it('a restart loads the index file and applies only the changes made since', async () => {
    const model = new BuiltinEmbedder(SifModel.train(texts, { dimensions: 32, minCount: 2 }));
    await writeTopicPapers(opened.store, 400, 450);
    const reads: number[] = [];
    const counting: typeof opened.vectors = Object.assign(Object.create(opened.vectors) as typeof opened.vectors, {
      vectorChanges: async (id: string, after: number, limit: number) => {
        const c = await opened.vectors.vectorChanges(id, after, limit);
        reads.push(c.length);
        return c;
      },
    });
    const rt = await openEmbeddings(config(), { vectors: counting }, null, { db: opened.url, configured: model });
    const run = await rt.embedNew();
    expect(run).toMatchObject({ embedded: 50, complete: true });
    // the index came from its file (400 vectors), and only the 50 new changes were read
    expect(reads.reduce((a, b) => a + b, 0)).toBe(50);
    expect(rt.current()!.index.size).toBe(450);
    await rt.close();
  });

  it('after a retraining, re-embeds in the background while queries go on with the kept model', async () => {
    const old = new BuiltinEmbedder(SifModel.train(texts, { dimensions: 32, minCount: 2 }));
    const retrained = new BuiltinEmbedder(SifModel.train(texts.slice(0, 300), { dimensions: 24, minCount: 2 }));
    expect(retrained.id).not.toBe(old.id);
    const rt = await openEmbeddings(config(), opened, null, { db: opened.url, configured: retrained });
    await rt.refresh();
    expect(rt.status()).toEqual({ ready: true, embedderId: old.id }); // the old model, loaded from the database
    const stop = new AbortController();
    const part = await rt.embedNew({ batch: 100, signal: stop.signal, onProgress: (p) => p.done >= 100 && stop.abort() });
    expect(part).toMatchObject({ embedded: 100, complete: false });
    expect(rt.status().embedderId).toBe(old.id);
    expect(await rt.search('protein folding enzyme', 5)).toHaveLength(5);
    const rest = await rt.embedNew();
    expect(rest).toMatchObject({ embedded: 350, complete: true });
    expect(rt.status()).toEqual({ ready: true, embedderId: retrained.id });
    // the old model is superseded: its vectors, its kept model and its index files are gone
    expect(await opened.vectors.embedder(old.id)).toBeNull();
    expect(await opened.vectors.model(old.id)).toBeNull();
    expect((await opened.vectors.embedders()).map((e) => e.id)).toEqual([retrained.id]);
    expect(await opened.vectors.latestModelId('builtin')).toBe(retrained.id);
    expect(await rt.search('protein folding enzyme', 5)).toHaveLength(5);
    await rt.close();
    expect((await indexFiles()).filter((f) => f.endsWith('.usearch'))).toHaveLength(1);
  });

  it('embedPapers (the CLI\'s, after training): embeds what lacks a vector, then the similar papers follow the vectors', async () => {
    const model = new BuiltinEmbedder(SifModel.train(texts, { dimensions: 16, minCount: 2 }));
    const related = new RelatedService(opened.store, opened.index, { sliceMs: 0 });
    const r = await embedPapers(config(), { vectors: opened.vectors, related }, opened.url, model, null);
    expect(r).toMatchObject({ embedderId: model.id, embedded: 450, complete: true });
    expect((await opened.store.relatedState())?.contentVersion).toMatch(new RegExp(`^vectors:${model.id.replace(/[^\w]/g, '.')}:`));
    expect(await embedPapers(config(), { vectors: opened.vectors }, opened.url, model, null)).toMatchObject({ embedded: 0, complete: true });
  });

  it('syncs removals and rewrites in order', async () => {
    const index = await HnswVectorIndex.open({ dimensions: 2 });
    const writes = [
      { paperId: topicId(0), contentHash: 'a', paperModified: '2025-01-01T00:00:00.000Z', vector: Float32Array.of(1, 0) },
      { paperId: topicId(1), contentHash: 'b', paperModified: '2025-01-01T00:00:00.000Z', vector: Float32Array.of(0, 1) },
    ];
    await opened.vectors.registerEmbedder('sync-test', 2, new Date().toISOString());
    await opened.vectors.putVectors('sync-test', writes);
    await opened.vectors.putVectors('sync-test', [{ ...writes[0]!, contentHash: 'gone', vector: null }]);
    const s = syncedIndex(opened.vectors, 'sync-test', index);
    expect(await s.sync()).toBe(2); // the store keeps each paper's latest change
    expect(index.size).toBe(1);
    expect((await index.search(Float32Array.of(1, 0), 5)).map((h) => h.id)).toEqual([topicId(1)]);
    expect(await s.sync()).toBe(0);
    await s.close();
  });
});
