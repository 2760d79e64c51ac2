/**
 * What every model adapter does to the vectors a model gives: unit length (cosine is then the
 * dot product), the zero vector for a text with nothing in it, and the id part that says which
 * instruction prefixes were put before the texts (they change the vectors).
 */
import { createHash } from 'node:crypto';
import type { EmbedKind } from '../../ports/embedder.js';

/** Scales v to unit length in place; a vector of zeros (or with a NaN) becomes all zeros. */
export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) v.fill(0);
  else for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

/** A text made only of white space is embedded as the zero vector, by every model adapter. */
export function isBlank(text: string): boolean {
  return text.trim() === '';
}

export interface Prefixes {
  query: string;
  document: string;
}

export function prefixed(text: string, kind: EmbedKind, prefixes: Prefixes): string {
  const p = kind === 'query' ? prefixes.query : prefixes.document;
  return p === '' ? text : p + text;
}

/** '' for the model's own prefixes, else '+p' and a short hash of the ones set (part of an embedder id). */
export function prefixesTag(prefixes: Prefixes, defaults: Prefixes): string {
  if (prefixes.query === defaults.query && prefixes.document === defaults.document) return '';
  return `+p${createHash('sha256').update(JSON.stringify([prefixes.query, prefixes.document])).digest('hex').slice(0, 8)}`;
}
