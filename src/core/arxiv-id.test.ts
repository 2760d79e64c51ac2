import { describe, expect, it } from 'vitest';
import { formatArxivId, parseArxivId } from './arxiv-id.js';

describe('parseArxivId', () => {
  it.each([
    ['2405.15738', '2405.15738', null],
    ['2405.15738v2', '2405.15738', 2],
    ['0704.0001', '0704.0001', null],
    ['1412.9999v12', '1412.9999', 12],
    ['hep-th/9901001', 'hep-th/9901001', null],
    ['hep-th/9901001v3', 'hep-th/9901001', 3],
    ['math.GT/0309136', 'math/0309136', null],
    ['cond-mat/0011072v1', 'cond-mat/0011072', 1],
    ['arXiv:2405.15738v1', '2405.15738', 1],
    ['http://arxiv.org/abs/nucl-ex/0408020v1', 'nucl-ex/0408020', 1],
    ['https://arxiv.org/pdf/2405.15738v2.pdf', '2405.15738', 2],
    ['oai:arXiv.org:0704.0471', '0704.0471', null],
    ['  2501.00001 ', '2501.00001', null],
  ])('reads %s', (raw, id, version) => {
    expect(parseArxivId(raw)).toEqual({ id, version });
  });

  it.each(['', 'hello', '2413.00001', '2405.1573', '1501.1234', '1412.12345', '2405.15738v', 'hep-th/99010', '<script>'])(
    'rejects %j',
    (raw) => {
      expect(parseArxivId(raw)).toBeNull();
    },
  );

  it('formats with a version', () => {
    expect(formatArxivId('2405.15738', 2)).toBe('2405.15738v2');
    expect(formatArxivId('hep-th/9901001', null)).toBe('hep-th/9901001');
  });
});
