/**
 * The embeddings kept current (decision 025), on every store: the embedding job embeds only what
 * lacks a current vector (1,000 new papers: 1,000 embedded), resumes after being stopped, and a
 * change of embedder re-embeds in the background while search keeps answering from the old,
 * complete vectors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingJob } from '../../src/services/embedding-job.js';
import { EmbeddingsService } from '../../src/services/embeddings.service.js';
import { samplePaper, write } from '../support/papers.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { StemHashEmbedder } from '../support/stem-hash-embedder.js';
import type { OpenedStore } from '../support/store-harness.js';
import { counting } from '../support/counting.js';
import { syncedExact } from '../support/synced-exact.js';
import { topicId, topicText, writeTopicPapers } from '../support/topic-papers.js';

describe.each(STORE_HARNESSES)('embeddings kept current on $name', (harness) => {
  let opened: OpenedStore;

  beforeAll(async () => {
    opened = await harness.open();
    await writeTopicPapers(opened.store, 0, 200);
  });
  afterAll(async () => {
    await opened.store.close();
    await opened.drop();
  });

  it('embeds every paper once, in batches, then only what arrives or changes (1,000 new papers: 1,000 embedded)', async () => {
    const embedder = new StemHashEmbedder(64, 'count');
    const job = new EmbeddingJob(opened.vectors);
    const progress: number[] = [];
    const first = await job.run(embedder, { batch: 64, onProgress: (p) => progress.push(p.done) });
    expect(first).toMatchObject({ embedded: 200, complete: true, stopped: false });
    expect(embedder.embedded.document).toBe(200);
    expect(progress).toEqual([0, 64, 128, 192, 200]);
    expect((await opened.vectors.embedder(embedder.id))?.completedAt).not.toBeNull();

    expect(await job.run(embedder)).toMatchObject({ embedded: 0, complete: true });
    expect(embedder.embedded.document).toBe(200);

    await writeTopicPapers(opened.store, 200, 1200);
    const more = await job.run(embedder, { batch: 128 });
    expect(more).toMatchObject({ embedded: 1000, complete: true });
    expect(embedder.embedded.document).toBe(1200);

    // a changed abstract is embedded again; a paper written again with the same text is not
    const changed = samplePaper(topicId(3), { ...topicText('vision', 999) });
    const same = samplePaper(topicId(4), { ...topicText('vision', 5), comments: 'now with code' });
    const gone = samplePaper(topicId(5), { ...topicText('physics', 6), deleted: true });
    await opened.store.transaction((tx) => tx.savePapers([write(changed), write(same), write(gone)], []));
    const after = await job.run(embedder);
    expect(after).toMatchObject({ embedded: 1, unchanged: 1, removed: 1, complete: true });
    expect(embedder.embedded.document).toBe(1201);
    expect((await opened.vectors.vectorsOf(embedder.id, [topicId(5)])).size).toBe(0);
  });

  it('stopped mid-way, resumes where it stopped: every paper embedded exactly once across the two runs', async () => {
    const embedder = new StemHashEmbedder(32, 'resume');
    const job = new EmbeddingJob(opened.vectors);
    const stop = new AbortController();
    const first = await job.run(embedder, { batch: 100, signal: stop.signal, onProgress: (p) => p.done >= 300 && stop.abort() });
    expect(first).toMatchObject({ embedded: 300, complete: false, stopped: true });
    expect((await opened.vectors.embedder(embedder.id))?.completedAt).toBeNull();
    const counts = await opened.vectors.vectorCounts(embedder.id);
    expect(counts.current).toBe(300);

    // a new job (a new process: its only state is the store) picks up the rest
    const second = await new EmbeddingJob(opened.vectors).run(embedder, { batch: 100 });
    expect(second).toMatchObject({ embedded: counts.papers - 300, complete: true });
    expect(embedder.embedded.document).toBe(counts.papers);
  });

  it('after its first walk, a run reads only what was queued since: a harvest costs what it changed, not the archive', async () => {
    const embedder = new StemHashEmbedder(16, 'queue');
    const calls: Record<string, number> = {};
    const job = new EmbeddingJob(counting(opened.vectors, calls));
    expect(await job.run(embedder, { batch: 500 })).toMatchObject({ complete: true, stopped: false });
    expect(calls.papersToEmbed).toBeGreaterThan(0); // the first run walks every paper
    expect(await opened.vectors.embedder(embedder.id)).toMatchObject({ walked: true });
    const walked = embedder.embedded.document;

    // 30 new papers and 5 with a new abstract
    const start = 5000;
    await writeTopicPapers(opened.store, start, start + 30);
    const revised = [10, 11, 12, 13, 14].map((i) => samplePaper(topicId(i), { ...topicText('biology', 700 + i) }));
    await opened.store.transaction((tx) => tx.savePapers(revised.map(write), []));
    expect(await opened.vectors.queueLength(embedder.id)).toBe(35);
    for (const k of Object.keys(calls)) delete calls[k];
    const progress: [number, number][] = [];
    const run = await job.run(embedder, { batch: 10, onProgress: (p) => progress.push([p.done, p.total]) });
    expect(run).toMatchObject({ embedded: 35, unchanged: 0, complete: true });
    expect(embedder.embedded.document).toBe(walked + 35);
    // no walk of the archive, no count of it: the queue alone, in batches, each taken off after
    expect([calls.papersToEmbed, calls.vectorCounts]).toEqual([undefined, undefined]);
    expect(calls.queuedPapers).toBe(4);
    expect(progress).toEqual([[0, 35], [10, 35], [20, 35], [30, 35], [35, 35]]);
    expect(await opened.vectors.queueLength(embedder.id)).toBe(0);
    const current = await opened.vectors.vectorsOf(embedder.id, [topicId(start), topicId(10)]);
    expect(current.size).toBe(2);

    // stopped while taking the queue, the next run takes the rest: each paper embedded once
    await writeTopicPapers(opened.store, start + 30, start + 80);
    const stop = new AbortController();
    const stopped = await job.run(embedder, { batch: 10, signal: stop.signal, onProgress: (p) => p.done >= 20 && stop.abort() });
    expect(stopped).toMatchObject({ embedded: 20, complete: false, stopped: true });
    expect(await opened.vectors.queueLength(embedder.id)).toBe(30);
    expect(await job.run(embedder, { batch: 10 })).toMatchObject({ embedded: 30, complete: true });
    expect(embedder.embedded.document).toBe(walked + 85);
  });

  it('counts nothing removed for a queued paper that was deleted before it ever had a vector', async () => {
    const embedder = new StemHashEmbedder(8, 'never-held');
    const job = new EmbeddingJob(opened.vectors);
    expect(await job.run(embedder, { batch: 500 })).toMatchObject({ complete: true });
    await opened.store.transaction((tx) => tx.savePapers([write(samplePaper(topicId(7000), { ...topicText('vision', 7000), deleted: true }))], []));
    expect(await opened.vectors.queueLength(embedder.id)).toBe(1);
    expect(await job.run(embedder)).toMatchObject({ embedded: 0, removed: 0, complete: true });
    expect(await opened.vectors.queueLength(embedder.id)).toBe(0);
  });

  it('switching embedders: search answers from the old, complete vectors until the new ones are complete', async () => {
    const old = new StemHashEmbedder(48, 'old');
    const indexes = new Map<string, ReturnType<typeof syncedExact>>();
    const openIndex = (id: string, dims: number) => {
      const s = syncedExact(opened.vectors, id, dims);
      indexes.set(id, s);
      return Promise.resolve(s);
    };
    const before = new EmbeddingsService({ vectors: opened.vectors, configured: old, openIndex });
    expect(before.status()).toMatchObject({ ready: false });
    await before.refresh();
    expect(before.status()).toMatchObject({ ready: false, reason: expect.stringMatching(/no embeddings yet/) });
    const r = await before.embedNew();
    expect(r).toMatchObject({ complete: true });
    expect(before.status()).toEqual({ ready: true, embedderId: old.id });
    const hits = await before.search(topicText('biology', 77).abstract, 5);
    expect(hits).toHaveLength(5);

    // the settings now name another embedder; the old one can still embed queries
    const next = new StemHashEmbedder(40, 'next');
    const after = new EmbeddingsService({
      vectors: opened.vectors,
      configured: next,
      embedderFor: (id) => Promise.resolve(id === old.id ? new StemHashEmbedder(48, 'old') : null),
      openIndex,
    });
    await after.refresh();
    expect(after.status()).toEqual({ ready: true, embedderId: old.id });
    const stop = new AbortController();
    const part = await after.embedNew({ batch: 100, signal: stop.signal, onProgress: (p) => p.done >= 200 && stop.abort() });
    expect(part).toMatchObject({ stopped: true, complete: false });
    // still the old vectors, with the same answers; the new index holds what was embedded so far
    expect(after.status()).toEqual({ ready: true, embedderId: old.id });
    expect(await after.search(topicText('biology', 77).abstract, 5)).toEqual(hits);
    expect(indexes.get(next.id)!.index.size).toBe(200);

    // a restart (a new runtime on the same store) resumes, then moves search to the new vectors
    const restarted = new EmbeddingsService({
      vectors: opened.vectors,
      configured: next,
      embedderFor: (id) => Promise.resolve(id === old.id ? new StemHashEmbedder(48, 'old') : null),
      openIndex,
    });
    await restarted.refresh();
    expect(restarted.status().embedderId).toBe(old.id);
    const rest = await restarted.embedNew({ batch: 100 });
    const live = (await opened.vectors.vectorCounts(next.id)).papers;
    expect(rest).toMatchObject({ embedded: live - 200, complete: true });
    expect(restarted.status()).toEqual({ ready: true, embedderId: next.id });
    expect(next.embedded.document).toBe(live);
    const now = await restarted.search(topicText('biology', 77).abstract, 5);
    expect(now).toHaveLength(5);
    expect(now.map((h) => h.score)).not.toEqual(hits.map((h) => h.score)); // the new vectors answer
    await Promise.all([before.close(), after.close(), restarted.close()]);
  });

  it('an old embedder that cannot embed queries any more is not used: not ready, saying the papers are being embedded', async () => {
    const next = new StemHashEmbedder(24, 'unfinished');
    await opened.vectors.registerEmbedder(next.id, next.dimensions, new Date().toISOString());
    const rt = new EmbeddingsService({
      vectors: opened.vectors,
      configured: next,
      embedderFor: () => Promise.resolve(null),
      openIndex: (id, dims) => Promise.resolve(syncedExact(opened.vectors, id, dims)),
    });
    await rt.refresh();
    expect(rt.status()).toEqual({ ready: false, reason: `the papers are still being embedded with ${next.id}` });
    await expect(rt.search('quantum', 3)).rejects.toThrow(/not available/);
    await rt.close();
  });
});

