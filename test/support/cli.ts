/** Runs the real CLI in-process with captured output and a controlled environment. */
import { Writable } from 'node:stream';
import { main } from '../../src/delivery/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const SHARED = new URL('../../../shared/', import.meta.url).pathname;

export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        append(chunk.toString());
        cb();
      },
    });
  const code = await main(['node', 'paperboy', ...args], {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    env: { PAPERBOY_DEMO_DATA: 'false', ...env },
  });
  return { code, stdout, stderr };
}
