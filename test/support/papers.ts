/** Builders of papers and records for tests, with real-looking values. */
import { emptyPaper, paperDay, type Paper, type PaperRecord } from '../../src/core/paper.js';
import type { PaperWrite, PaperWriter } from '../../src/ports/paper-store.js';

export function samplePaper(id: string, overrides: Partial<Paper> = {}): Paper {
  return {
    ...emptyPaper(id),
    latestVersion: 2,
    versions: [
      { version: 1, submittedAt: '2024-05-24T17:59:02.000Z', size: '1204kb' },
      { version: 2, submittedAt: '2024-06-01T09:00:00.000Z', size: null },
    ],
    title: 'Thermodynamic Natural Gradient Descent — “quoted” ünïcødé 𝔼',
    abstract: 'First paragraph with $\\alpha$.\n\nSecond paragraph.',
    authors: ['Kaelan Donatella', 'Samuel Duffield', 'Maxwell Aifer'],
    categories: ['cs.LG', 'stat.ML'],
    submittedAt: '2024-05-24T17:59:02.000Z',
    updatedAt: '2024-06-01T09:00:00.000Z',
    comments: '17 pages, 5 figures',
    journalRef: null,
    doi: '10.1000/xyz',
    license: 'http://creativecommons.org/licenses/by/4.0/',
    reportNo: null,
    submitter: 'Kaelan Donatella',
    listedOn: '2024-05-27',
    codeUrl: 'https://github.com/example/repo',
    projectUrl: null,
    hf: {
      upvotes: 12,
      comments: 3,
      githubStars: 40,
      aiKeywords: ['natural gradient', 'thermodynamic computing'],
      aiSummary: 'A summary.',
      featuredOn: '2024-05-28',
      lastFeaturedOn: '2024-05-28',
    },
    deleted: false,
    provenance: { title: 'kaggle', abstract: 'kaggle', hf: 'hf-daily' },
    ...overrides,
  };
}

export function write(paper: Paper): PaperWrite {
  return { paper, day: paperDay(paper) };
}

export function kaggleRecord(id: string, overrides: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id,
    version: 1,
    source: 'kaggle',
    title: `Paper ${id}`,
    abstract: `Abstract of ${id}.`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    categories: ['cs.CL', 'cs.LG'],
    submittedAt: '2025-03-03T10:00:00.000Z',
    updatedAt: '2025-03-03T10:00:00.000Z',
    versions: [{ version: 1, submittedAt: '2025-03-03T10:00:00.000Z', size: null }],
    ...overrides,
  };
}

export function hfRecord(id: string, overrides: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id,
    version: null,
    source: 'hf-daily',
    title: `HF title of ${id}`,
    abstract: `HF abstract of ${id}.`,
    authors: ['Ada Lovelace'],
    submittedAt: '2025-03-03T00:00:00.000Z',
    codeUrl: `https://github.com/example/${id.replace('/', '-')}`,
    hf: { upvotes: 10, comments: 2, githubStars: 5, aiKeywords: ['kw'], aiSummary: 'sum', featuredOn: '2025-03-04' },
    ...overrides,
  };
}

/** A paper submitted and featured on `day`. */
export function onDay(id: string, day: string, upvotes: number | null, deleted = false): Paper {
  return samplePaper(id, { deleted, submittedAt: `${day}T08:00:00.000Z`, hf: { ...samplePaper(id).hf, upvotes, featuredOn: day } });
}

/**
 * Five papers featured from 2026-06-26 to 2026-07-01 (two on 06-29, one without upvotes, the one
 * of 06-30 deleted), saved: what the listing and paper-read contracts read.
 */
export async function saveFeaturedPapers(store: PaperWriter): Promise<void> {
  const papers = [
    onDay('2606.00001', '2026-06-26', 5),
    onDay('2606.00002', '2026-06-29', null),
    onDay('2606.00003', '2026-06-29', 7),
    onDay('2606.00004', '2026-06-30', 1, true),
    onDay('2606.00005', '2026-07-01', 2),
  ];
  await store.transaction((tx) => tx.savePapers(papers.map(write), []));
}
