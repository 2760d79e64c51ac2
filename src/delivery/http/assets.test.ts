import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PAGE_DATA, renderFingerprint, renderModules } from './assets.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A small tree of modules: the entry imports a view (and a type), the view a helper; a job stands apart. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'paperboy-render-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const FILES = {
  'delivery/http/page-render.ts': "import type { Port } from '../../ports/port.js';\nimport {\n  view,\n} from './views/view.js';\nexport const r = () => view();\nconst lazy = () => import('./views/lazy.js');\n",
  'delivery/http/views/view.ts': "import { escape } from '../../../core/text.js';\nimport katex from 'katex';\nimport { x } from '@scope/pkg/sub';\nexport const view = () => escape('<');\n",
  'delivery/http/views/lazy.ts': 'export const lazy = 1;\n',
  'core/text.ts': "import { readFileSync } from 'node:fs';\nexport const escape = (s: string) => s;\n",
  'ports/port.ts': 'export interface Port {}\n',
  'services/job.ts': "import { escape } from '../core/text.js';\nexport const job = escape;\n",
  'adapters/db/paper-row.ts': "import { migrations } from './migrations.js';\nexport const row = 1;\n",
  'adapters/db/migrations.ts': 'export const migrations = [];\n',
};

describe('renderFingerprint: the pages rendered ahead follow only what renders them', () => {
  it('lists the entry, what it imports (statically or not, type imports aside) and the page data modules alone', () => {
    const root = tree(FILES);
    expect(renderModules(root, 'delivery/http/page-render', ['adapters/db/paper-row'])).toEqual({
      files: ['adapters/db/paper-row.ts', 'core/text.ts', 'delivery/http/page-render.ts', 'delivery/http/views/lazy.ts', 'delivery/http/views/view.ts'],
      packages: ['@scope/pkg', 'katex'],
    });
  });

  it('changes with a rendering module, and not with one that renders nothing', () => {
    const files = (more: Record<string, string>) => tree({ ...Object.fromEntries(PAGE_DATA.map((d) => [`${d}.ts`, `// ${d}\n`])), ...FILES, ...more });
    const base = renderFingerprint(files({}));
    expect(renderFingerprint(files({}))).toBe(base);
    expect(renderFingerprint(files({ 'services/job.ts': 'export const job = 2;\n' }))).toBe(base);
    expect(renderFingerprint(files({ 'ports/port.ts': 'export interface Port { a: 1 }\n' }))).toBe(base);
    expect(renderFingerprint(files({ 'core/text.ts': 'export const escape = (s: string) => s.replace(/</g, "&lt;");\n' }))).not.toBe(base);
    expect(renderFingerprint(files({ 'delivery/http/views/lazy.ts': 'export const lazy = 2;\n' }))).not.toBe(base);
    expect(renderFingerprint(files({ 'adapters/db/sqlite/statements.ts': '// the papers read otherwise\n' }))).not.toBe(base);
  });

  it('on the real tree: the views and what they read, not search, jobs, migrations or the command line', () => {
    const { files, packages } = renderModules(SRC);
    expect(files).toEqual(expect.arrayContaining(['delivery/http/views/paper.view.ts', 'core/tex.ts', 'core/comment-markdown.ts', 'adapters/db/paper-row.ts']));
    for (const outside of ['adapters/search/postgres.index.ts', 'adapters/db/migrations.ts', 'delivery/jobs/scheduler.ts', 'delivery/cli/main.ts', 'services/embedding-job.ts'])
      expect(files).not.toContain(outside);
    expect(packages).toEqual(expect.arrayContaining(['katex', 'sanitize-html']));
    expect(files.length).toBeLessThan(100);
  });

  it('says which module it cannot find', () => {
    expect(() => renderModules(tree(FILES), 'delivery/http/nowhere', [])).toThrow(/delivery\/http\/nowhere: not in/);
  });
});
