/**
 * What several routes read alike from a request: `?page=`, and the paper a wildcard path names
 * (/papers/*, /api/v1/papers/*, /api/v1/library/*: an old-style id holds a slash, hep-th/9901001,
 * so these routes take the rest of the path and parse it here).
 */
import type { FastifyRequest } from 'fastify';
import { parseArxivId, type ArxivId } from '../../core/arxiv-id.js';

/** `?page=` of a paged page: a positive whole number, else 1 (what every paged page reads it as). */
export function pageNumber(raw: unknown): number {
  return typeof raw === 'string' && /^\d{1,5}$/.test(raw) ? Math.max(1, Number(raw)) : 1;
}

/** The rest of the path a wildcard route matched, %-decoded (the router leaves an encoded slash, hep-th%2F9901001, encoded); as sent when it does not decode. */
export function wildcardOf(req: FastifyRequest): string {
  const raw = (req.params as { '*'?: string })['*'] ?? '';
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // parseArxivId refuses it
  }
}

export interface PaperPath {
  /** what stands where the paper's id goes */
  text: string;
  /** that text as an arXiv id; null when it is not one */
  id: ArxivId | null;
  /** the shape's other groups, in order */
  rest: string[];
}

/**
 * The paper a wildcard route's path names: the path (wildcardOf) must have `shape` (by default the
 * id alone), whose first group is where the id stands. Null when the path has another shape.
 */
export function paperPath(req: FastifyRequest, shape = /^(.+)$/): PaperPath | null {
  const m = shape.exec(wildcardOf(req));
  if (!m) return null;
  return { text: m[1]!, id: parseArxivId(m[1]!), rest: m.slice(2) };
}
