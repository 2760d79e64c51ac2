/**
 * Papers on a few distinct topics, for the embeddings tests: each topic has its own words, every
 * paper draws its title and abstract from its topic's words (seeded, so runs agree), plus words
 * every topic shares. A real embedder puts a topic's papers near each other; the tests check
 * what is built from the vectors (similar papers, alerts) against that.
 */
import { samplePaper, write } from './papers.js';
import type { PaperWriter } from '../../src/ports/paper-store.js';
import { seededRandom as rng } from '../../src/core/seeded-random.js';

export const TOPICS: Record<string, string[]> = {
  vision: ['image', 'pixel', 'segmentation', 'convolution', 'camera', 'detection', 'patch', 'vision', 'transformer', 'video'],
  language: ['language', 'token', 'translation', 'grammar', 'sentence', 'corpus', 'dialogue', 'parsing', 'lexicon', 'prompt'],
  physics: ['quantum', 'photon', 'entanglement', 'qubit', 'spin', 'lattice', 'boson', 'magnetic', 'superconductor', 'phonon'],
  biology: ['protein', 'gene', 'cell', 'enzyme', 'genome', 'mutation', 'receptor', 'tissue', 'molecule', 'folding'],
};
const SHARED = ['method', 'results', 'study', 'approach', 'analysis', 'performance', 'novel', 'framework'];

export function topicOf(i: number): string {
  const names = Object.keys(TOPICS);
  return names[i % names.length]!;
}


export function topicText(topic: string, seed: number, words = 30): { title: string; abstract: string } {
  const r = rng(seed);
  const vocab = TOPICS[topic]!;
  const pick = (n: number) =>
    Array.from({ length: n }, () => (r() < 0.75 ? vocab[Math.floor(r() * vocab.length)]! : SHARED[Math.floor(r() * SHARED.length)]!));
  return { title: pick(6).join(' '), abstract: pick(words).join(' ') + '.' };
}

/** The id of the i-th generated paper: 2501.00001 on. */
export function topicId(i: number, month = '2501'): string {
  return `${month}.${String(i + 1).padStart(5, '0')}`;
}

/** Writes papers from..to-1 (topics round robin), listed on `day`. */
export async function writeTopicPapers(store: PaperWriter, from: number, to: number, opts: { day?: string; month?: string } = {}): Promise<string[]> {
  const ids: string[] = [];
  const writes = [];
  for (let i = from; i < to; i++) {
    const id = topicId(i, opts.month);
    ids.push(id);
    const base = samplePaper(id, topicText(topicOf(i), i + 1));
    const paper = opts.day ? { ...base, listedOn: opts.day, hf: { ...base.hf, featuredOn: opts.day, lastFeaturedOn: opts.day } } : base;
    writes.push(write(paper));
  }
  for (let i = 0; i < writes.length; i += 500) {
    const part = writes.slice(i, i + 500);
    await store.transaction((tx) => tx.savePapers(part, []));
  }
  return ids;
}
