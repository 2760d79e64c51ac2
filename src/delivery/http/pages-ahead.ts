/**
 * Paper pages rendered ahead of reading (decision 009). A paper page changes only when its
 * paper, its related list, its discussion or one of the similar papers it shows does, yet most are
 * asked for once in a while, each time by a new reader or a crawler, and rendering one (reading
 * the paper and its similar papers, the view, KaTeX, compression) costs about four times what
 * serving a stored one does. So after each computation of the related papers, serve renders the
 * pages whose inputs changed, compresses each once with Brotli at a quality no reader would wait
 * for, and keeps it in the database beside what it was made from; a request for it is then one
 * read (RenderedPages.storedPage), shared by every node of a deployment.
 *
 * Which pages to render comes from a queue the store keeps (decision 044): its triggers queue a
 * paper when its related list, the paper itself or its discussion changes. The whole archive is
 * walked only for a new layout (a release that changes how pages look, another public URL), once.
 * A page whose similar paper changed is found by the read that refuses it (storedPage checks the
 * similar papers too): rendered on request then, remembered here (miss) and queued for the next run.
 *
 * Only the canonical URL without a chosen theme is rendered ahead (what readers and crawlers
 * ask for); a versioned URL or a theme cookie renders on request, as does a page whose inputs
 * changed since it was stored.
 */
import { createHash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { PageInputs, RenderedPage, RenderedPages } from '../../ports/rendered-pages.js';
import { compress } from './compressor.js';
import type { Rendered } from './http-cache.js';

/**
 * Papers looked at per window (RenderedPages.pagesToRender), their stale pages rendered and stored
 * in one transaction: on SQLite a window is one statement on the thread that answers requests,
 * a few milliseconds for 100 papers whatever the archive holds.
 */
const SCAN = 100;
/** Papers a reader found stale, kept until queueMissed queues them: at most this many. */
const MISSED_MAX = 10_000;
/** Brotli quality for stored pages: 12% smaller than the quality pages rendered on request get, in twice the time. */
const QUALITY = 5;

export interface PagesAheadRun {
  rendered: number;
  seconds: number;
  /** the whole archive was looked at (a new layout), not only the queue */
  walked: boolean;
}

export class PagesAhead {
  private running: Promise<PagesAheadRun | null> | null = null;
  private stopped = false;
  /** papers whose stored page a reader found stale, until queueMissed queues them */
  private readonly missed = new Set<string>();

  /**
   * @param render a paper's page as a request for its canonical URL without a theme gets it
   * @param layout the renderer's fingerprint (code, assets, public URL): a change renders every page anew
   * @param similar similar papers a page shows
   */
  constructor(
    private readonly store: Pick<RenderedPages, 'pagesToRender' | 'duePages' | 'queuePages' | 'savePages' | 'walkedLayout' | 'startWalk' | 'finishWalk'>,
    private readonly render: (id: string) => Promise<Rendered>,
    readonly layout: string,
    private readonly similar: number,
  ) {}

  /**
   * A request for this paper's canonical page found no current stored page (page-render.ts): the
   * next run renders it, if the paper has a related list by then. Kept in this process's memory
   * until queueMissed puts it in the store's queue, where any node's run finds it.
   */
  miss(id: string): void {
    if (this.missed.size < MISSED_MAX) this.missed.add(id);
  }

  /** Queues the pages missed since the last call (each run does it first; serve also before asking for the pages' lease). */
  async queueMissed(): Promise<void> {
    if (this.missed.size === 0) return;
    const ids = [...this.missed];
    this.missed.clear();
    await this.store.queuePages(ids);
  }

  /** Renders the pages that are missing or stale; one run at a time (a second call joins it). */
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
    await this.queueMissed();
    const walk = (await this.store.walkedLayout()) !== this.layout;
    let rendered = 0;
    const progress = (n: number) => {
      rendered += n;
      if (n > 0) onProgress?.(rendered);
    };
    if (walk) {
      // the queue is emptied first: the walk sees every change made before it, the queue every one after
      await this.store.startWalk();
      // the archive in windows of SCAN papers in id order, a turn of the event loop between them
      for (let after = ''; ; ) {
        if (this.stopped) return null;
        const window = await this.store.pagesToRender(this.layout, this.similar, after, SCAN);
        if (window.through === null) break;
        after = window.through;
        await setImmediate();
        const pages = await this.renderAll(window.pages);
        if (pages === null) return null;
        await this.store.savePages(pages);
        progress(pages.length);
      }
      await this.store.finishWalk(this.layout);
    }
    // the queue, oldest first, until it is empty (what a walk left, and what changed during it)
    for (;;) {
      if (this.stopped) return null;
      const due = await this.store.duePages(this.layout, this.similar, SCAN);
      if (due.taken.length === 0) break;
      await setImmediate();
      const pages = await this.renderAll(due.pages);
      if (pages === null) return null;
      await this.store.savePages(pages, due.taken);
      progress(pages.length);
    }
    return { rendered, seconds: (Date.now() - started) / 1000, walked: walk };
  }

  /**
   * These pages rendered and compressed, one page per turn of the event loop (requests being
   * served come first); null when stopped. A page that can't be rendered (its paper deleted since)
   * is passed over, not retried forever.
   */
  private async renderAll(inputs: readonly PageInputs[]): Promise<RenderedPage[] | null> {
    const pages: Promise<RenderedPage>[] = [];
    for (const input of inputs) {
      if (this.stopped) return null;
      await setImmediate();
      const page = await this.render(input.id);
      if (page.status !== 200) continue;
      const plain = Buffer.from(page.body);
      const etag = createHash('sha1').update(this.layout).update('\u0000').update(plain).digest('base64url').slice(0, 22);
      // compressions run on their threads while the next pages render
      pages.push(compress(plain, 'br', QUALITY).then((body) => ({ ...input, layout: this.layout, etag, body })));
    }
    return Promise.all(pages);
  }
}

/** The fingerprint of what shapes every page besides its paper: the rendering code and assets (assets.ts renderFingerprint), and the public URL. */
export function pageLayout(build: string, publicUrl: string): string {
  return createHash('sha1').update(`${build}\u0000${publicUrl}`).digest('base64url').slice(0, 16);
}
