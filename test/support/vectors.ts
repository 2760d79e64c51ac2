/**
 * Vectors for tests: unit vectors drawn around a few centroids (clustered, as papers' embeddings
 * are; uniform random vectors are unrealistically hard for any index), from a seeded generator so
 * that every run sees the same ones.
 */
import { seededRandom as seeded } from '../../src/core/seeded-random.js';


/** A standard normal draw (Box-Muller). */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / n;
  return v;
}

/** `count` unit vectors of `dims` around `clusters` centroids, noise of `spread` per dimension. */
export function clusteredVectors(count: number, dims: number, opts: { clusters?: number; spread?: number; seed?: number } = {}): Float32Array[] {
  const rand = seeded(opts.seed ?? 1);
  const clusters = opts.clusters ?? 20;
  const spread = opts.spread ?? 0.6;
  const centroids = Array.from({ length: clusters }, () => normalize(Float32Array.from({ length: dims }, () => normal(rand))));
  const sigma = spread / Math.sqrt(dims); // the noise's norm is about `spread`
  return Array.from({ length: count }, () => {
    const c = centroids[Math.floor(rand() * clusters)]!;
    return normalize(Float32Array.from(c, (x) => x + sigma * normal(rand)));
  });
}
