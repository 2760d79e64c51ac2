/**
 * The PaperWriter contract (transactions and what they write): what every store adapter must do, run on each of them
 * (test/sqlite.store.test.ts, test/postgres.store.test.ts). The other ports serve to set up and
 * look: a store implements them all.
 */
import { describe, expect, it } from 'vitest';
import type { PaperStore } from '../../src/ports/paper-store.js';
import { samplePaper, write } from '../support/papers.js';
import type { StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

export function paperWriterContract(harness: StoreHarness): void {
  describe(`PaperWriter contract: ${harness.name}`, () => {
    let store: PaperStore;
    storePerTest(harness, (o) => {
      store = o.store;
    });

    it('replaces a paper on save, its version history included', async () => {
      const a = samplePaper('2405.15738');
      await store.transaction((tx) => tx.savePapers([write(a)], []));
      const newer = { ...a, title: 'New title', latestVersion: 1, versions: [a.versions[0]!] };
      await store.transaction((tx) => tx.savePapers([write(newer)], []));
      const got = await store.getPaper(a.id);
      expect(got?.title).toBe('New title');
      expect(got?.versions).toEqual([a.versions[0]]);
      expect((await store.stats()).versions).toBe(1);
    });

    it('loads papers and the given source’s record hashes for a batch of ids', async () => {
      const a = samplePaper('2405.15738');
      await store.transaction((tx) =>
        tx.savePapers(
          [write(a)],
          [
            { id: a.id, source: 'kaggle', hash: 'k1' },
            { id: a.id, source: 'hf-daily', hash: 'h1' },
            { id: '2405.99999', source: 'kaggle', hash: 'k2' },
          ],
        ),
      );
      const ids = [a.id, '2405.99999', '2301.00001'];
      const papers = await store.transaction((tx) => tx.loadPapers(ids));
      expect([...papers.keys()]).toEqual([a.id]);
      expect(papers.get(a.id)).toEqual(a);
      const hashes = await store.transaction((tx) => tx.loadHashes(ids, 'kaggle'));
      expect(Object.fromEntries(hashes)).toEqual({ [a.id]: 'k1', '2405.99999': 'k2' });
      const hf = await store.transaction((tx) => tx.loadHashes([a.id], 'hf-daily'));
      expect(hf.get(a.id)).toBe('h1');
      expect((await store.transaction((tx) => tx.loadPapers([]))).size).toBe(0);
    });

    it('keeps nothing of a transaction that throws', async () => {
      const err = await store
        .transaction(async (tx) => {
          await tx.savePapers([write(samplePaper('2405.15738'))], [{ id: '2405.15738', source: 'kaggle', hash: 'x' }]);
          await tx.setCursor('arxiv-oai', { from: '2024-05-01' });
          throw new Error('input turned out truncated');
        })
        .catch((e: unknown) => e);
      expect((err as Error).message).toBe('input turned out truncated');
      expect(await store.getPaper('2405.15738')).toBeNull();
      expect(await store.getCursor('arxiv-oai')).toBeNull();
      expect((await store.stats()).papers).toBe(0);
    });

    it('runs concurrent transactions without mixing their writes', async () => {
      const slow = store.transaction(async (tx) => {
        await tx.savePapers([write(samplePaper('2405.00001'))], []);
        await new Promise((r) => setTimeout(r, 30));
        throw new Error('rolled back');
      });
      const fast = store.transaction((tx) => tx.savePapers([write(samplePaper('2405.00002'))], []));
      await expect(slow).rejects.toThrow('rolled back');
      await fast;
      expect(await store.getPaper('2405.00001')).toBeNull();
      expect(await store.getPaper('2405.00002')).not.toBeNull();
    });
  });
}
