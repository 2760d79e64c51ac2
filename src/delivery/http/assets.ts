/**
 * The site's static files: public/ (stylesheet, the one small script, the passkey pages'
 * script) and, from their packages, KaTeX's stylesheet and fonts and @simplewebauthn/browser's
 * bundle (decision 034). Both are found from the package root (package-root.ts),
 * whether this module runs from src/ (vitest), from dist/ (tsc) or bundled (the command line),
 * since neither tsc nor the bundler copies non-TypeScript files.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { packageRoot, runningTree } from '../../package-root.js';
import { urls } from './urls.js';
import type { Assets } from './views/layout.js';

export const PACKAGE_ROOT = packageRoot(import.meta.url);
export const PUBLIC_DIR = join(PACKAGE_ROOT, 'public');
const KATEX_PACKAGE = createRequire(import.meta.url).resolve('katex/package.json');
const KATEX_DIST = join(dirname(KATEX_PACKAGE), 'dist');
const KATEX_VERSION = (JSON.parse(readFileSync(KATEX_PACKAGE, 'utf8')) as { version: string }).version;
const KATEX_PREFIX = `katex-${KATEX_VERSION}`;
// the package exports no package.json: its bundle sits beside script/index.js, two levels up
const WEBAUTHN_ROOT = dirname(dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')));
const WEBAUTHN_VERSION = (JSON.parse(readFileSync(join(WEBAUTHN_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const WEBAUTHN_PREFIX = `simplewebauthn-browser-${WEBAUTHN_VERSION}`;

/** A fingerprint of what the pages look like: the stylesheet, the script and KaTeX's version. */
export function assetFingerprint(): string {
  const h = createHash('sha1');
  for (const f of ['site.css', 'site.js', 'passkeys.js', 'favicon.svg']) h.update(readFileSync(join(PUBLIC_DIR, f)));
  return h.update(KATEX_VERSION).digest('base64url').slice(0, 10);
}

/**
 * A fingerprint of all the code: every module of the running tree (dist/ or src/), tests and
 * source maps aside. With assetFingerprint, what an upgrade changes for the response cache and
 * its ETags (which live as long as the process, and cost nothing to make again).
 */
export function codeFingerprint(): string {
  const root = runningTree(import.meta.url);
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.[jt]s$/.test(f) && !/\.test\.[jt]s$/.test(f)).sort();
  const h = createHash('sha1');
  for (const f of files) h.update(f).update(readFileSync(join(root, f)));
  return h.digest('base64url').slice(0, 10);
}

/** Where every page's rendering starts (pageRenderer), in the running tree, without its extension. */
export const RENDER_ENTRY = 'delivery/http/page-render';

/**
 * The store's modules that read what a paper page shows (the paper, its similar papers' cards,
 * its discussion), each alone: their imports are the connection and the migrations, which
 * change what is stored, and so the pages' own keys, not how a stored paper reads.
 */
export const PAGE_DATA = [
  'adapters/db/paper-row',
  'adapters/db/sqlite/statements',
  'adapters/db/sqlite/related',
  'adapters/db/sqlite/comments',
  'adapters/db/postgres/paper-reads',
  'adapters/db/postgres/related',
  'adapters/db/postgres/comments',
];

/**
 * The modules that render pages: the entry and every module it imports, directly or not, by
 * relative paths (`import type` aside: it renders nothing; tsc's dist/ has none left), and the
 * PAGE_DATA modules, as paths in `tree` (dist/'s .js, or src/'s .ts under vitest), sorted; and
 * the packages the rendering modules import.
 */
