/**
 * The Embedder contract (src/ports/embedder.ts), run on every adapter (test/embedding/): the ONNX
 * one over a tiny model the test builds with the real MiniLM tokenizer, the OpenAI-compatible
 * one against a local HTTP server. Every adapter embeds a blank text as the zero vector (the
 * port's "nothing the model knows"), every other text as a unit vector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/ports/embedder.js';

export interface EmbedderHarness {
  /** a fresh embedder; the suite closes it */
  make(): Promise<Embedder>;
  /** the most texts the adapter sends to its model at once: the suite embeds more */
  batchSize: number;
  /** whether this embedder puts a different prefix before queries than before documents */
  kindsDiffer: boolean;
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: Float32Array) => Math.sqrt(dot(a, a));

export const TEXTS = [
  'Efficient KV cache eviction for long-context language models',
  'Token merging in vision transformers speeds up inference',
  'A survey of graph neural networks for molecule property prediction',
  'Diffusion models for video generation with temporal attention',
];

export function embedderContract(name: string, harness: EmbedderHarness): void {
  describe(`Embedder contract: ${name}`, () => {
    let e: Embedder;
    beforeAll(async () => {
      e = await harness.make();
    });
    afterAll(async () => {
      await e.close();
    });

    it('names its model and dimensions', () => {
      expect(e.id).toMatch(/^[a-z]+:\S+$/);
      expect(e.dimensions).toBeGreaterThan(0);
    });

    it('gives one unit vector of its dimensions per text, in order', async () => {
      const vs = await e.embed(TEXTS, 'document');
      expect(vs).toHaveLength(TEXTS.length);
      for (const v of vs) {
        expect(v).toBeInstanceOf(Float32Array);
        expect(v.length).toBe(e.dimensions);
        expect(norm(v)).toBeCloseTo(1, 4);
      }
      // order kept: each text embedded alone gives the vector at its place
      for (const [i, t] of TEXTS.entries()) {
        const [alone] = await e.embed([t], 'document');
        expect(dot(alone!, vs[i]!)).toBeCloseTo(1, 4);
      }
      expect(dot(vs[0]!, vs[1]!)).toBeLessThan(0.999); // not one vector for all
    });

    it('embeds more texts than one batch, in order', async () => {
      const many = Array.from({ length: harness.batchSize * 2 + 3 }, (_, i) => `${TEXTS[i % TEXTS.length]} number ${i}`);
      const vs = await e.embed(many, 'document');
      expect(vs).toHaveLength(many.length);
      const last = many.length - 1;
      const [again] = await e.embed([many[last]!], 'document');
      expect(dot(again!, vs[last]!)).toBeCloseTo(1, 4);
      const [first] = await e.embed([many[0]!], 'document');
      expect(dot(first!, vs[0]!)).toBeCloseTo(1, 4);
    });

    it('gives the same vector for the same text, and the zero vector for a blank one', async () => {
      const [a, blank, b, spaces] = await e.embed([TEXTS[2]!, '', TEXTS[2]!, '  \n '], 'document');
      expect(Array.from(a!)).toEqual(Array.from(b!));
      expect(blank!.length).toBe(e.dimensions);
      expect(norm(blank!)).toBe(0);
      expect(norm(spaces!)).toBe(0);
      expect(await e.embed([], 'query')).toEqual([]);
    });

    it('embeds queries as unit vectors, differently from documents when the model asks for a prefix', async () => {
      const [q] = await e.embed([TEXTS[0]!], 'query');
      const [d] = await e.embed([TEXTS[0]!], 'document');
      expect(norm(q!)).toBeCloseTo(1, 4);
      if (harness.kindsDiffer) expect(dot(q!, d!)).toBeLessThan(0.9999);
      else expect(dot(q!, d!)).toBeCloseTo(1, 4);
      expect(dot(q!, d!)).toBeGreaterThan(0); // still about the same thing
    });

    it('closes idempotently', async () => {
      const other = await harness.make();
      await other.close();
      await other.close();
      await expect(other.embed(['after close'], 'query')).rejects.toThrow();
    });
  });
}
