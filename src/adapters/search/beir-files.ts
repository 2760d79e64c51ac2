/**
 * Reading a BEIR-format folder (https://github.com/beir-cellar/beir): corpus.jsonl
 * ({_id, title, text} per line), queries.jsonl ({_id, text}) and qrels/<split>.tsv
 * (query-id, corpus-id, score, after a header line). Lines are streamed: corpora run to millions.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { InputUnusableError } from '../../core/errors.js';

export interface BeirDoc {
  id: string;
  title: string;
  text: string;
}

export interface BeirQueries {
  /** query id → text, for the queries judged in the split, in qrels order */
  texts: Map<string, string>;
  /** query id → corpus id → relevance */
  qrels: Map<string, Map<string, number>>;
}

function path(dir: string, name: string): string {
  const p = join(dir, name);
  if (!existsSync(p)) throw new InputUnusableError(dir, name, 'missing (a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv)');
  return p;
}

async function* lines(file: string): AsyncIterable<{ line: string; n: number }> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    n++;
    if (line.trim() !== '') yield { line, n };
  }
}

function parseJson(file: string, line: string, n: number): Record<string, unknown> {
  try {
    const v = JSON.parse(line) as unknown;
    if (v && typeof v === 'object') return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InputUnusableError(file, `line ${n}`, 'not a JSON object');
}

const str = (v: unknown) => (v == null ? '' : String(v));

/** The corpus, document by document. */
export async function* readCorpus(dir: string): AsyncIterable<BeirDoc> {
  const file = path(dir, 'corpus.jsonl');
  for await (const { line, n } of lines(file)) {
    const o = parseJson(file, line, n);
    if (o._id == null) throw new InputUnusableError(file, `line ${n}`, 'no _id');
    yield { id: str(o._id), title: str(o.title), text: str(o.text) };
  }
}

/**
 * The folder, and the split's qrels in it, or an error that says which is missing: a folder
 * that does not exist, or one whose qrels hold other splits (SciFact ships train only), with
 * the --split to give.
 */
function qrelsPath(dir: string, split: string): string {
  const kind = existsSync(dir) ? (statSync(dir).isDirectory() ? 'folder' : 'file') : null;
  if (kind === null) throw new InputUnusableError(dir, 'folder', 'no such folder (a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv)');
  if (kind === 'file') throw new InputUnusableError(dir, 'folder', 'a file, not a folder (a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv)');
  const name = join('qrels', `${split}.tsv`);
  if (existsSync(join(dir, name))) return join(dir, name);
  const qrels = join(dir, 'qrels');
  const splits = existsSync(qrels) && statSync(qrels).isDirectory()
    ? readdirSync(qrels).filter((f) => f.endsWith('.tsv')).map((f) => f.slice(0, -'.tsv'.length)).sort()
    : [];
  if (splits.length === 0) return path(dir, name); // not a BEIR folder at all: the general message
  const options = splits.map((s) => `--split ${s}`).join(' or ');
  throw new InputUnusableError(dir, name, `missing: this folder's qrels hold ${splits.length === 1 ? 'the split' : 'the splits'} ${splits.join(', ')}; use ${options}`);
}

/** The judged queries of a split and their judgements. */
export async function readQueries(dir: string, split: string): Promise<BeirQueries> {
  const qrelsFile = qrelsPath(dir, split);
  const qrels = new Map<string, Map<string, number>>();
  for await (const { line, n } of lines(qrelsFile)) {
    const [q, doc, score] = line.split('\t');
    if (n === 1 && !/^\d+(\.\d+)?$/.test(score?.trim() ?? '')) continue; // the header
    if (q === undefined || doc === undefined || score === undefined || Number.isNaN(Number(score)))
      throw new InputUnusableError(qrelsFile, `line ${n}`, 'expected query-id, corpus-id and score separated by tabs');
    const judged = qrels.get(q) ?? new Map<string, number>();
    judged.set(doc, Number(score));
    qrels.set(q, judged);
  }
  const file = path(dir, 'queries.jsonl');
  const all = new Map<string, string>();
  for await (const { line, n } of lines(file)) {
    const o = parseJson(file, line, n);
    all.set(str(o._id), str(o.text));
  }
  const texts = new Map<string, string>();
  for (const q of qrels.keys()) {
    const t = all.get(q);
    if (t === undefined) throw new InputUnusableError(file, q, `query ${q} is judged in qrels/${split}.tsv but missing here`);
    texts.set(q, t);
  }
  return { texts, qrels };
}
