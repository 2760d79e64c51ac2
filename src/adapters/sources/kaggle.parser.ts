/**
 * One line of the Kaggle arXiv snapshot (arxiv-metadata-oai-snapshot.json, JSON lines) to a
 * PaperRecord, or to the reason it can't be one.
 *
 * This runs 2.7 million times per full snapshot, so it stays lean: one JSON.parse, typeof checks
 * instead of a schema library, and the shared core validation at the end.
 */
import { parseArxivId } from '../../core/arxiv-id.js';
import type { PaperRecord, PaperVersion } from '../../core/paper.js';
import { cleanAbstract, cleanLine, splitAuthors, toIsoTimestamp } from '../../core/text.js';
import { validateRecord } from '../../core/validate.js';
import type { RecordError } from '../../ports/source.js';
import { jsonErrorOffset, shortJsonMessage } from './json-error.js';

/** Bump when parsing changes what a line gives: lines ingested before are then parsed again. */
export const KAGGLE_PARSER_VERSION = 'kaggle-1\n';

export type KaggleLineResult = { record: PaperRecord; error?: undefined } | { error: RecordError; record?: undefined };

type Json = Record<string, unknown>;

/** Parses one snapshot line; `lineNo` (1-based) only serves to say where an error is. */
export function parseKaggleLine(line: string, source: string, lineNo: number): KaggleLineResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return fail(source, lineNo, invalidJsonReason(line, e));
  }
  return parseKaggleValue(value, source, lineNo);
}

/** The same, for a line already parsed as JSON (the streamer parses a final line itself). */
export function parseKaggleValue(value: unknown, source: string, lineNo: number): KaggleLineResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(source, lineNo, notAnObjectReason(value));
  const o = value as Json;
  const rawId = o.id;
  if (typeof rawId !== 'string' || rawId.trim() === '') return fail(source, lineNo, 'missing "id"');
  const parsed = parseArxivId(rawId);
  if (!parsed) return fail(source, lineNo, `not an arXiv id: ${JSON.stringify(rawId.slice(0, 60))}`);

  const versions = toVersions(o.versions);
  const newest = versions.length > 0 ? versions[versions.length - 1]! : null;
  const record: PaperRecord = {
    id: parsed.id,
    version: newest ? newest.version : parsed.version,
    source: 'kaggle',
    versions,
    title: cleanLine(str(o.title)),
    abstract: cleanAbstract(str(o.abstract)),
    authors: toAuthors(o.authors_parsed) ?? splitAuthors(str(o.authors)),
    categories: toCategories(o.categories),
    submittedAt: versions[0]?.submittedAt ?? null,
    updatedAt: newest?.submittedAt ?? null,
    comments: cleanLine(str(o.comments)),
    journalRef: cleanLine(str(o['journal-ref'])),
    doi: cleanLine(str(o.doi)),
    license: cleanLine(str(o.license)),
    reportNo: cleanLine(str(o['report-no'])),
    submitter: cleanLine(str(o.submitter)),
    listedOn: null,
  };
  const invalid = validateRecord(record);
  return invalid ? fail(source, lineNo, invalid) : { record };
}

function fail(source: string, lineNo: number, reason: string): KaggleLineResult {
  return { error: { source, at: `line ${lineNo}`, reason } };
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** [{version:"v2", created:"Sat, 13 Dec 2008 17:26:00 GMT"}, …] sorted oldest first; junk entries dropped. */
function toVersions(raw: unknown): PaperVersion[] {
  if (!Array.isArray(raw)) return [];
  const out: PaperVersion[] = [];
  for (const v of raw as unknown[]) {
    if (typeof v !== 'object' || v === null) continue;
    const { version, created, size } = v as Json;
    const n = typeof version === 'string' ? Number(version.replace(/^v/i, '')) : NaN;
    if (!Number.isInteger(n) || n < 1) continue;
    out.push({ version: n, submittedAt: toIsoTimestamp(str(created)), size: str(size) });
  }
  // the snapshot lists them in order; sort only when it does not, to keep the common path cheap
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.version < out[i - 1]!.version) return out.sort((a, b) => a.version - b.version);
  }
  return out;
}

/** [[last, first, suffix, …affiliations]] → "First Last Suffix"; null when there is nothing usable. */
function toAuthors(raw: unknown): string[] | null {
  if (!Array.isArray(raw) || raw.length === 0) return null;
  const names: string[] = [];
  for (const a of raw as unknown[]) {
    if (!Array.isArray(a)) return null;
    const [last, first, suffix] = a as unknown[];
    const name = cleanLine([first, last, suffix].filter((p) => typeof p === 'string' && p !== '').join(' '));
    if (name) names.push(name);
  }
  return names.length > 0 ? names : null;
}

function toCategories(raw: unknown): string[] | null {
  if (typeof raw !== 'string') return null;
  const cats = raw.trim().split(/\s+/);
  return cats[0] === '' ? null : cats;
}

function invalidJsonReason(line: string, e: unknown): string {
  const trimmed = line.trimStart();
  if (trimmed.startsWith("{'")) return 'a Python dict repr, not JSON';
  const offset = jsonErrorOffset(line);
  const where = offset === null ? '' : ` at column ${offset + 1}`;
  return `invalid JSON${where}: ${shortJsonMessage(e)}`;
}

function notAnObjectReason(v: unknown): string {
  if (typeof v === 'string') {
    const t = v.trimStart();
    return t.startsWith('{') ? 'a JSON string holding a Python dict repr, not an object' : 'a JSON string, not an object';
  }
  if (v === null) return 'JSON null, not an object';
  return `a JSON ${Array.isArray(v) ? 'array' : typeof v}, not an object`;
}
