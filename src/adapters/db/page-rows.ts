/** A window of RenderedPages.pagesToRender from its rows, as both stores read them: every paper looked at, flagged stale or not. */
import type { PageWindow } from '../../ports/rendered-pages.js';

export interface PageWindowRow {
  id: string;
  modified: string;
  related: string;
  similar_modified: string | null;
  discussion: number | string;
  stale: number | boolean;
}

export function pageWindow(rows: readonly PageWindowRow[]): PageWindow {
  return {
    pages: rows
      .filter((r) => Boolean(r.stale))
      .map((r) => ({ id: r.id, modified: r.modified, related: r.related, similarModified: r.similar_modified, discussion: Number(r.discussion) })),
    through: rows.at(-1)?.id ?? null,
  };
}
