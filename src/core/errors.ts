/**
 * Domain errors with stable codes. The core and services throw these; delivery maps the code
 * to an exit status (CLI) or an HTTP status (web), never the other way round.
 */

export type ErrorCode =
  | 'INPUT_UNUSABLE' // a whole input can't be read: not the format, truncated, junk
  | 'RECORD_INVALID' // one record can't be used; the rest of its input is fine
  | 'CONFIG_INVALID'
  | 'DB_TOO_NEW' // the database was migrated by a newer Paperboy
  | 'SOURCE_FAILED' // a live source failed after its retries
  | 'NOT_FOUND'
  | 'FORBIDDEN' // the acting account may not do this (not its comment, not a moderator)
  | 'RATE_LIMITED' // too many of these from one account lately; the same request later may succeed
  | 'QUERY_TIMEOUT' // a read ran past its time budget and was stopped; a narrower request may succeed
  | 'UNSUPPORTED'; // a mode or feature that exists in the interface but not (yet) in this build

export class PaperboyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PaperboyError';
  }
}

/** An input that can't be used at all. `at` says where it broke (line, byte, element). */
export class InputUnusableError extends PaperboyError {
  constructor(
    readonly source: string,
    readonly at: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('INPUT_UNUSABLE', `${source}: unusable input at ${at}: ${reason}`, options);
    this.name = 'InputUnusableError';
  }
}

/** Too many of these from one account lately; `retryAfterSeconds` says when the same request will be taken again. */
export class RateLimitedError extends PaperboyError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
    this.name = 'RateLimitedError';
  }
}
