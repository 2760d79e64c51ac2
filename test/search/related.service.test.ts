/**
 * Related papers computed ahead of time (RelatedService), on every store: the lists are stored,
 * read back by similar(), recomputed only when the papers changed, the same on every store, and
 * a paper page never lists a deleted paper.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelatedProgress } from '../../src/services/related.service.js';
import { RelatedService } from '../../src/services/related.service.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import type { OpenedStore } from '../support/store-harness.js';
import { CRAFTED, ingestRecords, loadFixtures, QUOKKA_IDS } from './fixtures.js';

describe.each(STORE_HARNESSES)('related papers on $name', (harness) => {
  let opened: OpenedStore;
  let related: RelatedService;

  beforeAll(async () => {
    opened = await harness.open();
    await loadFixtures(opened.store);
    // small slices and batches, so that paging and yielding are exercised on a small archive
    related = new RelatedService(opened.store, opened.index, { batch: 7, sliceMs: 0 });
  });
  afterAll(async () => {
    await opened.store.close();
    await opened.drop();
  });

  it('falls back to a live keyword search before the first computation', async () => {
    expect(await opened.store.relatedIds(QUOKKA_IDS[0]!)).toBeNull();
    const live = await related.similar(QUOKKA_IDS[0]!, 3);
    expect(live).toEqual(await opened.index.similar(QUOKKA_IDS[0]!, 3));
    expect(live[0]?.id).toBe(QUOKKA_IDS[1]); // quokka, island and marsupials in common
    // a paper page reads the paper and finds no stored list: it will search
    const page = await related.paperPage(QUOKKA_IDS[0]!, 3);
    expect(page).toEqual({ paper: await opened.store.getPaper(QUOKKA_IDS[0]!), similar: null });
    expect(await related.paperPage('2501.99999', 3)).toBeNull();
  });

  it('computes every live paper’s list once, with progress, and stores it', async () => {
    const progress: RelatedProgress[] = [];
    const [r, joined] = await Promise.all([related.refresh({ onProgress: (p) => progress.push(p) }), related.refresh()]);
    expect(joined).toBe(r); // a second call while one runs joins it
    const live = (await opened.store.stats()).papers - (await opened.store.stats()).deleted;
    expect(r).toMatchObject({ papers: live });
    expect(progress.at(-1)).toEqual({ phase: 'neighbours', done: live, total: live });
    expect(progress.filter((p) => p.phase === 'signatures').length).toBeGreaterThan(1);
    expect((await opened.store.relatedState())?.papers).toBe(live);

    const stored = await opened.store.relatedIds(QUOKKA_IDS[0]!);
    expect(stored![0]).toBe(QUOKKA_IDS[1]);
    expect(stored).toContain(QUOKKA_IDS[2]); // quokka in its title too
    const similar = await related.similar(QUOKKA_IDS[0]!, 2);
    expect(similar.map((p) => p.id)).toEqual(stored!.slice(0, 2));
    expect(await related.similar('2501.99999', 5)).toEqual([]);
    // a paper page gets the same papers in the same read as the paper
    expect(await related.paperPage(QUOKKA_IDS[0]!, 2)).toEqual({ paper: await opened.store.getPaper(QUOKKA_IDS[0]!), similar });
  });

  it('does nothing when the papers have not changed since, unless forced', async () => {
    expect(await related.refresh()).toBeNull();
    expect(await related.refresh({ force: true })).not.toBeNull();
  });

  it('never shows a deleted paper, and drops its list at the next computation', async () => {
    const gone = CRAFTED.find((r) => r.id === QUOKKA_IDS[1])!;
    await ingestRecords(opened.store, [{ ...gone, source: 'oai-pmh', deleted: true, updatedAt: '2026-01-01T00:00:00.000Z' }]);
    expect((await related.similar(QUOKKA_IDS[0]!, 10)).map((p) => p.id)).not.toContain(gone.id);
    expect(await related.refresh()).not.toBeNull();
    expect(await opened.store.relatedIds(gone.id)).toBeNull();
    expect(await opened.store.relatedIds(QUOKKA_IDS[0]!)).not.toContain(gone.id);
  });

  it('stops a computation under way at its next slice, and computes no more after stop()', async () => {
    const stopping = new RelatedService(opened.store, opened.index, { batch: 7, sliceMs: 0 });
    let progressed = 0;
    const run = stopping.refresh({ force: true, onProgress: () => void progressed++ });
    await new Promise((r) => setTimeout(r, 5));
    await stopping.stop();
    expect(await run).toBeNull();
    expect(await stopping.refresh({ force: true })).toBeNull();
    expect(progressed).toBeLessThan(20); // a whole run reports more than 20 batches of 7
    await expect(opened.store.ping()).resolves.toBeUndefined();
  });
});

describe('related papers: the same lists on every store', () => {
  it('computes identical lists from the same papers', async () => {
    const lists: Map<string, string[] | null>[] = [];
    for (const h of STORE_HARNESSES) {
      const opened = await h.open();
      try {
        await loadFixtures(opened.store);
        await new RelatedService(opened.store, opened.index).refresh();
        const ids = (await opened.store.paperTexts('', 10_000)).map((t) => t.id);
        const byId = new Map<string, string[] | null>();
        for (const id of ids) byId.set(id, await opened.store.relatedIds(id));
        lists.push(byId);
      } finally {
        await opened.store.close();
        await opened.drop();
      }
    }
    expect(lists[0]!.size).toBeGreaterThan(50);
    expect([...lists[0]!.values()].filter((l) => l!.length > 0).length).toBeGreaterThan(lists[0]!.size / 2);
    for (const other of lists.slice(1)) expect(other).toEqual(lists[0]);
  });
});
