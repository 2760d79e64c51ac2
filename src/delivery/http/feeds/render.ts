/** One feed in the format asked for. */
import type { FeedFormat } from '../urls.js';
import { renderAtom } from './atom.js';
import type { FeedDoc } from './feed.js';
import { renderJsonFeed } from './json-feed.js';
import { renderRss } from './rss.js';

const WRITERS: Record<FeedFormat, (doc: FeedDoc) => string> = { rss: renderRss, atom: renderAtom, json: renderJsonFeed };

export function renderFeed(format: FeedFormat, doc: FeedDoc): string {
  return WRITERS[format](doc);
}
