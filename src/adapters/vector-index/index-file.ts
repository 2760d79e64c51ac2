/**
 * The file a vector index is saved to (decision 020): a header, the paper ids and their Float32
 * vectors, and a SHA-256 of all of it at the end. Written to a temporary name, synced and renamed,
 * so a crash leaves the old file or the new one; read back only when it is whole, its checksum
 * right and its header what the caller expects, else the reason is returned and the caller
 * rebuilds the index from the store. An approximate index's graph (usearch's own file) is named
 * in the header with its size and SHA-256, and checked the same way.
 */
import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';

const MAGIC = Buffer.from('PBVECIDX', 'latin1');
const FORMAT = 1;
/** read and hashed in pieces of this size, so a large index never needs a second copy in memory */
const CHUNK = 8 * 1024 * 1024;

export interface IndexFileHeader {
  /** the adapter that wrote it ('exact', 'hnsw') */
  kind: string;
  dimensions: number;
  /** how many vectors follow */
  count: number;
  /** the store seq the index reflects */
  syncedSeq: number;
  /** the adapter's settings: a file written under others is not used */
  params: Record<string, string | number>;
  /** the graph file beside it, when the adapter keeps one */
  graph?: { bytes: number; sha256: string };
}

export interface IndexFileContents {
  header: IndexFileHeader;
  /** by slot; null for a free slot (an index that reuses slots) */
  ids: (string | null)[];
  /** count × dimensions, in the order of ids */
  vectors: Float32Array;
}

export async function writeIndexFile(path: string, header: IndexFileHeader, ids: readonly (string | null)[], vectors: Float32Array): Promise<void> {
  if (vectors.length !== ids.length * header.dimensions) throw new Error(`${path}: ${ids.length} ids but ${vectors.length / header.dimensions} vectors`);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const hash = createHash('sha256');
  const fh = await open(tmp, 'w');
  try {
    const headerJson = Buffer.from(JSON.stringify({ format: FORMAT, ...header }), 'utf8');
    const idsJson = Buffer.from(JSON.stringify(ids), 'utf8');
    const lengths = Buffer.alloc(12);
    lengths.writeUInt32LE(headerJson.length, 0);
    lengths.writeUInt32LE(idsJson.length, 4);
    lengths.writeUInt32LE(0, 8);
    const body = Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength);
    for (const part of [MAGIC, lengths, headerJson, idsJson]) {
      hash.update(part);
      await fh.write(part);
    }
    for (let at = 0; at < body.length; at += CHUNK) {
      const piece = body.subarray(at, Math.min(body.length, at + CHUNK));
      hash.update(piece);
      await writeAll(fh, piece);
    }
    await fh.write(hash.digest());
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await rename(tmp, path);
}

async function writeAll(fh: Awaited<ReturnType<typeof open>>, buf: Buffer): Promise<void> {
  for (let at = 0; at < buf.length; ) {
    const { bytesWritten } = await fh.write(buf, at, buf.length - at);
    at += bytesWritten;
  }
}

/**
 * The file's contents, or why it can't be used (missing, truncated, checksum wrong, written by
 * another adapter or for other dimensions or settings).
 */
export async function readIndexFile(
  path: string,
  expect: { kind: string; dimensions: number; params: Record<string, string | number> },
): Promise<IndexFileContents | { unusable: string }> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    return { unusable: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no index file yet' : `unreadable: ${(e as Error).message}` };
  }
  try {
    const size = (await fh.stat()).size;
    const hash = createHash('sha256');
    let at = 0;
    const take = async (n: number): Promise<Buffer | null> => {
      if (at + n > size - 32) return null;
      const buf = Buffer.alloc(n);
      await readFully(fh!, buf, at);
      at += n;
      hash.update(buf);
      return buf;
    };
    const start = await take(MAGIC.length + 12);
    if (!start || !start.subarray(0, MAGIC.length).equals(MAGIC)) return { unusable: 'not a Paperboy vector index file' };
    const headerBytes = await take(start.readUInt32LE(MAGIC.length));
    if (!headerBytes) return { unusable: 'truncated (header)' };
    let header: IndexFileHeader & { format: number };
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as IndexFileHeader & { format: number };
    } catch {
      return { unusable: 'corrupt header' };
    }
    if (header.format !== FORMAT) return { unusable: `format ${header.format}, not ${FORMAT}` };
    if (header.kind !== expect.kind) return { unusable: `written by the ${header.kind} index, not ${expect.kind}` };
    if (header.dimensions !== expect.dimensions) return { unusable: `${header.dimensions} dimensions, not ${expect.dimensions}` };
    if (JSON.stringify(header.params) !== JSON.stringify(expect.params)) return { unusable: `other settings (${JSON.stringify(header.params)})` };
    const idBytes = await take(start.readUInt32LE(MAGIC.length + 4));
    if (!idBytes) return { unusable: 'truncated (ids)' };
    const vectorBytes = header.count * header.dimensions * 4;
    if (at + vectorBytes + 32 !== size) return { unusable: `${size} bytes, not the ${at + vectorBytes + 32} its header says` };
    const vectors = new Float32Array(header.count * header.dimensions);
    const body = Buffer.from(vectors.buffer);
    for (let off = 0; off < body.length; off += CHUNK) {
      const piece = body.subarray(off, Math.min(body.length, off + CHUNK));
      await readFully(fh, piece, at + off);
      hash.update(piece);
    }
    const stored = Buffer.alloc(32);
    await readFully(fh, stored, size - 32);
    if (!hash.digest().equals(stored)) return { unusable: 'checksum mismatch (corrupt)' };
    let ids: (string | null)[];
    try {
      ids = JSON.parse(idBytes.toString('utf8')) as (string | null)[];
    } catch {
      return { unusable: 'corrupt ids' };
    }
    if (!Array.isArray(ids) || ids.length !== header.count) return { unusable: 'ids and count disagree' };
    const { kind, dimensions, count, syncedSeq, params, graph } = header;
    return { header: { kind, dimensions, count, syncedSeq, params, ...(graph ? { graph } : {}) }, ids, vectors };
  } finally {
    await fh.close();
  }
}

async function readFully(fh: Awaited<ReturnType<typeof open>>, buf: Buffer, position: number): Promise<void> {
  for (let got = 0; got < buf.length; ) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) throw new Error('unexpected end of file');
    got += bytesRead;
  }
}

/** The SHA-256 and size of a file, read in pieces; null when it does not exist. */
export async function hashFile(path: string): Promise<{ bytes: number; sha256: string } | null> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const hash = createHash('sha256');
    const buf = Buffer.alloc(CHUNK);
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, bytes);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      bytes += bytesRead;
    }
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await fh.close();
  }
}
