/**
 * The built-in model learned while serving (issue 12, decision 025): Paperboy's default embedder
 * is learned from the store's own papers, so a store with papers and no model gets one without
 * an operator's step, and search answers by meaning a few minutes after the first start.
 *
 * The training takes a core for a minute or two on 75k papers, so it never runs on the thread
 * that answers requests: it is `paperboy embeddings train` in a child process at a lower CPU
 * priority (that command also embeds the papers, then exits). serve then loads the model and
 * embeds with it from there on. Under the embeddings lease, so one node of several trains.
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Config } from '../../config.js';
import type { Embedder } from '../../ports/embedder.js';
import { packageRoot } from '../../package-root.js';

/** Fewer papers than this teach the model too few words to be worth answering by meaning. */
export const MIN_PAPERS_TO_TRAIN = 200;

export interface TrainDeps {
  config: Pick<Config, 'PAPERBOY_EMBEDDER'>;
  papers: () => Promise<number>;
  /** the configured embedder, null while no model is trained */
  configured: () => Embedder | null;
  /** loads the model the child saved (null when it cannot) */
  load: () => Promise<Embedder | null>;
  use: (embedder: Embedder) => Promise<void>;
  log: (message: string) => void;
}

/** The command line the child runs: the installed `paperboy`, on the same database and settings. */
export function trainCommand(db: string): string[] {
  return [join(packageRoot(import.meta.url), 'bin', 'paperboy.js'), 'embeddings', 'train', '--db', db];
}

/**
 * Trains the built-in model in a child process when it is the configured embedder, none is
 * trained yet and the store has enough papers; then uses it. True when a model was trained.
 */
export async function trainBuiltinIfMissing(deps: TrainDeps, args: string[], signal: AbortSignal): Promise<boolean> {
  if (deps.config.PAPERBOY_EMBEDDER !== 'builtin' || deps.configured() !== null || signal.aborted) return false;
  const papers = await deps.papers();
  if (papers < MIN_PAPERS_TO_TRAIN) return false;
  deps.log(`embeddings: no built-in model yet: learning one from the ${papers} papers in a background process`);
  const code = await runChild(args, signal, deps.log);
  if (signal.aborted) return false;
  if (code !== 0) {
    deps.log(`embeddings: training the built-in model failed (exit ${code}); search stays on keywords`);
    return false;
  }
  const model = await deps.load();
  if (!model) return false;
  await deps.use(model);
  return true;
}

function runChild(args: string[], signal: AbortSignal, log: (m: string) => void): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, 10); // below the server's requests
      } catch {
        // not permitted here: it runs at the same priority
      }
    }
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream }).on('line', (line) => {
        if (line.trim() !== '') log(`embeddings train: ${line}`);
      });
    const stop = () => child.kill('SIGTERM');
    signal.addEventListener('abort', stop, { once: true });
    child.on('error', (e) => log(`embeddings: could not start the training: ${e.message}`));
    child.on('close', (code) => {
      signal.removeEventListener('abort', stop);
      resolve(code);
    });
  });
}

/**
 * A node started before the model was trained again (on another node, or by `paperboy
 * embeddings train`) holds the older model: it takes the database's newest before embedding, or
 * it would embed the archive once more with a model that was superseded (and dropped, decision
 * 030). True when it switched.
 */
export async function followNewestBuiltin(deps: TrainDeps & { newestId: () => Promise<string | null> }): Promise<boolean> {
  const held = deps.configured();
  if (deps.config.PAPERBOY_EMBEDDER !== 'builtin' || held === null) return false;
  const newest = await deps.newestId();
  if (newest === null || newest === held.id) return false;
  const model = await deps.load();
  if (!model || model.id === held.id) return false;
  deps.log(`embeddings: the built-in model was trained again (${model.id}); embedding with it from now on`);
  await deps.use(model);
  return true;
}
