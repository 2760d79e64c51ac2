/**
 * Randomized truncated SVD (Halko, Martinsson and Tropp 2011) of a sparse matrix: the top k
 * singular values and left singular vectors, from a seeded Gaussian sketch with a few power
 * iterations. Plain Float64Array code: the sparse products are the cost (nnz · (k + oversampling)
 * per pass); the dense parts are small (orthonormalisation by Cholesky QR, done twice, and a
 * Jacobi eigen-decomposition of an l × l matrix). Dense matrices are row-major; the tall ones
 * (rows × l) are Float32, which halves the memory traffic of the sparse products (their cost),
 * with sums over them in double precision.
 */
import type { Csr } from './ppmi.js';
import { seededRandom } from '../seeded-random.js';

export interface RsvdOptions {
  /** extra sketch columns beyond k (10) */
  oversampling?: number;
  /** power iterations (1) */
  powerIterations?: number;
  seed?: number;
  /** called after each pass over the matrix: passes done of passes total */
  onProgress?: (done: number, total: number) => void;
}

export interface TruncatedSvd {
  /** rows × k, row-major: the left singular vectors */
  u: Float64Array;
  /** the k singular values, largest first */
  s: Float64Array;
  rows: number;
  k: number;
}


function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** out (A.rows × l) = A · X (A.cols × l) */
export function csrTimes(a: Csr, x: Float32Array, l: number): Float32Array {
  const out = new Float32Array(a.rows * l);
  for (let i = 0; i < a.rows; i++) {
    const o = i * l;
    for (let p = a.rowStart[i]!; p < a.rowStart[i + 1]!; p++) {
      const v = a.value[p]!;
      const xo = a.col[p]! * l;
      for (let c = 0; c < l; c++) out[o + c]! += v * x[xo + c]!;
    }
  }
  return out;
}

/** out (A.cols × l) = Aᵀ · X (A.rows × l) */
export function csrTransposeTimes(a: Csr, x: Float32Array, l: number): Float32Array {
  const out = new Float32Array(a.cols * l);
  for (let i = 0; i < a.rows; i++) {
    const xo = i * l;
    for (let p = a.rowStart[i]!; p < a.rowStart[i + 1]!; p++) {
      const v = a.value[p]!;
      const o = a.col[p]! * l;
      for (let c = 0; c < l; c++) out[o + c]! += v * x[xo + c]!;
    }
  }
  return out;
}

/** YᵀY (l × l) of a rows × l matrix */
function gram(y: Float32Array, rows: number, l: number): Float64Array {
  const g = new Float64Array(l * l);
  for (let r = 0; r < rows; r++) {
    const o = r * l;
    for (let i = 0; i < l; i++) {
      const yi = y[o + i]!;
      if (yi === 0) continue;
      const gi = i * l;
      for (let j = i; j < l; j++) g[gi + j]! += yi * y[o + j]!;
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) g[i * l + j] = g[j * l + i]!;
  return g;
}

/** In place: Y := Y R⁻¹ where RᵀR = YᵀY (+ a tiny shift), leaving Y's columns orthonormal. */
function choleskyQr(y: Float32Array, rows: number, l: number): void {
  const g = gram(y, rows, l);
  let trace = 0;
  for (let i = 0; i < l; i++) trace += g[i * l + i]!;
  const shift = (trace / l) * 1e-12 + 1e-300;
  // upper-triangular R, row-major
  const r = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    let d = g[i * l + i]! + shift;
    for (let k = 0; k < i; k++) d -= r[k * l + i]! * r[k * l + i]!;
    const rii = Math.sqrt(Math.max(d, shift));
    r[i * l + i] = rii;
    for (let j = i + 1; j < l; j++) {
      let v = g[i * l + j]!;
      for (let k = 0; k < i; k++) v -= r[k * l + i]! * r[k * l + j]!;
      r[i * l + j] = v / rii;
    }
  }
  // Y := Y R⁻¹, with R⁻¹ (upper triangular, l³/3 operations) made once: each row is then a sum of
  // R⁻¹'s rows read in order, where solving q R = y row by row read R a column at a time (the
  // cost of training, at rows × l²/2 operations per pass)
  const inv = upperInverse(r, l);
  const acc = new Float64Array(l);
  for (let row = 0; row < rows; row++) {
    const o = row * l;
    acc.fill(0);
    for (let k = 0; k < l; k++) {
      const yk = y[o + k]!;
      if (yk === 0) continue;
      const ko = k * l;
      for (let j = k; j < l; j++) acc[j]! += yk * inv[ko + j]!;
    }
    for (let j = 0; j < l; j++) y[o + j] = acc[j]!;
  }
}

/** The inverse of an upper-triangular l × l matrix (row-major), itself upper triangular. */
function upperInverse(r: Float64Array, l: number): Float64Array {
  const inv = new Float64Array(l * l);
  // column by column: R · x = e_j, by back substitution
  for (let j = 0; j < l; j++) {
    inv[j * l + j] = 1 / r[j * l + j]!;
    for (let i = j - 1; i >= 0; i--) {
      let v = 0;
      for (let k = i + 1; k <= j; k++) v += r[i * l + k]! * inv[k * l + j]!;
      inv[i * l + j] = -v / r[i * l + i]!;
    }
  }
  return inv;
}

export function orthonormalise(y: Float32Array, rows: number, l: number): void {
  choleskyQr(y, rows, l);
  choleskyQr(y, rows, l); // the second pass restores orthogonality lost to rounding
}

/**
 * Eigen-decomposition of a symmetric n × n matrix by cyclic Jacobi rotations: eigenvalues in
 * descending order and the eigenvectors as the columns of a row-major n × n matrix.
 */
export function symmetricEigen(m: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i]! * a[i * n + i]!;
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! * a[i * n + j]!;
    }
    if (off <= 1e-22 * (diag + 1e-300)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y]! - a[x * n + x]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) vectors[r * n + c] = v[r * n + order[c]!]!;
  return { values, vectors };
}

/** The top k singular triplets' left half (U, S) of A. */
export function randomizedSvd(a: Csr, k: number, opts: RsvdOptions = {}): TruncatedSvd {
  const l = Math.min(k + (opts.oversampling ?? 10), a.cols, a.rows);
  const q = opts.powerIterations ?? 1;
  const rand = seededRandom(opts.seed ?? 42);
  const passes = 2 + 2 * q;
  let done = 0;
  const tick = () => opts.onProgress?.(++done, passes);
  const omega = new Float32Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(rand);
  let y = csrTimes(a, omega, l);
  tick();
  orthonormalise(y, a.rows, l);
  for (let it = 0; it < q; it++) {
    const z = csrTransposeTimes(a, y, l);
    tick();
    orthonormalise(z, a.cols, l);
    y = csrTimes(a, z, l);
    tick();
    orthonormalise(y, a.rows, l);
  }
  // B = Qᵀ A (l × cols), kept as its transpose Bᵀ = Aᵀ Q (cols × l); B Bᵀ = gram(Bᵀ)
  const bt = csrTransposeTimes(a, y, l);
  tick();
  const { values, vectors } = symmetricEigen(gram(bt, a.cols, l), l);
  const kk = Math.min(k, l);
  const u = new Float64Array(a.rows * kk);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * l;
    for (let c = 0; c < kk; c++) {
      let sum = 0;
      for (let j = 0; j < l; j++) sum += y[yo + j]! * vectors[j * l + c]!;
      u[r * kk + c] = sum;
    }
  }
  const s = Float64Array.from({ length: kk }, (_, i) => Math.sqrt(Math.max(values[i]!, 0)));
  return { u, s, rows: a.rows, k: kk };
}
