/**
 * Kaggle snapshot JSON lines, streamed: text chunks in, ParseResult batches out. Memory holds
 * one chunk and one batch whatever the input size (the real snapshot is 4.5 GB).
 *
 * Telling a truncated input from a bad record: a bad line that ends with a newline is one
 * RecordError and the stream goes on; a last line without its newline that is not complete JSON
 * means the input was cut off, and the whole input is unusable.
 */
import { createHash } from 'node:crypto';
import { parseArxivId } from '../../core/arxiv-id.js';
import { InputUnusableError } from '../../core/errors.js';
import type { ParseResult, PendingRecord } from '../../ports/source.js';
import { KAGGLE_PARSER_VERSION, parseKaggleLine, parseKaggleValue, type KaggleLineResult } from './kaggle.parser.js';

/** Snapshot lines start with their id: read it without parsing the line. */
const LEADING_ID = /^\{\s*"id"\s*:\s*"([^"\\]{1,64})"/;

/** Past this a "line" is not a snapshot record but a file without newlines: stop, don't buffer it all. */
const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Yields batches of `batchSize` items (records and errors together, in input order). */
export async function* kaggleBatches(
  chunks: AsyncIterable<string>,
  source: string,
  batchSize: number,
): AsyncGenerator<ParseResult> {
  let batch = emptyBatch();
  let carry = '';
  let lineNo = 0;
  let first = true;
  for await (const chunk of chunks) {
    let text = carry === '' ? chunk : carry + chunk;
    if (first) {
      text = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      first = false;
    }
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      lineNo++;
      const line = text.slice(start, nl);
      start = nl + 1;
      if (isBlank(line)) continue;
      addLine(batch, line, source, lineNo);
      if (size(batch) >= batchSize) {
        yield batch;
        batch = emptyBatch();
      }
    }
    carry = text.slice(start);
    if (carry.length > MAX_LINE_CHARS)
      throw new InputUnusableError(source, `line ${lineNo + 1}`, 'a line longer than 16 MB: not JSON lines');
  }
  if (!isBlank(carry)) {
    // parsed now: a cut last line must fail the stream, not one record
    const last = parseLastLine(carry, source, lineNo + 1);
    addPending(batch, carry, () => last);
  }
  if (size(batch) > 0) yield batch;
}

/**
 * Every line becomes a pending record, fingerprinted by its bytes and the parser version, so
 * that ingest parses it only when that fingerprint is new (and reports errors in line order).
 * A line whose id can't be read off its start gets the id "": it is always parsed.
 */
function addLine(batch: ParseResult, line: string, source: string, lineNo: number): void {
  addPending(batch, line, () => parseKaggleLine(line, source, lineNo));
}

function addPending(batch: ParseResult, line: string, parse: () => KaggleLineResult): void {
  const m = LEADING_ID.exec(line);
  const id = (m && parseArxivId(m[1]!)?.id) ?? '';
  const fingerprint = createHash('sha1').update(KAGGLE_PARSER_VERSION).update(line).digest('base64url');
  const pending: PendingRecord = { id, source: 'kaggle', fingerprint, parse };
  batch.pending!.push(pending);
}

function size(batch: ParseResult): number {
  return batch.records.length + batch.errors.length + batch.pending!.length;
}

/** The final line has no newline: valid JSON is a record like any other, anything else a cut. */
function parseLastLine(line: string, source: string, lineNo: number): KaggleLineResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new InputUnusableError(
      source,
      `line ${lineNo}`,
      `truncated: the last line (${line.length} characters) has no newline and is not complete JSON`,
    );
  }
  return parseKaggleValue(value, source, lineNo);
}

function emptyBatch(): ParseResult {
  return { records: [], errors: [], pending: [] };
}


/** Cheap for real lines: they start with "{", so the loop stops at the first character. */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
