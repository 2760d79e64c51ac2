// `npm run build`, after tsc: bundles the command line (src/delivery/cli/main.ts) with esbuild into
// dist/delivery/cli/main.js and a few chunks in dist/cli-chunks/, so that `paperboy stats` reads a
// handful of files where the module graph of dist/ and zod's is some 150 (decision 014). Each
// command's `import()` stays a chunk of its own (splitting): `stats` still loads no web stack.
// Packages (optional ones too) stay external (node_modules, as installed) except the two every command loads, zod
// (tree-shaken to what config.ts uses, its 60 locales left out) and commander.
// Writes dist/cli-chunks/meta.json (which sources each output file holds) for test/cli-start.test.ts.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const BUNDLED = new Set(['zod', 'commander']);
// native packages must stay external (their .node binary is found from their own directory)
for (const native of ['better-sqlite3', 'usearch']) if (BUNDLED.has(native) || !pkg.dependencies[native]) throw new Error(`${native}: expected as an external dependency`);
const chunks = join(root, 'dist', 'cli-chunks');

rmSync(chunks, { recursive: true, force: true }); // no chunk of an earlier build left to load by mistake
const result = await build({
  absWorkingDir: root,
  entryPoints: { 'delivery/cli/main': 'src/delivery/cli/main.ts' },
  outdir: 'dist',
  chunkNames: 'cli-chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // the optional ones too: onnxruntime-node is a native library (~290 MB with every platform's),
  // loaded only by the ONNX embedder's worker thread
  external: [...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})].filter((name) => !BUNDLED.has(name)),
  // commander is CommonJS: its require()s of Node's modules need a require in an ES module
  banner: { js: "import { createRequire as __paperboyRequire } from 'node:module'; const require = __paperboyRequire(import.meta.url);" },
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});

// `import { z } from 'zod'` (or its default export) is all of zod, and every command would load
// its 60 locales again: refuse such a build (eslint.config.js says where)
const locales = Object.values(result.metafile.outputs)
  .flatMap((out) => Object.entries(out.inputs))
  .filter(([input, { bytesInOutput }]) => bytesInOutput > 0 && /\/zod\/.*\/locales\/(?!en\.js$)/.test(input));
if (locales.length > 0) throw new Error(`the command line's bundle holds zod's locales (${locales.length} files): import * as z from 'zod'`);

const meta = Object.fromEntries(
  Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, out]) => [file, Object.keys(out.inputs).filter((input) => input.startsWith('src/'))]),
);
writeFileSync(join(chunks, 'meta.json'), JSON.stringify(meta, null, 1) + '\n');
