/**
 * Ingest: merges what a source yields into the store.
 *
 * An input (a file, a fetched response) is stored in one transaction: if it turns out unusable
 * halfway (a truncated gzip, say), nothing from it is kept, and a killed run leaves the store
 * as it was, so a rerun finishes the job. Records already applied are recognised by a hash of
 * the record per (paper, source) and skipped without touching the paper, which makes a re-run
 * of an unchanged input cheap.
 */
import { createHash } from 'node:crypto';
import { mergeRecord, samePaper } from '../core/merge.js';
import { paperDay, type Paper, type PaperRecord, type SourceName } from '../core/paper.js';
import type { PaperStore, PaperTx, PaperWrite, RecordSeen } from '../ports/paper-store.js';
import type { HarvestPage, ParseResult, RecordError } from '../ports/source.js';

export interface IngestCounts {
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface IngestSummary extends IngestCounts {
  /** the rejected records, the first MAX_ERRORS of them */
  errors: RecordError[];
}

/** Rejections listed in full; beyond this they are only counted. */
export const MAX_ERRORS = 1000;

export function emptySummary(): IngestSummary {
  return { new: 0, updated: 0, unchanged: 0, rejected: 0, errors: [] };
}

export function addSummary(into: IngestSummary, from: IngestSummary): void {
  into.new += from.new;
  into.updated += from.updated;
  into.unchanged += from.unchanged;
  into.rejected += from.rejected;
  for (const e of from.errors) if (into.errors.length < MAX_ERRORS) into.errors.push(e);
}

export class IngestService {
  constructor(private readonly store: PaperStore) {}

  /** Stores every good record of one input, all in one transaction. Unusable input throws, storing nothing. */
  async ingest(batches: AsyncIterable<ParseResult>, onBatch?: (soFar: IngestSummary) => void): Promise<IngestSummary> {
    return this.store.transaction(async (tx) => {
      const summary = emptySummary();
      for await (const batch of batches) {
        await applyBatch(tx, batch, summary);
        onBatch?.(summary);
      }
      return summary;
    });
  }

  /** Stores one page of a harvest together with the cursor to resume after it. */
  async applyPage(sourceName: string, page: HarvestPage): Promise<IngestSummary> {
    return this.store.transaction(async (tx) => {
      const summary = emptySummary();
      await applyBatch(tx, page, summary);
      await tx.setCursor(sourceName, page.cursor);
      return summary;
    });
  }
}

async function applyBatch(tx: PaperTx, batch: ParseResult, summary: IngestSummary): Promise<void> {
  summary.rejected += batch.errors.length;
  for (const e of batch.errors) if (summary.errors.length < MAX_ERRORS) summary.errors.push(e);
  for (const [source, records] of groupBySource(batch.records)) {
    await applySourceRecords(tx, source, records, summary);
  }
}

async function applySourceRecords(
  tx: PaperTx,
  source: SourceName,
  records: PaperRecord[],
  summary: IngestSummary,
): Promise<void> {
  const { papers, hashes } = await tx.loadForMerge([...new Set(records.map((r) => r.id))], source);
  const changed = new Map<string, Paper>();
  const seen: RecordSeen[] = [];
  for (const rec of records) {
    const hash = recordHash(rec);
    if (hashes.get(rec.id) === hash) {
      summary.unchanged++;
      continue;
    }
    hashes.set(rec.id, hash);
    seen.push({ id: rec.id, source, hash });
    const existing = changed.get(rec.id) ?? papers.get(rec.id) ?? null;
    const merged = mergeRecord(existing, rec);
    if (merged === null || (existing !== null && samePaper(existing, merged))) {
      summary.unchanged++;
      continue;
    }
    // each record counts once: a second record that changes a paper new in this input is an update
    if (existing === null) summary.new++;
    else summary.updated++;
    changed.set(rec.id, merged);
  }
  const writes: PaperWrite[] = [...changed.values()].map((paper) => ({ paper, day: paperDay(paper) }));
  await tx.savePapers(writes, seen);
}

function groupBySource(records: PaperRecord[]): Map<SourceName, PaperRecord[]> {
  const groups = new Map<SourceName, PaperRecord[]>();
  for (const r of records) {
    const g = groups.get(r.source);
    if (g) g.push(r);
    else groups.set(r.source, [r]);
  }
  return groups;
}

/** Identifies a record's content: the same record again is skipped without a merge. */
export function recordHash(rec: PaperRecord): string {
  return createHash('sha1').update(JSON.stringify(rec)).digest('base64url');
}
