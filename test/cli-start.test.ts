/**
 * The command line loads only what a command uses (issue 10, section 5): `stats`, `config` and
 * `search` run without loading the web stack (Fastify, KaTeX) or the sources' XML parsers. The
 * real binary, in a process of its own, with a module hook listing every file it loads. How
 * fast they answer is `npm run bench:cli`'s to show.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, SHARED } from './support/cli.js';
import { tempDbPath } from './support/sqlite-harness.js';

// a loader hook (module.register) that writes each module's URL to stderr as it loads. The hooks
// run on a thread of their own, whose process.stderr is passed on to the main thread
// asynchronously and may lose lines when the command exits (a CI run missed the config chunk):
// fs.writeSync to file descriptor 2 writes each line before the module loads
const HOOKS = `import { writeSync } from 'node:fs'; export async function load(url, context, next) { writeSync(2, 'LOADED ' + url + '\\n'); return next(url, context); }`;
const REGISTER = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}));`;

function loadedBy(args: string[]): string[] {
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, 'bin/paperboy.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, PAPERBOY_DEMO_DATA: 'false' },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice(7));
}

const HEAVY = /\/node_modules\/(fastify|@fastify|katex|fast-xml-parser|pg|helmet)\/|\/dist\/delivery\/http\/|\/dist\/adapters\/sources\//;

// The binary runs bundled (scripts/bundle-cli.js): our modules load inside chunks, and the
// bundler's meta.json says which sources each chunk holds
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HEAVY_SOURCES = /^src\/(delivery\/http|adapters\/sources)\//;
function sourcesIn(loaded: string[]): string[] {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist/cli-chunks/meta.json'), 'utf8')) as Record<string, string[]>;
  return loaded.filter((u) => u.startsWith('file:')).flatMap((u) => meta[relative(ROOT, fileURLToPath(u))] ?? []);
}

describe('a command loads only what it uses', () => {
  const db = tempDbPath();
  beforeAll(async () => {
    expect((await runCli(['ingest', join(SHARED, 'fixtures/kaggle/kaggle_format_sample.jsonl'), '--db', db])).code).toBe(0);
  }, 60_000);

  for (const args of [['stats', '--db', db], ['config'], ['search', 'model', '--db', db]]) {
    it(`${args[0]}: neither the web stack nor the sources`, () => {
      const loaded = loadedBy(args);
      expect(loaded.some((u) => u.endsWith('/dist/delivery/cli/main.js'))).toBe(true); // the hook saw the binary load
      expect(loaded.filter((u) => HEAVY.test(u))).toEqual([]);
      expect(sourcesIn(loaded)).toContain('src/config.ts');
      expect(sourcesIn(loaded).filter((s) => HEAVY_SOURCES.test(s))).toEqual([]);
    }, 60_000);
  }

  it('ingest loads the input parsers it uses: the hook sees what the commands above leave out', () => {
    const loaded = loadedBy(['ingest', join(SHARED, 'fixtures/kaggle/kaggle_format_sample.jsonl'), '--db', db]);
    expect(loaded.filter((u) => HEAVY.test(u)).length).toBeGreaterThan(0);
    expect(sourcesIn(loaded).filter((s) => HEAVY_SOURCES.test(s)).length).toBeGreaterThan(0);
  }, 60_000);
});
