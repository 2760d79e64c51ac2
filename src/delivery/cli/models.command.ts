/**
 * `paperboy models pull <id>`: a sentence-transformer's ONNX export from the Hugging Face hub
 * into PAPERBOY_MODEL_DIR/<id>, for PAPERBOY_EMBEDDER=onnx (adapters/embedding/hub-download.ts).
 * A bar per file on a terminal; one line per file otherwise. Run it again to resume.
 */
import type { Config } from '../../config.js';
import type { Io } from './main.js';
import { createByteProgress, type ByteProgress } from './progress.js';

export async function runModelsPull(config: Config, id: string, opts: { revision?: string; json?: boolean }, io: Io): Promise<number> {
  const { pullModel } = await import('../../adapters/embedding/hub-download.js');
  let bar: ByteProgress | null = null;
  let current = '';
  const tty = io.stderr.isTTY ? (io.stderr as NodeJS.WriteStream) : null;
  const r = await pullModel({
    id,
    modelDir: config.PAPERBOY_MODEL_DIR,
    endpoint: config.PAPERBOY_HF_ENDPOINT,
    ...(opts.revision ? { revision: opts.revision } : {}),
    onProgress(file, done, size) {
      if (file !== current) {
        bar?.stop();
        current = file;
        bar = createByteProgress(file, tty);
      }
      bar!.update(done, size);
    },
    log(line) {
      bar?.stop();
      bar = null;
      current = '';
      if (!opts.json) io.stdout.write(line + '\n');
    },
  }).finally(() => (bar as ByteProgress | null)?.stop());
  if (opts.json) io.stdout.write(JSON.stringify(r) + '\n');
  else io.stdout.write(`${id}: in ${r.folder}; use it with PAPERBOY_EMBEDDER=onnx PAPERBOY_ONNX_MODEL=${id}\n`);
  return 0;
}
