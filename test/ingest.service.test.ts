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
import { openFileInput } from '../src/adapters/sources/input.js';
import { shared } from './support/input-files.js';
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

    // 2604.07429 is on Hugging Face's pages of 2026-04-10 (2 upvotes, no code, one project page)
    // and of 2026-04-16 (42 upvotes, code, another project page): real files, as recorded
    it('stores a paper featured on two days alike in either order of the files, and a rerun changes nothing', async () => {
      const [early, late] = ['2026-04-10', '2026-04-16'].map((d) => shared(`data/hf-daily-papers/${d}.json`));
      const ingestFiles = async (s: PaperStore, files: string[]) => {
        const service = new IngestService(s);
        const out = [];
        for (const f of files) out.push(await service.ingest((await openFileInput(f!, 'hf-daily')).batches));
        return out;
      };
      const other = await harness.open();
      try {
        await ingestFiles(store, [early!, late!]);
        await ingestFiles(other.store, [late!, early!]);
        for (const s of [store, other.store]) {
          for (const [files, rerun] of [[[early!, late!], 1], [[late!, early!], 2]] as const) {
            for (const summary of await ingestFiles(s, [...files]))
              expect(summary, `rerun ${rerun}`).toMatchObject({ new: 0, updated: 0, rejected: 0 });
          }
        }
        const a = (await store.getPaper('2604.07429'))!;
        const b = (await other.store.getPaper('2604.07429'))!;
        expect(b).toEqual(a);
        expect(a.hf).toMatchObject({ featuredOn: '2026-04-10', lastFeaturedOn: '2026-04-16', upvotes: 42, comments: 3 });
        // the project page, code and stars of the latest day's record
        expect(a.projectUrl).toBe('https://gameworld-project.github.io/');
        expect(a.codeUrl).toBe('https://github.com/gameworld-project/gameworld');
        expect(a.hf.githubStars).toBe(2);
        // on the earliest day's page only
        for (const s of [store, other.store]) {
          expect((await s.papersOnDay('2026-04-10', 1000)).map((p) => p.id)).toContain('2604.07429');
          expect((await s.papersOnDay('2026-04-16', 1000)).map((p) => p.id)).not.toContain('2604.07429');
        }
      } finally {
        await other.store.close();
        await other.drop();
      }
    });
  });
}
