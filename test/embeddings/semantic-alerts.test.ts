/**
 * Topic alerts by meaning (decision 025), on every store: once embeddings are ready, an alert is
 * its keyword matches fused with the period's papers nearest in meaning whose similarity reaches
 * the floor: it catches papers the keywords miss, never reaches outside the period, and sends
 * nothing for a topic whose nearest papers fall under the floor. Keywords alone before that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { webInbox } from '../../src/container-web-inbox.js';
import { parseDigestPeriod } from '../../src/core/digest-schedule.js';
import { ALERT_SIMILARITY_FLOOR, DigestService, alertMatches } from '../../src/services/digest.service.js';
import { composedDigestMail } from '../../src/services/digest-mail.compose.js';
import { EmbeddingsService } from '../../src/services/embeddings.service.js';
import { ListingService } from '../../src/services/listing.service.js';
import { SearchService } from '../../src/services/search.service.js';
import { confirmed } from '../support/digest-fixture.js';
import { STORE_HARNESSES } from '../support/harnesses.js';
import { StemHashEmbedder } from '../support/stem-hash-embedder.js';
import type { OpenedStore } from '../support/store-harness.js';
import { syncedExact } from '../support/synced-exact.js';
import { topicId, topicOf, writeTopicPapers } from '../support/topic-papers.js';

const WEEK = '2025-W10'; // 2025-03-03 to 2025-03-09
const SIZE = 5;
/**
 * The floor for this test's embedder (hashed words): the physics topic's five nearest papers of
 * the week score 0.59–0.74 with it, the mixed topic's nearest 0.32 at most.
 */
const FLOOR = 0.4;

describe('alertMatches', () => {
  it('fuses keyword matches with the semantic ones at or above the floor, and only those', () => {
    const keyword = [
      { id: 'k1', score: 9 },
      { id: 'both', score: 5 },
    ];
    const semantic = [
      { id: 'both', score: 0.8 },
      { id: 's1', score: 0.6 },
      { id: 'under', score: 0.49 },
    ];
    // min-max per list, then 0.8 × keyword + 0.2 × semantic: k1 0.8, both 0.2, s1 0
    expect(alertMatches(keyword, semantic, 10, 0.5)).toEqual(['k1', 'both', 's1']);
    expect(alertMatches(keyword, semantic, 2, 0.5)).toHaveLength(2);
    // nothing semantic reaches the floor: the keyword matches alone, in their order
    expect(alertMatches(keyword, semantic, 10, 0.9)).toEqual(['k1', 'both']);
    expect(alertMatches([], [{ id: 'under', score: 0.2 }], 10, 0.5)).toEqual([]);
  });
});

