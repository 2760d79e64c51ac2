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
import type { PaperTx, PaperWrite, PaperWriter, RecordSeen } from '../ports/paper-writer.js';
import type { HarvestPage, ParseResult, PendingRecord, RecordError } from '../ports/source.js';

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
  constructor(private readonly store: PaperWriter) {}

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
  reject(summary, batch.errors);
  const items: Item[] = batch.records.map((record) => ({ id: record.id, source: record.source, record }));
  for (const p of batch.pending ?? []) items.push({ id: p.id, source: p.source, pending: p });
  for (const [source, group] of groupBySource(items)) await applySourceItems(tx, source, group, summary);
}

/** A parsed record, or a pending one that is parsed only if its fingerprint is new. */
interface Item {
  id: string;
  source: SourceName;
  record?: PaperRecord;
  pending?: PendingRecord;
}

async function applySourceItems(tx: PaperTx, source: SourceName, items: Item[], summary: IngestSummary): Promise<void> {
  // first the cheap check: which records were applied before, unchanged
  const hashes = await tx.loadHashes([...new Set(items.map((i) => i.id))], source);
  const todo: { record: PaperRecord; hash: string }[] = [];
  for (const item of items) {
    const hash = item.pending?.fingerprint ?? recordHash(item.record!);
    if (hashes.get(item.id) === hash) {
      summary.unchanged++;
      continue;
    }
    const parsed = item.pending ? item.pending.parse() : { record: item.record! };
    if (parsed.error) {
      reject(summary, [parsed.error]);
      continue;
    }
    hashes.set(item.id, hash);
    todo.push({ record: parsed.record, hash });
  }
  if (todo.length === 0) return;

  // then merge what is new or changed into the stored papers
  const stored = await tx.loadPapers([...new Set(todo.map((t) => t.record.id))]);
  const changed = new Map<string, Paper>();
  const seen: RecordSeen[] = [];
  for (const { record, hash } of todo) {
    seen.push({ id: record.id, source, hash });
    const existing = changed.get(record.id) ?? stored.get(record.id) ?? null;
    const merged = mergeRecord(existing, record);
    if (merged === null || (existing !== null && samePaper(existing, merged))) summary.unchanged++;
    else {
      // each record counts once: a second record that changes a paper new in this input is an update
      if (existing === null) summary.new++;
      else summary.updated++;
      changed.set(record.id, merged);
    }
  }
  const writes: PaperWrite[] = [...changed.values()].map((paper) => ({ paper, day: paperDay(paper) }));
  await tx.savePapers(writes, seen);
}

function reject(summary: IngestSummary, errors: readonly RecordError[]): void {
  summary.rejected += errors.length;
  for (const e of errors) if (summary.errors.length < MAX_ERRORS) summary.errors.push(e);
}

function groupBySource(items: Item[]): Map<SourceName, Item[]> {
  const groups = new Map<SourceName, Item[]>();
  for (const i of items) {
    const g = groups.get(i.source);
    if (g) g.push(i);
    else groups.set(i.source, [i]);
  }
  return groups;
}

/** Identifies a record's content: the same record again is skipped without a merge. */
export function recordHash(rec: PaperRecord): string {
  return createHash('sha1').update(JSON.stringify(rec)).digest('base64url');
}
