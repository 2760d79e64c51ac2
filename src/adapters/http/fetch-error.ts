/**
 * What went wrong with a fetch, in one line: undici hides the useful part (ECONNREFUSED, the
 * host it could not resolve) in the error's cause, and calls a timeout a TimeoutError.
 */
export function describeFetchError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === 'TimeoutError') return 'no answer in time (timeout)';
  const cause = e.cause instanceof Error ? e.cause : null;
  const code = cause && 'code' in cause ? String(cause.code) : null;
  return [e.message, cause?.message, code].filter((s) => s).join(': ');
}
