/**
 * Where Paperboy's package is installed (the folder of its package.json), and which tree of it is
 * running (src/ under vitest, dist/ when built), found from a module's own URL. A module can't
 * count '../' to get there: the command line runs bundled (scripts/bundle-cli.js), from chunks
 * in dist/cli-chunks/, as well as from tsc's dist/ and from src/ (decision 014).
 */
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above the module at moduleUrl that holds a package.json. */
export function packageRoot(moduleUrl: string): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** The tree the module at moduleUrl belongs to: <root>/src or <root>/dist. */
export function runningTree(moduleUrl: string): string {
  const root = packageRoot(moduleUrl);
  return fileURLToPath(moduleUrl).startsWith(join(root, 'src') + sep) ? join(root, 'src') : join(root, 'dist');
}
