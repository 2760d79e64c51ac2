/**
 * The ingest and harvest services on every store: counting, idempotence, merging sources,
 * all-or-nothing inputs, resumable harvests.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputUnusableError } from '../src/core/errors.js';
import type { PaperStore } from '../src/ports/paper-store.js';
import type { HarvestPage, HarvestSource, ParseResult } from '../src/ports/source.js';
import { HarvestService } from '../src/services/harvest.service.js';
import { IngestService } from '../src/services/ingest.service.js';
import { hfRecord, kaggleRecord } from './support/papers.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import type { OpenedStore } from './support/store-harness.js';

async function* batches(...list: ParseResult[]): AsyncIterable<ParseResult> {
  for (const b of list) yield b;
}

for (const harness of STORE_HARNESSES) {
  describe(`ingest and harvest services: ${harness.name}`, () => {
    let opened: OpenedStore;
    let store: PaperStore;
    let ingest: IngestService;
    beforeEach(async () => {
      opened = await harness.open();
      store = opened.store;
      ingest = new IngestService(store);
    });
    afterEach(async () => {
      await store.close();
      await opened.drop();
    });

    it('counts new, rejected, then unchanged on the same input again', async () => {
      const input = (): AsyncIterable<ParseResult> =>
        batches(
          { records: [kaggleRecord('2503.00001'), kaggleRecord('2503.00002')], errors: [] },
          { records: [kaggleRecord('hep-th/9901001')], errors: [{ source: 'f.jsonl', at: 'line 4', reason: 'broken JSON' }] },
        );
      const first = await ingest.ingest(input());
      expect(first).toMatchObject({ new: 3, updated: 0, unchanged: 0, rejected: 1 });
      expect(first.errors).toEqual([{ source: 'f.jsonl', at: 'line 4', reason: 'broken JSON' }]);
      const again = await ingest.ingest(input());
      expect(again).toMatchObject({ new: 0, updated: 0, unchanged: 3, rejected: 1 });
      expect((await store.stats()).papers).toBe(3);
    });

    it('merges a paper from arXiv and from Hugging Face into one, in either order', async () => {
      await ingest.ingest(batches({ records: [hfRecord('2503.00001'), kaggleRecord('2503.00002')], errors: [] }));
      const r = await ingest.ingest(batches({ records: [kaggleRecord('2503.00001'), hfRecord('2503.00002')], errors: [] }));
      expect(r).toMatchObject({ new: 0, updated: 2, unchanged: 0 });
      for (const id of ['2503.00001', '2503.00002']) {
        const p = (await store.getPaper(id))!;
        expect(p.title).toBe(`Paper ${id}`);
        expect(p.hf.upvotes).toBe(10);
        expect(p.codeUrl).toContain('github.com');
        expect(p.provenance).toMatchObject({ title: 'kaggle', hf: 'hf-daily' });
      }
      expect((await store.stats()).bySource).toEqual({ kaggle: 2, 'hf-daily': 2 });
    });

    it('updates a paper when a newer version arrives and keeps its history', async () => {
      await ingest.ingest(batches({ records: [kaggleRecord('2503.00001')], errors: [] }));
      const v2 = kaggleRecord('2503.00001', {
        version: 2,
        title: 'Revised title',
        versions: [
          { version: 1, submittedAt: '2025-03-03T10:00:00.000Z', size: null },
          { version: 2, submittedAt: '2025-04-01T10:00:00.000Z', size: null },
        ],
      });
      expect(await ingest.ingest(batches({ records: [v2], errors: [] }))).toMatchObject({ updated: 1 });
      const p = (await store.getPaper('2503.00001'))!;
      expect(p.title).toBe('Revised title');
      expect(p.versions.map((v) => v.version)).toEqual([1, 2]);
    });

    it('stores nothing from an input that turns out unusable halfway', async () => {
      async function* truncated(): AsyncIterable<ParseResult> {
        yield { records: [kaggleRecord('2503.00001')], errors: [] };
        throw new InputUnusableError('big.jsonl.gz', 'byte 1048576', 'unexpected end of gzip stream');
      }
      await expect(ingest.ingest(truncated())).rejects.toThrow(/big\.jsonl\.gz: unusable input at byte 1048576/);
      expect((await store.stats()).papers).toBe(0);
      // and a rerun with the whole file finishes the job
      expect(await ingest.ingest(batches({ records: [kaggleRecord('2503.00001')], errors: [] }))).toMatchObject({ new: 1 });
    });

    it('harvests page by page, resumes after an interruption, and keeps other sources going when one fails', async () => {
      const pages: HarvestPage[] = [1, 2, 3].map((n) => ({
        label: `page ${n}`,
        records: [kaggleRecord(`2503.0000${n}`, { source: 'oai-pmh' })],
        errors: [],
        cursor: { page: n },
      }));
      let failAfter = 1; // the first run dies after one page, as if the network went down
      const arxiv: HarvestSource = {
        name: 'arxiv',
        async *pages(cursor) {
          const start = (cursor as { page: number } | null)?.page ?? 0;
          for (const p of pages.slice(start)) {
            if (failAfter-- === 0) throw new Error('503 from arXiv after 5 attempts');
            yield p;
          }
        },
      };
      const hf: HarvestSource = {
        name: 'hf-daily',
        async *pages() {
          yield { label: '2025-03-04', records: [hfRecord('2503.00009')], errors: [], cursor: { lastCompleteDay: '2025-03-02' } };
        },
      };
      const logs: string[] = [];
      const harvest = new HarvestService(store, ingest, [arxiv, hf], (m) => logs.push(m));
      const first = await harvest.runOnce();
      expect(first.map((r) => [r.source, r.pages, r.new, r.error])).toEqual([
        ['arxiv', 1, 1, '503 from arXiv after 5 attempts'],
        ['hf-daily', 1, 1, null],
      ]);
      expect(await store.getCursor('arxiv')).toEqual({ page: 1 });
      expect(await store.getCursor('hf-daily')).toEqual({ lastCompleteDay: '2025-03-02' });
      expect(logs.some((l) => l.includes('arxiv: failed after 1 page(s)'))).toBe(true);

      failAfter = Infinity;
      const second = await harvest.runOnce(['arxiv']);
      expect(second).toHaveLength(1);
      expect(second[0]).toMatchObject({ source: 'arxiv', pages: 2, new: 2, error: null });
      expect(await store.getCursor('arxiv')).toEqual({ page: 3 });
      expect((await store.stats()).papers).toBe(4);
      await expect(harvest.runOnce(['rss'])).rejects.toThrow(/unknown source rss; configured: arxiv, hf-daily/);
    });
  });
}
