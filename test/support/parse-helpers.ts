// For the parser tests: the error a parse throws, and a record by id.
import { expect } from 'vitest';
import { InputUnusableError } from '../../src/core/errors.js';
import type { ParseResult } from '../../src/ports/source.js';

/** The InputUnusableError fn throws (fails the test on anything else, or on no error). */
export function unusableSync(fn: () => unknown): InputUnusableError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputUnusableError);
    return e as InputUnusableError;
  }
  throw new Error('expected an InputUnusableError');
}

export function recordOf(page: ParseResult, id: string) {
  const r = page.records.find((x) => x.id === id);
  if (!r) throw new Error(`no record ${id}`);
  return r;
}
