/**
 * `paperboy embeddings train`: learns the built-in embeddings (core/embedding/sif-model.ts) from
 * the live papers in the store (in a larger archive, a uniform sample of TRAIN_SAMPLE of them, so
 * that memory and time stay bounded), with a progress bar on a terminal, prints a summary and saves the
 * model to <model dir>/builtin.bin (PAPERBOY_MODEL_DIR, else <database file>.model/ beside a
 * SQLite file). The model is kept in the database too (ports/embedder-models.ts, decision 030),
 * where serve and every other node load it from; the file is a copy (`eval beir --model`, backups).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuiltinEmbedder } from '../../adapters/embedding/builtin-embedder.js';
import { databaseKind } from '../../core/database-url.js';
import { paperText, SifModel } from '../../core/embedding/sif-model.js';
import { PaperboyError } from '../../core/errors.js';
import { Reservoir } from '../../core/reservoir.js';
import type { EmbedderModels } from '../../ports/embedder-models.js';
import type { RelatedLists } from '../../ports/related-lists.js';
import type { Io } from './main.js';
import { createCounter, type Counter } from './progress.js';

const PAGE = 5_000;

/**
 * Papers the model learns from, at most: past this, a uniform sample (seeded: the same papers
 * give the same model). The texts are held while training (~1.2 kB each), and the co-occurrence
 * counts grow with them (74,728 papers: ~75 s, peak RSS 620 MB here). Every paper is embedded afterwards,
 * sampled or not.
 */
export const TRAIN_SAMPLE = 100_000;

/** Where the built-in model is kept: the model folder, or beside the SQLite file. */
export function builtinModelPath(db: string, modelDir: string): string {
  if (modelDir !== '') return join(modelDir, 'builtin.bin');
  if (databaseKind(db) === 'postgres') {
    throw new PaperboyError('CONFIG_INVALID', 'PAPERBOY_MODEL_DIR: set it to a folder for the embedding models (with PostgreSQL there is no database file to keep them beside)');
  }
  return join(`${db}.model`, 'builtin.bin');
}

export interface TrainSummary {
  /** papers learned from */
  papers: number;
  /** papers with text in the store (more than papers when a sample was drawn) */
  stored: number;
  vocabulary: number;
  dimensions: number;
  seconds: number;
  id: string;
  path: string;
}

/** Trains the model, keeps it in the database (every node loads it from there) and writes a copy to `path`. */
export async function runEmbeddingsTrain(
  store: RelatedLists,
  models: EmbedderModels,
  path: string,
  opts: { json?: boolean; sample?: number },
  io: Io,
): Promise<BuiltinEmbedder> {
  const tty = (io.stderr as NodeJS.WriteStream).isTTY ? (io.stderr as NodeJS.WriteStream) : null;
  const started = Date.now();
  const sample = new Reservoir<string>(opts.sample ?? TRAIN_SAMPLE);
  const reading = createCounter('reading papers', 'papers', null, tty);
  for (let after = ''; ; ) {
    const page = await store.paperTexts(after, PAGE);
    for (const p of page) {
      const t = paperText(p.title, p.abstract);
      if (t !== '') sample.offer(t);
    }
    reading.update(sample.seen);
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  reading.stop();
  const texts = sample.sample;
  if (texts.length === 0) throw new PaperboyError('UNSUPPORTED', 'the store holds no papers to learn embeddings from: ingest or harvest some first');
  let bar: Counter | null = null;
  let phase = '';
  const model = SifModel.train(texts, {
    onProgress: (p, done, total) => {
      if (p !== phase) {
        bar?.stop();
        phase = p;
        const label = { count: 'counting co-occurrences', svd: 'factorising', pool: 'pooling' }[p];
        bar = createCounter(label, p === 'svd' ? 'passes' : 'papers', total, tty);
      }
      bar!.update(done);
    },
  });
  (bar as Counter | null)?.stop();
  const embedder = new BuiltinEmbedder(model);
  await models.saveModel(embedder.id, 'builtin', embedder.toBuffer(), new Date().toISOString());
  await mkdir(join(path, '..'), { recursive: true });
  // written aside then renamed: a crash never leaves half a model where the old one was
  await writeFile(`${path}.tmp`, embedder.toBuffer());
  await rename(`${path}.tmp`, path);
  const s: TrainSummary = {
    papers: texts.length,
    stored: sample.seen,
    vocabulary: model.vocabularySize,
    dimensions: model.dimensions,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    id: embedder.id,
    path,
  };
  io.stdout.write(
    opts.json
      ? JSON.stringify(s) + '\n'
      : `trained the built-in embeddings on ${s.papers === s.stored ? s.papers : `${s.papers} of ${s.stored}`} papers in ${s.seconds.toFixed(1)} s: ${s.vocabulary} terms, ${s.dimensions} dimensions\n` +
          `id ${s.id}\nkept in the database, a copy in ${s.path}\n`,
  );
  return embedder;
}