describe.each(STORE_HARNESSES)('topic alerts by meaning on $name', (harness) => {
  let opened: OpenedStore;
  let embeddings: EmbeddingsService;
  let period: ReturnType<typeof parseDigestPeriod>;
  const inWeek = new Set<string>();

  beforeAll(async () => {
    opened = await harness.open();
    for (const id of await writeTopicPapers(opened.store, 0, 80, { day: '2025-03-05' })) inWeek.add(id);
    await writeTopicPapers(opened.store, 80, 160, { day: '2025-02-20' }); // an earlier week
    await opened.index.refresh();
    embeddings = new EmbeddingsService({
      vectors: opened.vectors,
      configured: new StemHashEmbedder(64, 'alerts', { qbit: 'qubit', cryogenic: 'superconductor', quasiparticle: 'phonon', nonlocality: 'entanglement', morphology: 'grammar', catalysis: 'enzyme' }),
      openIndex: (id, dims) => Promise.resolve(syncedExact(opened.vectors, id, dims)),
    });
    period = parseDigestPeriod(WEEK);
  });
  afterAll(async () => {
    await embeddings.close();
    await opened.store.close();
    await opened.drop();
  });

  function digests(withMeaning: boolean, floor = FLOOR): DigestService {
    const inbox = opened.inbox;
    const now = () => new Date('2025-03-10T07:00:00Z');
    const mail = composedDigestMail({ publicUrl: 'https://papers.example.org/', from: 'Paperboy <d@papers.example.org>', key: () => inbox.signingKey('links'), now });
    return new DigestService({
      subscriptions: inbox,
      outbox: inbox,
      papers: opened.store,
      listing: new ListingService(opened.store, opened.votes),
      search: new SearchService(opened.index, opened.store),
      mail,
      now,
      ...(withMeaning ? { semantic: { retriever: embeddings, signals: opened.store, floor } } : {}),
    });
  }
  const papersOf = async (subscriptionId: string) => (await opened.inbox.messagesOf(subscriptionId)).flatMap((m) => m.items.map((i) => i.paperId));

  it('keywords alone while embeddings are not ready; by meaning too once they are, within the period', async () => {
    // words no paper has, which the embedder knows to mean physics words: no keyword match
    const topic = 'qbit cryogenic quasiparticle nonlocality';
    const before = await confirmed(opened.inbox, 'early@example.org', 'weekly', [topic]);
    await digests(true).queuePeriod(period, { size: SIZE });
    expect(await papersOf(before.id)).toEqual([]);

    await embeddings.embedNew();
    expect(embeddings.status().ready).toBe(true);
    const s = await confirmed(opened.inbox, 'meaning@example.org', 'weekly', [topic]);
    await digests(true).queuePeriod(period, { size: SIZE });
    const got = await papersOf(s.id);
    expect(got).toHaveLength(SIZE);
    for (const id of got) {
      expect(inWeek.has(id)).toBe(true);
      expect(topicOf(Number(id.slice(5)) - 1)).toBe('physics');
    }
    // the same subscription without meaning: keywords find nothing
    const k = await confirmed(opened.inbox, 'keywords@example.org', 'weekly', [topic]);
    await digests(false).queuePeriod(period, { size: SIZE });
    expect(await papersOf(k.id)).toEqual([]);
  });

  it('sends nothing for a topic whose nearest papers are under the floor (not the nearest noise)', async () => {
    const topic = 'morphology catalysis';
    const nearest = await embeddings.search(topic, 3, { among: inWeek });
    expect(nearest.length).toBeGreaterThan(0); // there are nearest papers...
    expect(nearest[0]!.score).toBeLessThan(FLOOR); // ...all under the floor
    const s = await confirmed(opened.inbox, 'noise@example.org', 'weekly', [topic]);
    await digests(true).queuePeriod(period, { size: SIZE });
    expect(await papersOf(s.id)).toEqual([]);
  });

  it('previews a digest on the site as it is sent: the preview of a topic alert matches by meaning too', async () => {
    const topic = 'qbit cryogenic quasiparticle nonlocality'; // no paper has these words
    const config = loadConfig({ PUBLIC_URL: 'https://papers.example.org', PAPERBOY_DEMO_DATA: 'false', PAPERBOY_DIGEST_SIZE: String(SIZE) });
    const site = { listing: new ListingService(opened.store, opened.votes), search: new SearchService(opened.index, opened.store), signals: opened.store };
    const s = await confirmed(opened.inbox, 'preview@example.org', 'weekly', [topic]);
    const preview = async (semantic: EmbeddingsService | undefined) => {
      const inbox = webInbox({ config, inbox: opened.inbox, store: opened.store, semantic }, site, { log: () => undefined, now: () => new Date('2025-03-10T07:00:00Z') });
      return inbox.preview!(s, 'manage-token');
    };
    // keywords alone find nothing: no email
    expect(await preview(undefined)).toBeNull();
    await embeddings.embedNew();
    const shown = await preview(embeddings);
    expect(shown).not.toBeNull();
    const listed = [...shown!.html.matchAll(/\/papers\/(\d{4}\.\d{5})/g)].map((m) => m[1]!);
    // the papers the sent digest carries, in its order (at the default floor, as serve runs)
    const sent = (await digests(true, ALERT_SIMILARITY_FLOOR).pick(s, period, SIZE)).map((e) => e.paper.id);
    expect(sent.length).toBeGreaterThan(0);
    expect([...new Set(listed)]).toEqual(sent);
    for (const id of listed) {
      expect(inWeek.has(id)).toBe(true);
      expect(topicOf(Number(id.slice(5)) - 1)).toBe('physics');
    }
  });

  it('a topic with filters is matched by keywords alone (its filters are keyword search\'s)', async () => {
    const s = await confirmed(opened.inbox, 'filters@example.org', 'weekly', ['cat:cs.LG qbit cryogenic quasiparticle nonlocality']);
    await digests(true).queuePeriod(period, { size: SIZE });
    expect(await papersOf(s.id)).toEqual([]);
    expect(topicId(0)).toBe('2501.00001');
  });
});
