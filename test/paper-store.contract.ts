/**
 * The PaperStore contract: what every store adapter must do, run against each of them
 * (sqlite.store.test.ts, postgres.store.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaperboyError } from '../src/core/errors.js';
import type { PaperStore } from '../src/ports/paper-store.js';
import { samplePaper, write } from './support/papers.js';
import type { OpenedStore, StoreHarness } from './support/store-harness.js';

export function paperStoreContract(harness: StoreHarness): void {
  describe(`PaperStore contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    let store: PaperStore;
    const extra: PaperStore[] = [];

    beforeEach(async () => {
      opened = await harness.open();
      store = opened.store;
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await store.close();
      await opened.drop();
    });

    it('migrates once: a second migrate applies nothing', async () => {
      const again = await opened.reopen();
      extra.push(again);
      const r = await again.migrate();
      expect(r.from).toBe(r.to);
      expect(r.to).toBeGreaterThanOrEqual(1);
      expect((await again.stats()).schemaVersion).toBe(r.to);
    });

    it('refuses a database migrated by newer code, with a clear message', async () => {
      await opened.exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', '2030-01-01')`);
      const again = await opened.reopen();
      extra.push(again);
      const err = await again.migrate().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PaperboyError);
      expect((err as PaperboyError).code).toBe('DB_TOO_NEW');
      expect((err as Error).message).toMatch(/schema version 999.*newer release/);
    });

    it('round-trips every field of a paper, old-style ids and unicode included', async () => {
      const a = samplePaper('2405.15738');
      const b = samplePaper('hep-th/9901001', { hf: { ...a.hf, upvotes: null, aiKeywords: null }, codeUrl: null });
      await store.transaction((tx) => tx.savePapers([write(a), write(b)], []));
      expect(await store.getPaper('2405.15738')).toEqual(a);
      expect(await store.getPaper('hep-th/9901001')).toEqual(b);
      expect(await store.getPaper('2405.00000')).toBeNull();
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

    it('remembers a cursor per source as JSON, replacing the previous one', async () => {
      expect(await store.getCursor('hf-daily')).toBeNull();
      await store.transaction((tx) => tx.setCursor('hf-daily', { lastCompleteDay: '2026-06-28' }));
      await store.transaction((tx) => tx.setCursor('hf-daily', { lastCompleteDay: '2026-06-29', n: [1, 2] }));
      await store.transaction((tx) => tx.setCursor('arxiv-oai', { sets: { cs: { from: null, resumptionToken: 'a|1' } } }));
      expect(await store.getCursor('hf-daily')).toEqual({ lastCompleteDay: '2026-06-29', n: [1, 2] });
      expect(await store.getCursor('arxiv-oai')).toEqual({ sets: { cs: { from: null, resumptionToken: 'a|1' } } });
    });

    it('lists a day’s papers most upvoted first, without deleted ones, and knows the latest day', async () => {
      const day = '2025-03-04';
      const mk = (id: string, upvotes: number | null, deleted = false) =>
        samplePaper(id, { deleted, hf: { ...samplePaper(id).hf, upvotes, featuredOn: day } });
      await store.transaction((tx) =>
        tx.savePapers(
          [mk('2503.00001', 3), mk('2503.00002', 50), mk('2503.00003', null), mk('2503.00004', 99, true), write(samplePaper('2401.00001', { hf: { ...samplePaper('x').hf, featuredOn: '2024-01-02' } })).paper].map(write),
          [],
        ),
      );
      expect(await store.latestDay()).toBe(day);
      const listed = await store.papersOnDay(day, 10);
      expect(listed.map((p) => p.id)).toEqual(['2503.00002', '2503.00001', '2503.00003']);
      expect(listed[0]?.versions).toHaveLength(2);
      expect((await store.papersOnDay(day, 1)).map((p) => p.id)).toEqual(['2503.00002']);
      expect(await store.papersOnDay('1999-01-01', 10)).toEqual([]);
    });

    describe('listing reads', () => {
      const onDay = (id: string, day: string, upvotes: number | null, deleted = false) =>
        samplePaper(id, { deleted, submittedAt: `${day}T08:00:00.000Z`, hf: { ...samplePaper(id).hf, upvotes, featuredOn: day } });
      beforeEach(async () => {
        await store.transaction((tx) =>
          tx.savePapers(
            [
              onDay('2606.00001', '2026-06-26', 5),
              onDay('2606.00002', '2026-06-29', null),
              onDay('2606.00003', '2026-06-29', 7),
              onDay('2606.00004', '2026-06-30', 1, true),
              onDay('2606.00005', '2026-07-01', 2),
            ].map(write),
            [],
          ),
        );
      });

      it('reads the ranking signals of a range of days, without deleted papers', async () => {
        const signals = await store.rankingSignals('2026-06-27', '2026-06-30');
        expect(signals.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
          { id: '2606.00002', day: '2026-06-29', upvotes: null, submittedAt: '2026-06-29T08:00:00.000Z' },
          { id: '2606.00003', day: '2026-06-29', upvotes: 7, submittedAt: '2026-06-29T08:00:00.000Z' },
        ]);
        expect(await store.rankingSignals('2026-06-26', '2026-06-26')).toHaveLength(1);
        expect(await store.rankingSignals('2026-02-30', '2026-02-31')).toEqual([]);
      });

      it('finds the nearest non-empty day before and after, skipping empty and deleted-only days', async () => {
        expect(await store.nearestDay('2026-06-29', 'before')).toBe('2026-06-26');
        expect(await store.nearestDay('2026-06-29', 'after')).toBe('2026-07-01');
        expect(await store.nearestDay('2026-06-26', 'before')).toBeNull();
        expect(await store.nearestDay('2026-07-01', 'after')).toBeNull();
      });

      it('counts papers per day of a range, leaving empty days out', async () => {
        expect(await store.dayCounts('2026-06-01', '2026-06-30')).toEqual([
          { day: '2026-06-26', papers: 1 },
          { day: '2026-06-29', papers: 2 },
        ]);
      });

      it('loads a batch of papers by id, unknown ids left out', async () => {
        const got = await store.getPapers(['2606.00003', '2606.99999', '2606.00004']);
        expect([...got.keys()].sort()).toEqual(['2606.00003', '2606.00004']);
        expect(got.get('2606.00003')?.versions).toHaveLength(2);
        expect((await store.getPapers([])).size).toBe(0);
      });

      it('changes its data version when a paper is written, and only then', async () => {
        const v1 = await store.dataVersion();
        expect(await store.dataVersion()).toBe(v1);
        await new Promise((r) => setTimeout(r, 5)); // a later modification time
        await store.transaction((tx) => tx.savePapers([write(onDay('2606.00006', '2026-07-01', 0))], []));
        const v2 = await store.dataVersion();
        expect(v2).not.toBe(v1);
        expect(await store.dataVersion()).toBe(v2);
      });

      it('sees another handle’s writes in its data version within a second', async () => {
        const v1 = await store.dataVersion();
        const other = await opened.reopen();
        extra.push(other);
        await other.migrate();
        await new Promise((r) => setTimeout(r, 5));
        await other.transaction((tx) => tx.savePapers([write(onDay('2606.00007', '2026-07-01', 0))], []));
        const deadline = Date.now() + 1500;
        while ((await store.dataVersion()) === v1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(await store.dataVersion()).not.toBe(v1);
      });
    });

    it('counts papers, versions, deletions and sources in stats', async () => {
      const empty = await store.stats();
      expect(empty).toMatchObject({ papers: 0, versions: 0, deleted: 0, firstDay: null, lastDay: null });
      await store.transaction((tx) =>
        tx.savePapers(
          [write(samplePaper('2405.15738')), write(samplePaper('2405.15739', { deleted: true, hf: { ...samplePaper('x').hf, upvotes: null, featuredOn: '2024-06-03' } }))],
          [
            { id: '2405.15738', source: 'kaggle', hash: 'a' },
            { id: '2405.15738', source: 'hf-daily', hash: 'b' },
            { id: '2405.15739', source: 'kaggle', hash: 'c' },
          ],
        ),
      );
      const s = await store.stats();
      expect(s).toMatchObject({ papers: 2, versions: 4, deleted: 1, withHfSignals: 1, firstDay: '2024-05-28', lastDay: '2024-06-03' });
      expect(s.bySource).toEqual({ kaggle: 2, 'hf-daily': 1 });
    });

    it('pages through live papers’ texts by id, deleted papers left out', async () => {
      const ids = ['2405.00003', '2405.00001', 'hep-th/9901001', '2405.00002'];
      await store.transaction((tx) =>
        tx.savePapers(
          [...ids.map((id) => write(samplePaper(id, { title: `Title ${id}` }))), write(samplePaper('2405.00004', { deleted: true }))],
          [],
        ),
      );
      const first = await store.paperTexts('', 2);
      expect(first.map((t) => t.id)).toEqual(['2405.00001', '2405.00002']);
      expect(first[0]).toEqual({ id: '2405.00001', title: 'Title 2405.00001', abstract: samplePaper('x').abstract });
      const rest = await store.paperTexts(first[1]!.id, 10);
      expect(rest.map((t) => t.id)).toEqual(['2405.00003', 'hep-th/9901001']);
      expect(await store.paperTexts('hep-th/9901001', 10)).toEqual([]);
    });

    it('reads a paper’s related papers as cards (id, title, authors), live ones only, in the list’s order', async () => {
      const a = samplePaper('2405.00001', { title: 'Ünïcode & <b>', authors: ['Ada Lovelace', 'Alan Turing'] });
      const b = samplePaper('hep-th/9901001', { authors: null, title: null });
      const gone = samplePaper('2405.00002', { deleted: true });
      await store.transaction((tx) => tx.savePapers([write(a), write(b), write(gone), write(samplePaper('2405.00003'))], []));
      expect(await store.relatedCards('2405.00003', 5)).toBeNull();
      await store.saveRelated([
        { id: '2405.00003', related: ['hep-th/9901001', '2405.00002', '2405.09999', '2405.00001'] },
        { id: 'hep-th/9901001', related: ['2405.00002'] },
        { id: '2405.00001', related: [] },
      ]);
      expect(await store.relatedCards('2405.00003', 5)).toEqual([
        { id: 'hep-th/9901001', title: null, authors: null },
        { id: '2405.00001', title: 'Ünïcode & <b>', authors: ['Ada Lovelace', 'Alan Turing'] },
      ]);
      expect((await store.relatedCards('2405.00003', 1))!.map((c) => c.id)).toEqual(['hep-th/9901001']);
      expect(await store.relatedCards('hep-th/9901001', 5)).toEqual([]); // its only related paper is deleted
      expect(await store.relatedCards('2405.00001', 5)).toEqual([]);

      // a paper page's read: the paper as getPaper gives it, with the same cards
      expect(await store.paperPage('2405.00003', 5)).toEqual({ paper: await store.getPaper('2405.00003'), related: await store.relatedCards('2405.00003', 5) });
      expect((await store.paperPage('2405.00003', 1))!.related!.map((c) => c.id)).toEqual(['hep-th/9901001']);
      expect(await store.paperPage('hep-th/9901001', 5)).toEqual({ paper: b, related: [] });
      expect(await store.paperPage('2405.00002', 5)).toEqual({ paper: gone, related: null }); // deleted, and no list: still answers
      expect(await store.paperPage('2405.09999', 5)).toBeNull();
    });

    it('moves its content version with every write, and not otherwise', async () => {
      const empty = await store.contentVersion();
      expect(await store.contentVersion()).toBe(empty);
      const a = samplePaper('2405.15738');
      await store.transaction((tx) => tx.savePapers([write(a)], []));
      const one = await store.contentVersion();
      expect(one).not.toBe(empty);
      await new Promise((r) => setTimeout(r, 5)); // timestamps have millisecond resolution
      await store.transaction((tx) => tx.savePapers([write({ ...a, title: 'Changed' })], []));
      const changed = await store.contentVersion();
      expect(changed).not.toBe(one);
      await store.saveRelated([{ id: a.id, related: [] }]);
      expect(await store.contentVersion()).toBe(changed);
      // another process sees the same token
      const again = await opened.reopen();
      extra.push(again);
      await again.migrate();
      expect(await again.contentVersion()).toBe(changed);
    });

    it('stores related lists, replaces them, drops those of papers no longer live, and remembers the run', async () => {
      const papers = ['2405.00001', '2405.00002', '2405.00003'].map((id) => samplePaper(id));
      await store.transaction((tx) => tx.savePapers(papers.map(write), []));
      expect(await store.relatedIds('2405.00001')).toBeNull();
      expect(await store.relatedState()).toBeNull();
      const v0 = await store.dataVersion();
      await store.saveRelated([
        { id: '2405.00001', related: ['2405.00003', '2405.00002'] },
        { id: '2405.00002', related: ['2405.00001'] },
        { id: '2405.00003', related: [] },
      ]);
      expect(await store.relatedIds('2405.00001')).toEqual(['2405.00003', '2405.00002']);
      expect(await store.relatedIds('2405.00003')).toEqual([]);
      await store.saveRelated([{ id: '2405.00001', related: ['2405.00002'] }]);
      expect(await store.relatedIds('2405.00001')).toEqual(['2405.00002']);

      await store.transaction((tx) => tx.savePapers([write({ ...papers[1]!, deleted: true })], []));
      const state = { contentVersion: await store.contentVersion(), computedAt: '2026-11-22T10:00:00.000Z', papers: 2 };
      const v1 = await store.dataVersion();
      await store.finishRelated(state);
      // paper pages show these lists: a finished computation shows at once
      expect(await store.dataVersion()).not.toBe(v1);
      expect(await store.dataVersion()).not.toBe(v0);
      expect(await store.relatedIds('2405.00002')).toBeNull();
      expect(await store.relatedIds('2405.00001')).toEqual(['2405.00002']);
      expect(await store.relatedState()).toEqual(state);
      const later = { ...state, computedAt: '2026-11-23T10:00:00.000Z', papers: 3 };
      await store.finishRelated(later);
      expect(await store.relatedState()).toEqual(later);
    });

    it('keeps pages rendered ahead while their paper and related list stay, and lists those to render again', async () => {
      const tick = () => new Promise((r) => setTimeout(r, 5)); // modification times have millisecond resolution
      const [a, b, c, d] = ['2405.00001', '2405.00002', '2405.00003', 'hep-th/9901001'].map((id) => samplePaper(id));
      await store.transaction((tx) => tx.savePapers([a, b, c, d].map((p) => write(p!)), []));
      await store.saveRelated([
        { id: a!.id, related: [b!.id, c!.id] },
        { id: b!.id, related: [a!.id] },
        { id: d!.id, related: [c!.id, b!.id] },
      ]); // c has no list: its page is rendered on request
      const pending = async (layout = 'L1', after = '') => (await store.pagesToRender(layout, 1, after, 10)).map((p) => p.id);
      expect(await pending()).toEqual([a!.id, b!.id, d!.id]);
      expect(await pending('L1', a!.id)).toEqual([b!.id, d!.id]);
      expect(await store.storedPage(a!.id, 'L1')).toBeNull();

      const version = await store.dataVersion();
      const body = (id: string) => Buffer.from(`<compressed page of ${id}>\u0000\u00ff`, 'latin1');
      const inputs = await store.pagesToRender('L1', 1, '', 10);
      await store.savePages(inputs.map((i) => ({ ...i, layout: 'L1', etag: `e-${i.id}`, body: body(i.id) })));
      expect(await store.dataVersion()).toBe(version); // no paper changed: pages cached in memory stay good
      expect(await pending()).toEqual([]);
      const stored = await store.storedPage(a!.id, 'L1');
      expect(stored).toEqual({ etag: `e-${a!.id}`, body: body(a!.id) });
      expect(Buffer.isBuffer(stored!.body)).toBe(true);
      expect(await store.storedPage(d!.id, 'L1')).toEqual({ etag: `e-${d!.id}`, body: body(d!.id) });
      expect(await store.storedPage(c!.id, 'L1')).toBeNull();
      // another layout (a new release, another public URL): every page anew
      expect(await store.storedPage(a!.id, 'L2')).toBeNull();
      expect(await pending('L2')).toEqual([a!.id, b!.id, d!.id]);

      // the paper changes: its stored page is stale at once, and listed
      await tick();
      await store.transaction((tx) => tx.savePapers([write({ ...a!, title: 'A new title' })], []));
      expect(await store.storedPage(a!.id, 'L1')).toBeNull();
      // b shows a as its first similar paper: listed too, though its stored page still answers
      expect(await pending()).toEqual([a!.id, b!.id]);
      expect(await store.storedPage(b!.id, 'L1')).not.toBeNull();
      // d shows c first (limit 1): a change of b, its second, does not matter to it
      await store.savePages((await store.pagesToRender('L1', 1, '', 10)).map((i) => ({ ...i, layout: 'L1', etag: 'e2', body: body(i.id) })));
      expect(await pending()).toEqual([]);
      await tick();
      await store.transaction((tx) => tx.savePapers([write({ ...b!, title: 'B changed' })], []));
      expect(await pending()).toEqual([a!.id, b!.id]);
      // …until c, which it shows, is deleted: then it shows b
      await store.savePages((await store.pagesToRender('L1', 1, '', 10)).map((i) => ({ ...i, layout: 'L1', etag: 'e3', body: body(i.id) })));
      await tick();
      await store.transaction((tx) => tx.savePapers([write({ ...c!, deleted: true })], []));
      expect(await pending()).toEqual([d!.id]); // a shows b (limit 1), d showed c
      expect(await store.storedPage(d!.id, 'L1')).not.toBeNull(); // its paper and list are unchanged

      // a new related list: stale at once
      await store.saveRelated([{ id: d!.id, related: [b!.id] }]);
      expect(await store.storedPage(d!.id, 'L1')).toBeNull();
      // a deleted paper's page is never served, and goes with its list when a computation ends
      // (deleted and brought back behind the store's back: its modification time stays)
      await store.savePages((await store.pagesToRender('L1', 1, '', 10)).map((i) => ({ ...i, layout: 'L1', etag: 'e4', body: body(i.id) })));
      expect(await store.storedPage(b!.id, 'L1')).not.toBeNull();
      const flip = `UPDATE papers SET deleted = NOT deleted WHERE id = '${b!.id}'`;
      await opened.exec(flip);
      expect(await store.storedPage(b!.id, 'L1')).toBeNull();
      expect(await pending()).not.toContain(b!.id);
      await store.finishRelated({ contentVersion: await store.contentVersion(), computedAt: '2026-11-23T10:00:00.000Z', papers: 2 });
      await opened.exec(flip);
      await store.saveRelated([{ id: b!.id, related: [a!.id] }]); // the list it had
      expect(await store.storedPage(b!.id, 'L1')).toBeNull(); // its page went with the list
      expect(await store.storedPage(a!.id, 'L1')).not.toBeNull(); // others' stay
    });

    it('gives a lease to one holder at a time, until it is released or runs out', async () => {
      const version = await store.dataVersion();
      expect(await store.takeLease('harvest', 'node-a', 60)).toBe(true);
      expect(await store.takeLease('harvest', 'node-b', 60)).toBe(false);
      expect(await store.takeLease('related', 'node-b', 60)).toBe(true); // another job, its own lease
      expect(await store.takeLease('harvest', 'node-a', 60)).toBe(true); // the holder extends it
      await store.releaseLease('harvest', 'node-b'); // not b's to give up
      expect(await store.takeLease('harvest', 'node-b', 60)).toBe(false);
      await store.releaseLease('harvest', 'node-a');
      expect(await store.takeLease('harvest', 'node-b', 0)).toBe(true);
      await new Promise((r) => setTimeout(r, 20)); // b's lease of 0 s has run out
      expect(await store.takeLease('harvest', 'node-a', 60)).toBe(true);
      expect(await store.dataVersion()).toBe(version); // pages show nothing of it
    });

    it('lets only one of two handles taking a lease at once have it', async () => {
      const other = await opened.reopen();
      extra.push(other);
      await other.migrate();
      const won = await Promise.all([store.takeLease('harvest', 'node-a', 60), other.takeLease('harvest', 'node-b', 60)]);
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
