/**
 * Kaggle snapshot JSON lines, streamed: text chunks in, ParseResult batches out. Memory holds
 * one chunk and one batch whatever the input size (the real snapshot is 4.5 GB).
 *
 * Telling a truncated input from a bad record: a bad line that ends with a newline is one
 * RecordError and the stream goes on; a last line without its newline that is not complete JSON
 * means the input was cut off, and the whole input is unusable.
 */
import { InputUnusableError } from '../../core/errors.js';
import type { ParseResult } from '../../ports/source.js';
import { parseKaggleLine, parseKaggleValue, type KaggleLineResult } from './kaggle.parser.js';

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
      add(batch, parseKaggleLine(line, source, lineNo));
      if (batch.records.length + batch.errors.length >= batchSize) {
        yield batch;
        batch = emptyBatch();
      }
    }
    carry = text.slice(start);
    if (carry.length > MAX_LINE_CHARS)
      throw new InputUnusableError(source, `line ${lineNo + 1}`, 'a line longer than 16 MB: not JSON lines');
  }
  if (!isBlank(carry)) add(batch, parseLastLine(carry, source, lineNo + 1));
  if (batch.records.length + batch.errors.length > 0) yield batch;
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
  return { records: [], errors: [] };
}

function add(batch: ParseResult, r: KaggleLineResult): void {
  if (r.error) batch.errors.push(r.error);
  else batch.records.push(r.record);
}

/** Cheap for real lines: they start with "{", so the loop stops at the first character. */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
