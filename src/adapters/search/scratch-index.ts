/**
 * A throwaway SQLite store with its keyword index, in a temporary directory: what `paperboy eval`
 * loads a benchmark corpus into, so that the evaluated ranking is the product's own and the
 * user's database is never touched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../db/sqlite.store.js';
import type { PaperStore } from '../../ports/paper-store.js';
import type { SearchIndex } from '../../ports/search-index.js';

export interface ScratchSearch {
  store: PaperStore;
  index: SearchIndex;
  /** closes the store and deletes its files */
  dispose(): Promise<void>;
}

export async function openScratchSearch(): Promise<ScratchSearch> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-eval-'));
  const { store, index } = openSqlite(join(dir, 'eval.db'));
  await store.migrate();
  return {
    store,
    index,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
