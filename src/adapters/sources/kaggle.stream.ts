/**
 * Kaggle snapshot JSON lines, streamed: byte chunks in, ParseResult batches out. Memory holds
 * one chunk and one batch whatever the input size (the real snapshot is 4.5 GB).
 *
 * Lines are split, identified and fingerprinted as bytes: a line is decoded to text only when
 * ingest parses it (its fingerprint is new). Decoding the whole stream up front (a readable's
 * setEncoding) was a third of the corpus ingest's time: UTF-8 to a JavaScript string in 256 kB
 * pieces, then a line slice of that string for every record. The fingerprint hashes the line's
 * bytes, which are what hashing its decoded text gave for every valid UTF-8 line, so records
 * stored by earlier versions are still recognised.
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

/** Snapshot lines start with their id: read it off the line's first bytes, without parsing the line. */
const LEADING_ID = /^\{\s*"id"\s*:\s*"([^"\\]{1,64})"/;
/** Enough bytes of a line's start for LEADING_ID (whitespace included). */
const ID_HEAD_BYTES = 128;

/** Past this a "line" is not a snapshot record but a file without newlines: stop, don't buffer it all. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;

/** A snapshot line not parsed yet, with its bytes: the worker (kaggle.worker.ts) sends them on when it does not parse ahead. */
export interface KagglePending extends PendingRecord {
  line: Buffer;
  lineNo: number;
}

/** Kaggle batches hold only pending records: every line is one. */
export interface KaggleBatch extends ParseResult {
  pending: KagglePending[];
}

/** Yields batches of `batchSize` items (records and errors together, in input order). */
export async function* kaggleBatches(
  chunks: AsyncIterable<Buffer | string>,
  source: string,
  batchSize: number,
): AsyncGenerator<KaggleBatch> {
  let batch = emptyBatch();
  // the start of a line that continues in the next chunk(s), kept in pieces: joined once, when its end comes
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let lineNo = 0;
  let first = true;
  for await (const piece of chunks) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    if (first) {
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3); // a UTF-8 BOM
      first = false;
    }
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      lineNo++;
      // only a line that straddles two chunks is copied
      const line = carry.length === 0 ? chunk.subarray(start, nl) : Buffer.concat([...carry, chunk.subarray(0, nl)]);
      carry = [];
      carryBytes = 0;
      start = nl + 1;
      if (isBlank(line)) continue;
      addLine(batch, line, source, lineNo);
      if (size(batch) >= batchSize) {
        yield batch;
        batch = emptyBatch();
      }
    }
    if (start < chunk.length) {
      carry.push(chunk.subarray(start));
      carryBytes += chunk.length - start;
    }
    if (carryBytes > MAX_LINE_BYTES)
      throw new InputUnusableError(source, `line ${lineNo + 1}`, 'a line longer than 16 MB: not JSON lines');
  }
  const lastLine = Buffer.concat(carry);
  if (!isBlank(lastLine)) {
    // parsed now: a cut last line must fail the stream, not one record
    const last = parseLastLine(lastLine.toString('utf8'), source, lineNo + 1);
    addPending(batch, lastLine, lineNo + 1, () => last);
  }
  if (size(batch) > 0) yield batch;
}

/**
 * Every line becomes a pending record, fingerprinted by its bytes and the parser version, so
 * that ingest parses it only when that fingerprint is new (and reports errors in line order).
 * A line whose id can't be read off its start gets the id "": it is always parsed.
 */
function addLine(batch: KaggleBatch, line: Buffer, source: string, lineNo: number): void {
  addPending(batch, line, lineNo, () => parseKaggleLine(line.toString('utf8'), source, lineNo));
}

function addPending(batch: KaggleBatch, line: Buffer, lineNo: number, parse: () => KaggleLineResult): void {
  // latin1: one character per byte, cheap; an id is ASCII, anything else fails parseArxivId
  const m = LEADING_ID.exec(line.toString('latin1', 0, Math.min(line.length, ID_HEAD_BYTES)));
  const id = (m && parseArxivId(m[1]!)?.id) ?? '';
  const fingerprint = createHash('sha1').update(KAGGLE_PARSER_VERSION).update(line).digest('base64url');
  batch.pending.push({ id, source: 'kaggle', fingerprint, parse, line, lineNo });
}

function size(batch: KaggleBatch): number {
  return batch.records.length + batch.errors.length + batch.pending.length;
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

function emptyBatch(): KaggleBatch {
  return { records: [], errors: [], pending: [] };
}

/** Cheap for real lines: they start with "{", so the loop stops at the first byte. */
function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
