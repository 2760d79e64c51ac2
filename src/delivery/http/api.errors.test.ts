import { describe, expect, it } from 'vitest';
import { InputUnusableError, PaperboyError, RateLimitedError } from '../../core/errors.js';
import { ApiProblem, mapError } from './api.errors.js';

const fastifyError = (props: Record<string, unknown>) => Object.assign(new Error(String(props.message ?? 'x')), props);

describe('mapError', () => {
  it('gives every error a stable code and the status that goes with it', () => {
    const cases: [unknown, number, string][] = [
      [new ApiProblem(404, 'NOT_FOUND', 'no paper'), 404, 'NOT_FOUND'],
      [new PaperboyError('NOT_FOUND', 'gone'), 404, 'NOT_FOUND'],
      [new PaperboyError('UNSUPPORTED' as never, 'no embeddings'), 400, 'UNSUPPORTED'],
      [new PaperboyError('QUERY_INVALID' as never, 'bad query'), 400, 'INVALID_PARAMETER'],
      [fastifyError({ validation: [{}], statusCode: 400, message: 'querystring/page must be >= 1' }), 400, 'INVALID_PARAMETER'],
      [fastifyError({ statusCode: 429 }), 429, 'RATE_LIMITED'],
      [fastifyError({ statusCode: 404 }), 404, 'NOT_FOUND'],
      [fastifyError({ statusCode: 414, code: 'FST_ERR_BAD_URL' }), 400, 'INVALID_PARAMETER'],
      [new PaperboyError('CONFIG_INVALID', 'PORT'), 500, 'INTERNAL'],
      [new InputUnusableError('f', 'line 1', 'junk'), 500, 'INTERNAL'],
      [new TypeError('x is undefined'), 500, 'INTERNAL'],
      ['a string thrown', 500, 'INTERNAL'],
    ];
    for (const [err, status, code] of cases) expect(mapError(err), String(err)).toMatchObject({ status, code });
  });

  it('carries when to retry from a RateLimitedError, and from no other', () => {
    expect(mapError(new RateLimitedError('at most 5 comments in a day', 86_400))).toEqual({ status: 429, code: 'RATE_LIMITED', message: 'at most 5 comments in a day', retryAfter: 86_400 });
    expect(mapError(new PaperboyError('RATE_LIMITED', 'too many'))).not.toHaveProperty('retryAfter');
  });

  it('keeps the reasons of server failures to the log', () => {
    expect(mapError(new Error('password authentication failed for user "paperboy"')).message).toBe('internal error; it has been logged');
    expect(mapError(new PaperboyError('NOT_FOUND', 'no paper 2405.00001 here')).message).toBe('no paper 2405.00001 here');
  });
});
