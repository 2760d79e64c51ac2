/**
 * Paper pages rendered ahead of reading (decision 009). A paper page changes only when its
 * paper, its related list or one of the similar papers it shows does, yet most are asked for
 * once in a while, each time by a new reader or a crawler, and rendering one (reading the paper
 * and its similar papers, the view, KaTeX, compression) costs about six times what serving a
 * stored one does. So after each computation of the related papers, serve renders every page
 * whose inputs changed, compresses it once with Brotli at a quality no reader would wait for,
 * and keeps it in the database beside what it was made from; a request for it is then one read
 * (RenderedPages.storedPage), shared by every node of a deployment.
 *
 * Only the canonical URL without a chosen theme is rendered ahead (what readers and crawlers
 * ask for); a versioned URL or a theme cookie renders on request, as does a page whose paper or
 * related list changed since (storedPage checks both at every read). A similar paper whose title
 * changed shows its old title until the next refresh, which follows each harvest.
 */
import { createHash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { RenderedPage, RenderedPages } from '../../ports/rendered-pages.js';
import { compress } from './compressor.js';
import type { Rendered } from './http-cache.js';

/**
 * Papers looked at per window (RenderedPages.pagesToRender), their stale pages rendered and stored
 * in one transaction: on SQLite a window is one statement on the thread that answers requests,
 * a few milliseconds for 100 papers whatever the archive holds.
 */
const SCAN = 100;
/** Brotli quality for stored pages: 12% smaller than the quality pages rendered on request get, in twice the time. */
const QUALITY = 5;

export interface PagesAheadRun {
  rendered: number;
  seconds: number;
}

export class PagesAhead {
  private running: Promise<PagesAheadRun | null> | null = null;
  private stopped = false;

  /**
   * @param render a paper's page as a request for its canonical URL without a theme gets it
   * @param layout the renderer's fingerprint (code, assets, public URL): a change renders every page anew
   * @param similar similar papers a page shows
   */
  constructor(
    private readonly store: Pick<RenderedPages, 'pagesToRender' | 'savePages'>,
    private readonly render: (id: string) => Promise<Rendered>,
    readonly layout: string,
    private readonly similar: number,
  ) {}

  /** Renders every page that is missing or stale; one run at a time (a second call joins it). */
  refresh(opts: { onProgress?: (rendered: number) => void } = {}): Promise<PagesAheadRun | null> {
    if (this.stopped) return Promise.resolve(null);
    this.running ??= this.run(opts.onProgress).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops a run at its next page (what it stored stays) and refuses new ones: call before closing the store. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }

  private async run(onProgress?: (rendered: number) => void): Promise<PagesAheadRun | null> {
    const started = Date.now();
    let rendered = 0;
    // the archive in windows of SCAN papers in id order, a turn of the event loop between them: a
    // page that can't be rendered is passed over, not retried forever
    for (let after = ''; ; ) {
      if (this.stopped) return null;
      const window = await this.store.pagesToRender(this.layout, this.similar, after, SCAN);
      if (window.through === null) break;
      after = window.through;
      await setImmediate();
      const pages: Promise<RenderedPage>[] = [];
      for (const input of window.pages) {
        if (this.stopped) return null;
        // one page per turn of the event loop: requests being served come first
        await setImmediate();
        const page = await this.render(input.id);
        if (page.status !== 200) continue; // deleted since: its stored page, if any, is dropped with its related list
        const plain = Buffer.from(page.body);
        const etag = createHash('sha1').update(this.layout).update('\u0000').update(plain).digest('base64url').slice(0, 22);
        // compressions run on their threads while the next pages render
        pages.push(compress(plain, 'br', QUALITY).then((body) => ({ ...input, layout: this.layout, etag, body })));
      }
      const done = await Promise.all(pages);
      await this.store.savePages(done);
      rendered += done.length;
      if (done.length > 0) onProgress?.(rendered);
    }
    return { rendered, seconds: (Date.now() - started) / 1000 };
  }
}

/** The fingerprint of what shapes every page besides its paper: the rendering code and assets (assets.ts renderFingerprint), and the public URL. */
export function pageLayout(build: string, publicUrl: string): string {
  return createHash('sha1').update(`${build}\u0000${publicUrl}`).digest('base64url').slice(0, 16);
}
