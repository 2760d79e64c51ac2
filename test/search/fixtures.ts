/**
 * Papers for the search suites, stored through the real IngestService: real ones (the Kaggle
 * sample, three Hugging Face days) and a few made-up ones whose unusual words (quokka, wombat)
 * let each test know exactly which papers must match and in what order.
 */
import { openFileInput } from '../../src/adapters/sources/input.js';
import type { PaperRecord } from '../../src/core/paper.js';
import type { PaperWriter } from '../../src/ports/paper-writer.js';
import type { SearchIndex } from '../../src/ports/search-index.js';
import type { ParseResult } from '../../src/ports/source.js';
import { IngestService } from '../../src/services/ingest.service.js';
import { SearchService, type SearchPapers } from '../../src/services/search.service.js';
import type { SemanticRetriever } from '../../src/services/semantic-retriever.js';
import { SAMPLE, shared } from '../support/input-files.js';
import { kaggleRecord } from '../support/papers.js';

export const HF_DAYS = ['2024-06-03', '2025-03-03', '2026-06-01'].map((d) => shared(`data/hf-daily-papers/${d}.json`));

const at = (day: string) => `${day}T10:00:00.000Z`;
const rec = (id: string, day: string, o: Partial<PaperRecord>): PaperRecord =>
  kaggleRecord(id, { submittedAt: at(day), updatedAt: at(day), versions: [{ version: 1, submittedAt: at(day), size: null }], ...o });

/** Made-up papers; ids in the unused 9xxxx range of their months. */
export const CRAFTED: PaperRecord[] = [
  rec('2503.90001', '2025-03-05', {
    title: 'Quokka populations on Rottnest Island',
    abstract: 'We count marsupials on an island off Western Australia.',
    authors: ['Zenobia Quillfeather', 'Ada Lovelace'],
    categories: ['q-bio.PE'],
  }),
  rec('2503.90002', '2025-03-06', {
    title: 'Island ecology of small mammals',
    abstract: 'The quokka is a small marsupial. A quokka census over ten years shows stable numbers.',
    authors: ['Ada Lovelace'],
    categories: ['q-bio.PE', 'stat.AP'],
  }),
  rec('2504.90007', '2025-04-01', {
    title: 'Quokka detection in camera traps',
    abstract: 'A detector for small animals in night images.',
    authors: ['Zenobia Quillfeather'],
    categories: ['cs.CV'],
  }),
  rec('2412.90008', '2024-12-15', {
    title: 'Quokka genomics',
    abstract: 'A reference genome for a vulnerable species.',
    authors: ['Alan Turing'],
    categories: ['q-bio.GN'],
  }),
  rec('2502.90004', '2025-02-10', {
    title: 'Efficient inference at long context',
    abstract: 'We study kv cache eviction in transformers serving long prompts.',
    categories: ['cs.CL'],
  }),
  rec('2502.90005', '2025-02-11', {
    title: 'Memory budgets for inference',
    abstract: 'The cache of a kv store is evicted under memory pressure.',
    categories: ['cs.LG'],
  }),
  rec('2501.90006', '2025-01-20', {
    title: `<script>alert('x')</script> Wombat detection & counting`,
    abstract: 'Wombat <img src=x onerror=alert(1)> burrows are found by their "square" droppings.',
    categories: ['cs.CV'],
  }),
];

/** Made-up papers for author filters (issue 10), listed before the other made-up ones. */
export const NAMESAKES: PaperRecord[] = [
  // issue 10: a "Yue" and a "Ma" among different authors, even next to each other in the list,
  // are not the author "Yue Ma"
  rec('0705.9009', '2007-05-02', {
    title: 'Numbat burrow acoustics',
    abstract: 'Sounds recorded in numbat burrows.',
    authors: ['Li Yue', 'Ma Chen'],
    categories: ['q-bio.PE'],
  }),
  rec('0705.9010', '2007-05-03', {
    title: 'Numbat foraging',
    abstract: 'Where numbats find termites.',
    authors: ['Yue Ma', 'Ada Lovelace'],
    categories: ['q-bio.PE'],
  }),
  rec('0705.9011', '2007-05-04', {
    title: 'Numbat genomes',
    abstract: 'Two numbat genomes, assembled.',
    authors: ['Ma Yue', 'Yue Zhang', 'Wei Ma'],
    categories: ['q-bio.GN'],
  }),
];

export const QUOKKA_IDS = ['2503.90001', '2503.90002', '2504.90007', '2412.90008'];

async function* one(records: PaperRecord[]): AsyncIterable<ParseResult> {
  yield { records, errors: [] };
}

/** Ingests records as one input, through the real ingest path. */
export async function ingestRecords(store: PaperWriter, records: PaperRecord[]): Promise<void> {
  await new IngestService(store).ingest(one(records));
}

export async function loadFixtures(store: PaperWriter, opts: { real?: boolean } = {}): Promise<void> {
  const ingest = new IngestService(store);
  if (opts.real !== false)
    for (const file of [SAMPLE, ...HF_DAYS]) {
      const input = await openFileInput(file, 'auto');
      await ingest.ingest(input.batches);
    }
  await ingestRecords(store, [...CRAFTED, ...NAMESAKES]);
}

/** The search service on a store's own index, as the dialect's factory built it. */
export function searchOn(opened: { index: SearchIndex; store: SearchPapers }, semantic?: SemanticRetriever): SearchService {
  return new SearchService(opened.index, opened.store, semantic ? { semantic } : {});
}

export const ids = (r: { hits: { paper: { id: string } }[] }) => r.hits.map((h) => h.paper.id);
