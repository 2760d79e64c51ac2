/** SQLite's big-endian varints, as FTS5 writes its records (the averages record, docsize rows). */

/** The varint at `at`, and where the next one starts. */
export function varintAt(buf: Uint8Array, at: number): { value: number; next: number } {
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const b = buf[at + i] ?? 0;
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) return { value: v, next: at + i + 1 };
  }
  return { value: v * 256 + (buf[at + 8] ?? 0), next: at + 9 };
}

/** Every varint of a record, in order. */
export function varints(buf: Uint8Array): number[] {
  const out: number[] = [];
  for (let at = 0; at < buf.length; ) {
    const { value, next } = varintAt(buf, at);
    out.push(value);
    at = next;
  }
  return out;
}
