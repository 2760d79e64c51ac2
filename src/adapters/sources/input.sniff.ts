/**
 * Telling what an input is from its first bytes: gzip or not, then which of the formats
 * `paperboy ingest` reads, or what else it looks like (an HTML error page saved instead of the
 * data, binary junk), so that the error names the problem instead of failing on record one.
 */
import { constants, gunzipSync } from 'node:zlib';
import type { InputFormat } from './input.js';

/** How much of an input is looked at: enough for an XML prolog or a Kaggle line's start. */
export const SNIFF_BYTES = 16 * 1024;

export type Sniffed = { format: InputFormat } | { found: string };

export const FORMAT_NAMES: Record<InputFormat, string> = {
  kaggle: 'Kaggle arXiv snapshot JSON lines',
  'arxiv-atom': 'an arXiv API Atom feed',
  'oai-pmh': 'an OAI-PMH response',
  'hf-daily': 'Hugging Face daily papers JSON',
};

export function isGzip(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses the start of a gzip stream; the rest of the stream may be missing. */
export function gunzipHead(head: Buffer): Buffer {
  // SYNC_FLUSH makes zlib return what it has instead of failing on the cut-off end
  return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
}

/** What the decompressed start of an input is. `head` must not be empty. */
export function sniffFormat(head: Buffer): Sniffed {
  const start = head.subarray(0, 1024);
  if (start.includes(0)) return { found: 'binary data (NUL bytes)' };
  if (!isUtf8Prefix(start)) return { found: 'binary data (not UTF-8 text)' };
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  const c = text[0];
  if (c === '<') return sniffMarkup(text);
  if (c === '[') return { format: 'hf-daily' };
  if (c === '{') return sniffObject(text);
  if (/^(?:-?\d|"|true\b|false\b|null\b)/.test(text))
    return { found: 'a single JSON value, not an array or object' };
  return { found: `plain text starting ${JSON.stringify(text.slice(0, 40))}` };
}

/** True when `bytes` is valid UTF-8, allowing a character cut off at the end. */
function isUtf8Prefix(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** XML: skip the prolog, comments and doctype, then decide by the root element. */
function sniffMarkup(text: string): Sniffed {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    const rest = text.slice(i, i + 20);
    if (/^<!doctype\s+html/i.test(rest)) return { found: 'an HTML page' };
    const close = rest.startsWith('<?') ? '?>' : rest.startsWith('<!--') ? '-->' : rest.startsWith('<!') ? '>' : null;
    if (close === null) break;
    const end = text.indexOf(close, i);
    if (end === -1) return { found: 'XML without a root element in its first 16 KB' };
    i = end + close.length;
  }
  const root = /^<(?:[\w.-]+:)?([\w.-]+)/.exec(text.slice(i, i + 100))?.[1];
  if (root === undefined) return { found: 'text starting with "<" that is not XML' };
  if (/^(?:html|head|body)$/i.test(root)) return { found: 'an HTML page' };
  if (root === 'feed') return { format: 'arxiv-atom' };
  if (root === 'OAI-PMH') return { format: 'oai-pmh' };
  return { found: `XML with root element <${root}>` };
}

/**
 * An object: a Kaggle line (one object per line, with "id") or a wrapped daily-papers response
 * ({status, date, count, data: [...]}, usually pretty-printed over many lines).
 */
function sniffObject(text: string): Sniffed {
  const nl = text.indexOf('\n');
  const firstLine = nl === -1 ? text : text.slice(0, nl);
  let first: unknown;
  try {
    first = JSON.parse(firstLine);
  } catch {
    first = undefined;
  }
  if (typeof first === 'object' && first !== null) {
    if ('id' in first) return { format: 'kaggle' };
    if (Array.isArray((first as { data?: unknown }).data)) return { format: 'hf-daily' };
    const keys = Object.keys(first).slice(0, 6).join(', ');
    return { found: `a JSON object with keys ${keys || '(none)'}, neither a snapshot line nor a daily-papers response` };
  }
  // first line incomplete: a line longer than the head, or a document spread over lines
  if (/^\{\s*"id"\s*:/.test(firstLine)) return { format: 'kaggle' };
  if (/"data"\s*:\s*\[/.test(text)) return { format: 'hf-daily' };
  if (firstLine.startsWith("{'")) return { found: 'Python dict reprs, not JSON' };
  return { found: 'a JSON object that is neither a snapshot line (no "id") nor a daily-papers response (no "data" array)' };
}
