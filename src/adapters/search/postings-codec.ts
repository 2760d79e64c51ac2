/**
 * The byte format of the PostgreSQL index's postings (search_postings.data and .pos): for one
 * term in one segment, every paper (doc) holding it, in doc order. Unsigned LEB128 varints:
 *   data: per doc  Δdoc, document tokens, tf in title, tf in abstract, tf in authors
 *   pos:  per doc, per field with tf > 0, tf positions as deltas (first from 0)
 * Positions sit apart so that scoring single words never reads them; phrases do.
 */

export const FIELD_COUNT = 3; // title, abstract, authors: the order FTS5's columns have

export interface Posting {
  doc: number;
  /** tokens in the whole paper: BM25's document length */
  tokens: number;
  /** 0-based token positions in each field */
  positions: [number[], number[], number[]];
}

/** Decoded data of one row: parallel arrays in doc order. */
export interface PostingList {
  docs: Int32Array;
  tokens: Int32Array;
  /** tf[field][i] */
  tf: [Int32Array, Int32Array, Int32Array];
}

/** A growable byte buffer of varints; the hot loop of indexing, so kept plain. */
class Writer {
  buf = new Uint8Array(1 << 16);
  length = 0;

  /** v: 0 ≤ v < 2^31 (doc ids, counts and positions all are) */
  varint(v: number): void {
    if (this.length + 5 > this.buf.length) this.grow();
    let n = this.length;
    const buf = this.buf;
    while (v >= 0x80) {
      buf[n++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[n++] = v;
    this.length = n;
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    while (this.length + b.length > this.buf.length) this.grow();
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** A copy of what was written; the writer starts over. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

class Reader {
  at = 0;
  constructor(private readonly buf: Uint8Array) {}

  varint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.at++];
      if (b === undefined) throw new Error('postings: truncated varint');
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
  }

  get done(): boolean {
    return this.at >= this.buf.length;
  }
}

// reused: indexing encodes a hundred thousand rows a batch
const data = new Writer();
const pos = new Writer();

/** Encodes postings (in increasing doc order). */
export function encodePostings(list: readonly Posting[]): { data: Uint8Array; pos: Uint8Array } {
  let prev = 0;
  for (let i = 0; i < list.length; i++) {
    const p = list[i]!;
    data.varint(p.doc - prev);
    prev = p.doc;
    data.varint(p.tokens);
    for (let f = 0; f < FIELD_COUNT; f++) data.varint(p.positions[f]!.length);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const field = p.positions[f]!;
      let last = 0;
      for (let k = 0; k < field.length; k++) {
        pos.varint(field[k]! - last);
        last = field[k]!;
      }
    }
  }
  return { data: data.take(), pos: pos.take() };
}

/** Decodes a row's data; n, its number of postings, sizes the arrays up front. */
export function decodePostings(data: Uint8Array, n?: number): PostingList {
  if (n === undefined) return decodePostings(data, countPostings(data));
  const r = new Reader(data);
  const list: PostingList = { docs: new Int32Array(n), tokens: new Int32Array(n), tf: [new Int32Array(n), new Int32Array(n), new Int32Array(n)] };
  let doc = 0;
  for (let i = 0; i < n; i++) {
    doc += r.varint();
    list.docs[i] = doc;
    list.tokens[i] = r.varint();
    list.tf[0][i] = r.varint();
    list.tf[1][i] = r.varint();
    list.tf[2][i] = r.varint();
  }
  if (!r.done) throw new Error(`postings: more than the ${n} postings announced`);
  return list;
}

/** Postings in a row's data (5 varints each). */
function countPostings(data: Uint8Array): number {
  let ends = 0;
  for (const b of data) if (b < 0x80) ends++;
  if (ends % 5 !== 0 || (data.length > 0 && data[data.length - 1]! >= 0x80)) throw new Error('postings: truncated data');
  return ends / 5;
}

/** The positions of every doc of a decoded row: [doc index][field] → positions. */
export function decodePositions(list: PostingList, pos: Uint8Array): number[][][] {
  const r = new Reader(pos);
  const out: number[][][] = [];
  for (let i = 0; i < list.docs.length; i++) {
    const fields: number[][] = [];
    for (let f = 0; f < FIELD_COUNT; f++) {
      const n = list.tf[f]![i]!;
      const at: number[] = [];
      let last = 0;
      for (let k = 0; k < n; k++) at.push((last += r.varint()));
      fields.push(at);
    }
    out.push(fields);
  }
  return out;
}

export interface EncodedRow {
  n: number;
  data: Uint8Array;
  pos: Uint8Array;
}

/**
 * Several rows of one term (from different segments) as one, in doc order, dead docs dropped;
 * null when nothing is left. Positions are copied as bytes: each doc's are encoded on their own.
 */
export function mergeEncoded(rows: readonly EncodedRow[], dead: ReadonlySet<number>): EncodedRow | null {
  const parts = rows.map((r) => {
    const list = decodePostings(r.data, r.n);
    return { list, pos: r.pos, at: positionOffsets(list, r.pos) };
  });
  const order: [number, number][] = [];
  parts.forEach((p, k) =>
    p.list.docs.forEach((doc, i) => {
      if (!dead.has(doc)) order.push([k, i]);
    }),
  );
  if (order.length === 0) return null;
  order.sort(([ka, ia], [kb, ib]) => parts[ka]!.list.docs[ia]! - parts[kb]!.list.docs[ib]!);
  let prev = 0;
  for (const [k, i] of order) {
    const { list, pos: bytes, at } = parts[k]!;
    data.varint(list.docs[i]! - prev);
    prev = list.docs[i]!;
    data.varint(list.tokens[i]!);
    for (let f = 0; f < FIELD_COUNT; f++) data.varint(list.tf[f]![i]!);
    pos.bytes(bytes.subarray(at[i]!, at[i + 1]!));
  }
  return { n: order.length, data: data.take(), pos: pos.take() };
}

/** Where each doc's positions start in a row's pos bytes (and, last, where they end). */
function positionOffsets(list: PostingList, pos: Uint8Array): Int32Array {
  const at = new Int32Array(list.docs.length + 1);
  let b = 0;
  for (let i = 0; i < list.docs.length; i++) {
    at[i] = b;
    let count = list.tf[0][i]! + list.tf[1][i]! + list.tf[2][i]!;
    while (count > 0) if (pos[b++]! < 0x80) count--;
  }
  at[list.docs.length] = b;
  return at;
}

/**
 * One token occurrence as a single number: doc index in its batch, field, position (positions
 * past 65,535, in author lists of thousands, are all filed at 65,535).
 */
export function packOccurrence(docIndex: number, field: number, position: number): number {
  return (docIndex * 4 + field) * 65536 + Math.min(position, 65535);
}

/**
 * Encodes a term's packed occurrences (in doc, field and position order) as one row; docIds and
 * tokens are indexed by the docs' places in the batch.
 */
export function encodeOccurrences(occ: readonly number[], docIds: Int32Array, tokens: Int32Array): EncodedRow {
  let prev = 0;
  let n = 0;
  for (let i = 0; i < occ.length; ) {
    const docIndex = Math.floor(occ[i]! / 262144);
    let end = i;
    const tf = [0, 0, 0];
    while (end < occ.length && Math.floor(occ[end]! / 262144) === docIndex) tf[Math.floor(occ[end++]! / 65536) % 4]!++;
    data.varint(docIds[docIndex]! - prev);
    prev = docIds[docIndex]!;
    data.varint(tokens[docIndex]!);
    data.varint(tf[0]!);
    data.varint(tf[1]!);
    data.varint(tf[2]!);
    let last = 0;
    let field = -1;
    for (let k = i; k < end; k++) {
      const f = Math.floor(occ[k]! / 65536) % 4;
      const p = occ[k]! % 65536;
      if (f !== field) {
        field = f;
        last = 0;
      }
      pos.varint(p - last);
      last = p;
    }
    n++;
    i = end;
  }
  return { n, data: data.take(), pos: pos.take() };
}
