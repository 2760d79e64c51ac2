/**
 * The EmbedderModels contract (trained embedding models kept in the database, issue 12,
 * decision 030): what every store adapter must do, run on each of them.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EmbedderModels } from '../../src/ports/embedder-models.js';
import type { PaperVectors } from '../../src/ports/paper-vectors.js';
import type { StoreHarness } from '../support/store-harness.js';
import { storePerTest } from './store-per-test.js';

export function embedderModelsContract(harness: StoreHarness): void {
  describe(`EmbedderModels contract: ${harness.name}`, () => {
    let models: EmbedderModels;
    let vectors: PaperVectors;
    storePerTest(harness, (o) => {
      models = o.vectors;
      vectors = o.vectors;
    });

    it('keeps a model byte for byte under its id, and a second save of that id changes nothing', async () => {
      expect(await models.model('builtin-sif-256:a')).toBeNull();
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      await models.saveModel('builtin-sif-256:a', 'builtin', bytes, '2026-07-01T10:00:00.000Z');
      await models.saveModel('builtin-sif-256:a', 'builtin', randomBytes(10), '2026-07-02T10:00:00.000Z');
      const kept = await models.model('builtin-sif-256:a');
      expect(kept?.id).toBe('builtin-sif-256:a');
      expect(Buffer.isBuffer(kept?.bytes)).toBe(true);
      expect(kept!.bytes.equals(bytes)).toBe(true);
    });

    it('gives the newest model of a kind, and none of a kind never kept', async () => {
      expect(await models.latestModel('builtin')).toBeNull();
      await models.saveModel('builtin-sif-256:old', 'builtin', Buffer.from('old'), '2026-07-01T10:00:00.000Z');
      await models.saveModel('builtin-sif-256:new', 'builtin', Buffer.from('new'), '2026-07-03T10:00:00.000Z');
      await models.saveModel('builtin-sif-256:mid', 'builtin', Buffer.from('mid'), '2026-07-02T10:00:00.000Z');
      await models.saveModel('other:x', 'other', Buffer.from('x'), '2026-07-04T10:00:00.000Z');
      const latest = await models.latestModel('builtin');
      expect([latest?.id, latest?.bytes.toString()]).toEqual(['builtin-sif-256:new', 'new']);
      expect((await models.latestModel('other'))?.id).toBe('other:x');
      expect(await models.latestModel('onnx')).toBeNull();
      expect(await models.latestModelId('builtin')).toBe('builtin-sif-256:new');
      expect(await models.latestModelId('onnx')).toBeNull();
    });

    it("goes with its embedder when that is dropped, and the newest is then the one before", async () => {
      await models.saveModel('builtin-sif-256:old', 'builtin', Buffer.from('old'), '2026-07-01T10:00:00.000Z');
      await models.saveModel('builtin-sif-256:new', 'builtin', Buffer.from('new'), '2026-07-03T10:00:00.000Z');
      await vectors.registerEmbedder('builtin-sif-256:new', 256, '2026-07-03T10:00:00.000Z');
      await vectors.dropEmbedder('builtin-sif-256:new');
      expect(await models.model('builtin-sif-256:new')).toBeNull();
      expect(await models.latestModelId('builtin')).toBe('builtin-sif-256:old');
      expect((await models.model('builtin-sif-256:old'))?.bytes.toString()).toBe('old');
    });
  });
}
