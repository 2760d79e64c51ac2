/**
 * What sources yield. Parsers (adapters/sources/*.parser.ts) are pure functions from bytes to
 * records or record-level errors; live sources page through a service and say where they
 * stopped, so that a harvest can resume from there.
 */
import type { PaperRecord, SourceName } from '../core/paper.js';

/** A record that could not be used: where it was and why. The rest of its input is fine. */
export interface RecordError {
  /** the input: a file path, a URL */
  source: string;
  /** where in it: "line 12", "entry 3", "record oai:arXiv.org:0704.0471" */
  at: string;
  reason: string;
}

export interface ParseResult {
  records: PaperRecord[];
  errors: RecordError[];
  /** records not parsed yet (see PendingRecord), in input order after `records` */
  pending?: PendingRecord[];
}

/**
 * A record known only by its id and a fingerprint of its raw bytes, parsed on demand: when the
 * store already holds that fingerprint for the paper, ingest skips the parse altogether, which
 * is what makes re-reading a multi-gigabyte snapshot cheap.
 */
export interface PendingRecord {
  id: string;
  source: SourceName;
  /** identifies the raw record and the parser version; stored as the record's hash */
  fingerprint: string;
  parse(): { record: PaperRecord; error?: undefined } | { error: RecordError; record?: undefined };
}

/** One page of a live harvest and the cursor to save once it is stored. */
export interface HarvestPage extends ParseResult {
  /** what was fetched, for logs: a URL or a short description */
  label: string;
  /** JSON-serialisable state from which the next run continues */
  cursor: unknown;
}

/** A configured live source (arXiv OAI-PMH, the arXiv API, Hugging Face daily papers). */
export interface HarvestSource {
  /** stable name under which its cursor is kept, e.g. "arxiv-oai" or "hf-daily" */
  readonly name: string;
  /** Pages from the saved cursor (null: first run) on; stops when the source has nothing newer. */
  pages(cursor: unknown, signal?: AbortSignal): AsyncIterable<HarvestPage>;
}