export function renderModules(tree: string, entry = RENDER_ENTRY, data: readonly string[] = PAGE_DATA): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const file = (path: string) => [`${path}.js`, `${path}.ts`].find((f) => existsSync(join(tree, f)));
  const visit = (rel: string) => {
    if (files.has(rel)) return;
    files.add(rel);
    const text = readFileSync(join(tree, rel), 'utf8');
    // import … from '…', export … from '…', import '…', import('…')
    for (const m of text.matchAll(/\b(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*'([^']+)'|\bimport\s*\(?\s*'([^']+)'/g)) {
      if (m[2]) continue;
      const spec = m[3] ?? m[4]!;
      if (spec.startsWith('.')) {
        const next = file(join(dirname(rel), spec).replace(/\.js$/, ''));
        if (next) visit(next);
      } else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  const found = (path: string) => {
    const f = file(path);
    if (!f) throw new Error(`${path}: not in ${tree}`);
    return f;
  };
  visit(found(entry));
  for (const d of data) files.add(found(d));
  return { files: [...files].sort(), packages: [...packages].sort() };
}

/**
 * A fingerprint of what renders pages, and only that: renderModules' files, and the versions of
 * the packages they import (a new KaTeX or sanitiser renders differently). The pages rendered
 * ahead (pages-ahead.ts) are keyed by it, so that a release that changes search, storage, jobs
 * or the API, and not how a page looks, does not render the archive's pages again (issue 14).
 */
export function renderFingerprint(tree = runningTree(import.meta.url)): string {
  const { files, packages } = renderModules(tree);
  const h = createHash('sha1');
  for (const f of files) h.update(f.replace(/\.ts$/, '.js')).update('\0').update(readFileSync(join(tree, f)));
  for (const p of packages) h.update(p).update('\0').update(packageVersion(p));
  return h.digest('base64url').slice(0, 10);
}

/** An installed package's version ('' when its package.json can't be found). */
function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    return '';
  }
}

export function assetUrls(fingerprint: string): Assets {
  return {
    css: `${urls.asset('site.css')}?v=${fingerprint}`,
    icon: `${urls.asset('favicon.svg')}?v=${fingerprint}`,
    js: `${urls.asset('site.js')}?v=${fingerprint}`,
    katexCss: urls.asset(`${KATEX_PREFIX}/katex.min.css`),
  };
}

/**
 * The two scripts of the pages that use passkeys (the sign-in page and the profile), in the
 * order they run: @simplewebauthn/browser's bundle (it defines window.SimpleWebAuthnBrowser;
 * its URL carries its version) and ours, public/passkeys.js (its URL carries its own hash).
 * Only those pages load them; every other page stays with the one small script.
 */
export const passkeyScripts: readonly string[] = [
  urls.asset(`${WEBAUTHN_PREFIX}/index.umd.min.js`),
  `${urls.asset('passkeys.js')}?v=${createHash('sha1').update(readFileSync(join(PUBLIC_DIR, 'passkeys.js'))).digest('base64url').slice(0, 10)}`,
];

/** Serves /static/* (and /favicon.ico, which browsers ask for whatever the page says): URLs carry a fingerprint or a version, so they may be cached for a year. */
export async function registerAssets(app: FastifyInstance): Promise<void> {
  const common = { decorateReply: false, index: false as const, maxAge: '365d', immutable: true, cacheControl: true };
  await app.register(fastifyStatic, {
    ...common,
    root: PUBLIC_DIR,
    prefix: '/static/',
    allowedPath: (path: string) => /^\/(site\.css|site\.js|passkeys\.js|favicon\.svg)$/.test(path),
  });
  await app.register(fastifyStatic, {
    ...common,
    root: join(WEBAUTHN_ROOT, 'dist', 'bundle'),
    prefix: `/static/${WEBAUTHN_PREFIX}/`,
    allowedPath: (path: string) => path === '/index.umd.min.js',
  });
  await app.register(fastifyStatic, {
    ...common,
    root: KATEX_DIST,
    prefix: `/static/${KATEX_PREFIX}/`,
    allowedPath: (path: string) => path === '/katex.min.css' || /^\/fonts\/[\w-]+\.(woff2?|ttf)$/.test(path),
  });
  app.get('/favicon.ico', async (_req, reply) => reply.redirect(urls.asset('favicon.svg'), 301));
}
