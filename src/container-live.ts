/**
 * The part of the composition root that talks to the world: the harvest sources and their
 * polite HTTP client (and with them the XML parsers). Imported by createContainer only, so that
 * a command needing just the store (stats, search) does not load it.
 */
import type { PoliteHttpClient } from './adapters/http/polite-client.js';
import { HfDailySource } from './adapters/sources/hf-daily.source.js';
import { OaiPmhSource, setsForCategories } from './adapters/sources/oai-pmh.source.js';
import type { Config } from './config.js';
import type { HarvestSource } from './ports/source.js';

export { PoliteHttpClient } from './adapters/http/polite-client.js';
export { ArxivApiQuery, fetchArxivRecord } from './adapters/sources/arxiv-api.source.js';
export { SystemClock } from './adapters/system-clock.js';

export function harvestSources(config: Config, arxivHttp: PoliteHttpClient, hfHttp: PoliteHttpClient, now: Date): HarvestSource[] {
  const backfill = new Date(now.getTime() - config.PAPERBOY_HARVEST_BACKFILL_DAYS * 86_400_000).toISOString().slice(0, 10);
  const sources: HarvestSource[] = [];
  if (config.PAPERBOY_SOURCES.includes('arxiv')) {
    const categories = config.PAPERBOY_ARXIV_CATEGORIES;
    sources.push(
      new OaiPmhSource({
        name: 'arxiv',
        baseUrl: config.PAPERBOY_ARXIV_OAI_URL,
        metadataPrefix: config.PAPERBOY_ARXIV_METADATA_PREFIX,
        sets: config.PAPERBOY_ARXIV_SETS.length > 0 ? config.PAPERBOY_ARXIV_SETS : setsForCategories(categories),
        categories: categories.length > 0 ? categories : null,
        initialFrom: backfill,
        http: arxivHttp,
      }),
    );
  }
  if (config.PAPERBOY_SOURCES.includes('hf-daily')) {
    sources.push(
      new HfDailySource({
        name: 'hf-daily',
        baseUrl: config.PAPERBOY_HF_URL,
        firstDay: backfill,
        today: () => dayIn(config.PAPERBOY_TIMEZONE, new Date()),
        refetchDays: 2,
        http: hfHttp,
      }),
    );
  }
  return sources;
}

/** YYYY-MM-DD of a moment in a time zone (en-CA formats dates that way). */
function dayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
