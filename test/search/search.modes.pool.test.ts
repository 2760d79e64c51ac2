/**
 * Search modes as `serve` runs them: semantic and hybrid search on the main thread, where the
 * vectors are, their keyword search and store reads on the read pool's workers, every keyword
 * search whole on the pool. The answers must be the in-process service's, filters included.
 * Needs the build (the workers run dist/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import type { SearchRequest } from '../../src/services/search.service.js';
import { IndexSemanticRetriever } from '../../src/services/semantic-retriever.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { HashedEmbedder } from '../support/hashed-embedder.js';
import { MemoryVectorIndex } from '../support/memory-vector-index.js';
import type { OpenedStore } from '../support/store-harness.js';
import { CRAFTED, ids, loadFixtures, NAMESAKES } from './fixtures.js';

for (const harness of STORE_HARNESSES.filter((h) => h.name === 'sqlite' || h.name.includes('server'))) {
  describe(`search modes on the read pool: ${harness.name}`, () => {
    let opened: OpenedStore;
    let c: Container;

    beforeAll(async () => {
      opened = await harness.open();
      await loadFixtures(opened.store, { real: false });
      await opened.index.refresh();
      await opened.store.close();
      const embedder = new HashedEmbedder(1024, { kangaroo: 'quokka' });
      const index = new MemoryVectorIndex(embedder.dimensions);
      const papers = [...CRAFTED, ...NAMESAKES];
      const vectors = await embedder.embed(papers.map((p) => `${p.title}. ${p.abstract}`), 'document');
      await index.upsert(papers.map((p, i) => ({ id: p.id, vector: vectors[i]! })));
      const config = loadConfig({ PAPERBOY_DEMO_DATA: 'false', PAPERBOY_PAGES_AHEAD: 'false', PAPERBOY_READ_WORKERS: '2' });
      c = await createContainer(config, { db: opened.url, serving: true, semantic: new IndexSemanticRetriever(embedder, index) });
    }, 60_000);
    afterAll(async () => {
      await c?.close();
      await opened?.drop();
    });

    it('answers every mode as the in-process service does, filters and paging included', async () => {
      expect('pool' in c.site).toBe(true);
      const requests: SearchRequest[] = [
        { q: 'kangaroo', mode: 'semantic' },
        { q: 'kangaroo cat:cs.CV', mode: 'semantic' },
        { q: 'marsupial kangaroo' },
        { q: 'marsupial kangaroo', limit: 2, offset: 2 },
        { q: 'kangaroo author:"Ada Lovelace"', sort: 'date' },
        { q: 'quokka', mode: 'keyword' },
        { q: 'cat:q-bio.GN' },
      ];
      for (const req of requests) {
        const pooled = await c.site.search.search(req);
        const local = await c.search.search(req);
        expect(ids(pooled), JSON.stringify(req)).toEqual(ids(local));
        expect(ids(pooled).length, JSON.stringify(req)).toBeGreaterThan(0);
        expect([pooled.mode, pooled.requestedMode, pooled.total, pooled.fallback]).toEqual([local.mode, local.requestedMode, local.total, local.fallback]);
        expect(pooled.hits.map((h) => [h.match, h.closestSentence])).toEqual(local.hits.map((h) => [h.match, h.closestSentence]));
      }
    });

    it('makes one pool call per semantic or hybrid search: the neighbours go with it', async () => {
      const pool = (c.site as unknown as { pool: { call: (s: string, m: string, a: unknown[]) => Promise<unknown> } }).pool;
      const call = pool.call.bind(pool);
      const calls: string[] = [];
      pool.call = (s, m, a) => {
        calls.push(`${s}.${m}`);
        return call(s, m, a);
      };
      try {
        for (const req of [{ q: 'marsupial kangaroo' }, { q: 'kangaroo cat:cs.CV', mode: 'semantic' as const }, { q: 'kangaroo', sort: 'date' as const }]) {
          calls.length = 0;
          const r = await c.site.search.search(req);
          expect(r.mode, JSON.stringify(req)).toBe(req.mode ?? 'hybrid');
          expect(calls, JSON.stringify(req)).toEqual(['keyword.meaning']);
        }
      } finally {
        pool.call = call;
      }
    });

    it('reads a period\'s papers (what a topic alert by meaning is drawn from) on the pool, as the store does', async () => {
      const pooled = await c.site.signals.rankingSignals('1900-01-01', '2100-12-31');
      expect(pooled.length).toBeGreaterThan(0);
      expect(pooled).toEqual(await c.store.rankingSignals('1900-01-01', '2100-12-31'));
      expect(await c.site.signals.rankingSignals('1900-01-01', '1900-01-02')).toEqual([]);
    });
  });
}
