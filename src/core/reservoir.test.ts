import { describe, expect, it } from 'vitest';
import { Reservoir } from './reservoir.js';

describe('Reservoir', () => {
  it('keeps everything while the stream is shorter than its size, in order', () => {
    const r = new Reservoir<number>(10);
    for (let i = 0; i < 7; i++) r.offer(i);
    expect(r.sample).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(r.seen).toBe(7);
  });

  it('holds at most its size, distinct items of the stream, the same for the same seed', () => {
    const draw = (seed: number) => {
      const r = new Reservoir<number>(100, seed);
      for (let i = 0; i < 10_000; i++) r.offer(i);
      return r;
    };
    const a = draw(7);
    expect(a.sample).toHaveLength(100);
    expect(new Set(a.sample).size).toBe(100);
    expect(a.seen).toBe(10_000);
    expect(draw(7).sample).toEqual(a.sample);
    expect(draw(8).sample).not.toEqual(a.sample);
  });

  it('samples uniformly: every part of the stream is represented as often as its share', () => {
    // 200 draws of 100 from 10,000: each tenth of the stream should give ~10 items per draw
    const perTenth = new Array<number>(10).fill(0);
    for (let seed = 1; seed <= 200; seed++) {
      const r = new Reservoir<number>(100, seed);
      for (let i = 0; i < 10_000; i++) r.offer(i);
      for (const x of r.sample) perTenth[Math.floor(x / 1000)]!++;
    }
    for (const n of perTenth) expect(n / 200).toBeGreaterThan(9);
    for (const n of perTenth) expect(n / 200).toBeLessThan(11);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new Reservoir(0)).toThrow(/positive integer/);
    expect(() => new Reservoir(1.5)).toThrow(/positive integer/);
  });
});
