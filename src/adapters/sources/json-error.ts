/**
 * Saying where and why a JSON text is broken. V8's SyntaxError messages name a position for
 * some mistakes but not for others ("Unexpected token 'x', "…" is not valid JSON"), and quote
 * the input; these helpers give a consistent offset and a short reason. Only called after
 * JSON.parse has failed, so speed does not matter here.
 */

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** Offset of the first JSON syntax error in `text`, or null when it is valid (or too deep to scan). */
export function jsonErrorOffset(text: string): number | null {
  const s = new Scanner(text);
  try {
    s.value();
    s.ws();
    return s.i < text.length ? s.i : null;
  } catch (e) {
    if (typeof e === 'number') return e;
    return null; // RangeError: nesting deeper than the call stack; no position to give
  }
}

/** "line 3, column 17" (both 1-based) of an offset in `text`. */
export function lineColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/** V8's message without the quoted input and its own position: "Unexpected token '}'". */
export function shortJsonMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg
    .split(/, (?:\.\.\.)?"/)[0]!
    .replace(/ in JSON at position \d+.*$/s, '')
    .slice(0, 120);
}

class Scanner {
  i = 0;
  constructor(private readonly t: string) {}

  ws(): void {
    const t = this.t;
    while (this.i < t.length && (t[this.i] === ' ' || t[this.i] === '\n' || t[this.i] === '\r' || t[this.i] === '\t'))
      this.i++;
  }

  value(): void {
    this.ws();
    const c = this.t[this.i];
    if (c === '{') this.container('}', true);
    else if (c === '[') this.container(']', false);
    else if (c === '"') this.string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.token(NUMBER);
    else this.token(LITERAL);
  }

  private container(close: string, isObject: boolean): void {
    this.i++;
    this.ws();
    if (this.t[this.i] === close) {
      this.i++;
      return;
    }
    for (;;) {
      if (isObject) this.member();
      else this.value();
      this.ws();
      const c = this.t[this.i];
      this.i++;
      if (c === close) return;
      if (c !== ',') throw this.i - 1;
    }
  }

  private member(): void {
    this.ws();
    if (this.t[this.i] !== '"') throw this.i;
    this.string();
    this.ws();
    if (this.t[this.i] !== ':') throw this.i;
    this.i++;
    this.value();
  }

  /** Char by char, so a string cut off or holding a control character is placed exactly. */
  private string(): void {
    const t = this.t;
    let i = this.i + 1;
    for (;;) {
      if (i >= t.length) throw i;
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) throw i;
      if (c !== 0x5c) i++;
      else if (t[i + 1] === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) i += 6;
      else if ('"\\/bfnrt'.includes(t[i + 1] ?? 'x')) i += 2;
      else throw i;
    }
    this.i = i + 1;
  }

  private token(re: RegExp): void {
    re.lastIndex = this.i;
    if (!re.test(this.t)) throw this.i;
    this.i = re.lastIndex;
  }
}
