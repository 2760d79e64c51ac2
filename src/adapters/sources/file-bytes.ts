/**
 * Reading an input file's bytes: a file stream, gunzipped when it is gzip, with read and gzip
 * failures as InputUnusableError naming the file and where. Shared by input.ts and the Kaggle
 * worker (kaggle.worker.ts), which loads only this and the Kaggle parser.
 */
import type { ReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputUnusableError } from '../../core/errors.js';

/** Large reads: the cost per chunk (a string concat, an await) then vanishes next to parsing. */
export const READ_CHUNK = 1024 * 1024;

/**
 * File bytes as they stream in, decompressed when gzip; read and gzip failures become
 * InputUnusableError. Not decoded here: kaggleBatches decodes only the lines it parses.
 */
export async function* textChunks(raw: ReadStream, gzip: boolean, path: string): AsyncGenerator<Buffer> {
  const src: Readable = gzip
    ? pipeline(raw, createGunzip({ chunkSize: 256 * 1024 }), () => {
        /* errors surface through the iteration below */
      })
    : raw;
  try {
    for await (const chunk of src) yield chunk as Buffer;
  } catch (e) {
    if (isZlibError(e)) throw gzipError(path, `byte ${raw.bytesRead}`, e);
    throw osError(path, `byte ${raw.bytesRead}`, e);
  } finally {
    raw.destroy();
  }
}

export function gzipError(label: string, at: string, e: unknown): InputUnusableError {
  const code = (e as { code?: string }).code;
  const msg = e instanceof Error ? e.message : String(e);
  const reason =
    code === 'Z_BUF_ERROR' || /unexpected end/i.test(msg)
      ? 'truncated gzip stream (unexpected end of file)'
      : `corrupt gzip data (${msg})`;
  return new InputUnusableError(label, at, reason, { cause: e });
}

function isZlibError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** "ENOENT: no such file or directory", without Node's repeat of the path. */
export function osError(path: string, at: string, e: unknown): InputUnusableError {
  const msg = e instanceof Error ? e.message : String(e);
  return new InputUnusableError(path, at, msg.replace(/, \w+ '.*'$/s, ''), { cause: e });
}

