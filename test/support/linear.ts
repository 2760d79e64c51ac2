/**
 * Catching super-linear text processing without a wall-clock threshold.
 *
 * A fixed time limit flakes on a shared, noisy machine and says nothing about growth. Instead
 * each function runs on an adversarial input at the maximum size Paperboy accepts and on the
 * same pattern at an eighth of it, and the test asserts how the time grew: linear work grows
 * about 8×, n·log n about 10×, quadratic 64×. The bound, 3 × 8 = 24, leaves linear code a
 * margin of 3 for noise and still fails quadratic code by a factor of more than 2.5. Noise only
 * ever adds time, so each size keeps the fastest of several batches, and a batch repeats the
 * call until it lasts long enough for the timer to be meaningful (at least 15 ms).
 */
import { performance } from 'node:perf_hooks';

/** The size ratio between the two inputs, and how much faster than quadratic growth must stay. */
export const SIZE_RATIO = 8;
export const MAX_GROWTH = 3 * SIZE_RATIO;

/** The fastest per-call time of fn(input) over a few batches, in ms. */
export function perCall(fn: (input: string) => unknown, input: string): number {
  fn(input); // warm up (JIT, caches of compiled regexes)
  let reps = 1;
  let t = timed(fn, input, reps);
  while (t < 15 && reps < 1 << 16) {
    reps *= 4;
    t = timed(fn, input, reps);
  }
  let best = t / reps;
  for (let i = 0; i < 4; i++) best = Math.min(best, timed(fn, input, reps) / reps);
  return best;
}

function timed(fn: (input: string) => unknown, input: string, reps: number): number {
  const start = performance.now();
  for (let i = 0; i < reps; i++) fn(input);
  return performance.now() - start;
}

/** `pattern` repeated (and cut) to make `length` characters with `prefix` before it and `suffix` after. */
export function adversarial(pattern: string, length: number, prefix = '', suffix = ''): string {
  const body = length - prefix.length - suffix.length;
  return prefix + pattern.repeat(Math.ceil(body / pattern.length)).slice(0, Math.max(0, body)) + suffix;
}

export interface Growth {
  small: number;
  large: number;
  ratio: number;
}

/**
 * How fn's time grows from an input of max/8 characters to one of max, both built by `make`
 * (which must give an input of exactly the length it is asked for, or close to it).
 */
export function growth(fn: (input: string) => unknown, make: (length: number) => string, max: number): Growth {
  const small = perCall(fn, make(Math.floor(max / SIZE_RATIO)));
  const large = perCall(fn, make(max));
  return { small, large, ratio: large / Math.max(small, 1e-6) };
}

/** Below this, at the largest size, no curve can stall a server (test/text-linearity.test.ts says why). */
export const FLOOR_MS = 25;

/**
 * Null when fn stays linear on inputs built by `make` up to `max` characters, else how its time
 * grew: checked first with one call at the largest size (what costs under FLOOR_MS passes
 * whatever its curve), then by growth(), taken again twice on failure since noise only adds.
 */
export function superLinear(fn: (s: string) => unknown, make: (n: number) => string, max: number): string | null {
  // the common case first, cheaply: what costs under FLOOR_MS at the largest size passes whatever its curve
  const input = make(max);
  fn(input);
  const start = performance.now();
  fn(input);
  if (performance.now() - start <= FLOOR_MS) return null;
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const g = growth(fn, make, max);
    if (g.ratio <= MAX_GROWTH || g.large <= FLOOR_MS) return null;
    last = `${g.small.toFixed(2)} ms → ${g.large.toFixed(2)} ms (${g.ratio.toFixed(0)}×)`;
  }
  return last;
}
