// Where a JSON text breaks: the scanner must agree with JSON.parse on what is valid.
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, lineColumn, shortJsonMessage } from './json-error.js';

function messageOf(text: string): unknown {
  try {
    JSON.parse(text);
  } catch (e) {
    return e;
  }
  throw new Error('expected invalid JSON');
}

describe('jsonErrorOffset', () => {
  it.each([
    ['[x]', 1],
    ['{"a":1,}', 7],
    ['[1,2', 4],
    ['{"a":\n tru}', 7],
    ['"ab\\qc"', 3],
    ['{"a":"b\tc"}', 7],
    ['[1] x', 4],
    ['{"cut": "in the midd', 20],
    ['', 0],
  ])('%j breaks at %i', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('finds nothing wrong in valid JSON', () => {
    for (const text of ['[]', ' {"a":[1,{"b":null}],"c":-1.5e3,"d":"\\u00e9\\n"} ', 'true']) {
      expect(jsonErrorOffset(text)).toBeNull();
    }
  });
});

describe('lineColumn and shortJsonMessage', () => {
  it('gives 1-based line and column', () => {
    expect(lineColumn('ab\ncd\nef', 0)).toBe('line 1, column 1');
    expect(lineColumn('ab\ncd\nef', 4)).toBe('line 2, column 2');
    expect(lineColumn('ab\ncd\nef', 8)).toBe('line 3, column 3');
  });

  it("drops V8's quote of the input and its position", () => {
    const long = shortJsonMessage(messageOf(`{"a": x${'y'.repeat(500)}}`));
    expect(long).toBe("Unexpected token 'x'");
    expect(shortJsonMessage(messageOf('{"a":1,}'))).toBe('Expected double-quoted property name');
  });
});
