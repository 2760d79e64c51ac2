/**
 * `paperboy serve` sends queued digests (its first round runs at start), under the `digests`
 * job lease, and a clean SIGTERM in the middle stops the sender after the messages in flight:
 * the lease is given up, no message is left `sending` (those not tried are due again at once),
 * every message the peer accepted is marked sent, and only then does the store close. On a real
 * SQLite file and the PostgreSQL server, with a real SMTP peer, the real CLI in a child process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/adapters/db/open-store.js';
import { parseDigestPeriod } from '../src/core/digest-schedule.js';
import { DigestService } from '../src/services/digest.service.js';
import { composedDigestMail } from '../src/services/digest-mail.compose.js';
import { ListingService } from '../src/services/listing.service.js';
import { SearchService } from '../src/services/search.service.js';
import { DAYS, confirmed, saveWeek } from './support/digest-fixture.js';
import { postgresServerHarness } from './support/postgres-harness.js';
import { sqliteHarness } from './support/sqlite-harness.js';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';
import type { OpenedStore, StoreHarness } from './support/store-harness.js';

const MESSAGES = 40;
const ENV = { MAIL_FROM: 'Paperboy <digest@papers.example.org>', PUBLIC_URL: 'https://papers.example.org/' };

for (const harness of [sqliteHarness, postgresServerHarness()] as StoreHarness[]) {
  describe(`serve's digest sender stopped mid-send: ${harness.name}`, () => {
    let opened: OpenedStore;
    let peer: SmtpPeer;

    beforeAll(async () => {
      opened = await harness.open();
      await saveWeek(opened.store);
      await opened.index.refresh();
      for (let i = 0; i < MESSAGES; i++) await confirmed(opened.inbox, `reader${i}@example.org`, 'daily');
      const now = () => new Date();
      const mail = composedDigestMail({ publicUrl: ENV.PUBLIC_URL, from: ENV.MAIL_FROM, key: () => opened.inbox.signingKey('links'), now });
      const digests = new DigestService({
        subscriptions: opened.inbox,
        outbox: opened.inbox,
        papers: opened.store,
        listing: new ListingService(opened.store),
        search: new SearchService(opened.index, opened.store),
        mail,
        now,
      });
      expect((await digests.queuePeriod(parseDigestPeriod(DAYS[3]!), { size: 5 })).queued).toBe(MESSAGES);
      await opened.store.close();
      peer = await startSmtpPeer();
    }, 60_000);

    afterAll(async () => {
      await peer?.close();
      await opened?.drop();
    });

    it('sends under the lease, and on SIGTERM finishes the messages in flight, gives the lease up and leaves none sending', async () => {
      const child = spawn(process.execPath, ['bin/paperboy.js', 'serve', '--port', '0', '--db', opened.url], {
        env: {
          ...process.env,
          ...ENV,
          PAPERBOY_DEMO_DATA: 'false',
          SMTP_URL: peer.url,
          PAPERBOY_MAIL_RATE: '4', // slow enough that the signal comes mid-run
          PAPERBOY_HARVEST_SCHEDULE: '0 2 1 1 *',
          PAPERBOY_SOURCES: 'hf-daily',
          PAPERBOY_HF_URL: 'http://127.0.0.1:9',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = once(child, 'exit');
      const deadline = Date.now() + 90_000;
      while (peer.received.length < 3) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve sent nothing:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const { store, inbox } = await openDatabase(opened.url);
      await store.migrate(); // up to date already: only readies the handle
      try {
        expect(await store.takeLease('digests', 'another-node', 60)).toBe(false); // serve holds it
        child.kill('SIGTERM');
        const [code, signal] = await exited;
        expect(stderr).toMatch(/SIGTERM: shutting down/);
        expect(stderr).not.toMatch(/not open|after calling end|digests failed/i);
        expect({ code, signal }).toEqual({ code: 0, signal: null });
        const counts = await inbox.outboxCounts();
        expect(counts.sending).toBe(0);
        expect(counts.sent).toBe(peer.received.length);
        expect(counts.sent).toBeLessThan(MESSAGES);
        expect(counts.queued + counts.sent).toBe(MESSAGES);
        expect(await store.takeLease('digests', 'another-node', 60)).toBe(true); // given up
      } finally {
        await store.close();
      }
    }, 120_000);
  });
}
