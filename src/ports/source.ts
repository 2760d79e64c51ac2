/**
 * What sources yield. Parsers (adapters/sources/*.parser.ts) are pure functions from bytes to
 * records or record-level errors; live sources page through a service and say where they
 * stopped, so that a harvest can resume from there.
 */
import type { PaperRecord } from '../core/paper.js';

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
