/**
 * THE CRASH TEST (issue 11, decision 018): `paperboy digest send` as a child process against a
 * SQLite file with 300 confirmed subscriptions and a real SMTP peer on loopback, killed with
 * SIGKILL at random points several times and restarted until it exits 0. Then every subscriber
 * has exactly one digest (one Message-ID) for the period, the one its outbox row names, and
 * none is lost. SMTP has no exactly-once: a message the server accepted just before the kill,
 * whose row was not yet marked sent, is sent again with the same Message-ID. Those duplicates
 * are counted: at most the messages in flight (the concurrency) per kill, and each one's first
 * copy arrived in the moments before a kill.
 *
 * On PostgreSQL: two sender processes started at once send each message once.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbox } from '../src/ports/paper-store.js';
import { DAYS, arrivals, confirmed, saveWeek } from './support/digest-fixture.js';
import { postgresServerHarness } from './support/postgres-harness.js';
import { sqliteHarness } from './support/sqlite-harness.js';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';
import type { OpenedStore } from './support/store-harness.js';

const SUBSCRIBERS = 300;
const CONCURRENCY = 4;
const KILLS = 5;
const PERIOD = DAYS[2]!;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  killedAt: number | null;
}

/**
 * Runs `digest send`; with `kill`, SIGKILLs it: `afterStartMs` after it started (start-up,
 * queueing), or `afterFirstMs` after the first message of this run reached the peer (mid-send).
 */
function digestSend(db: string, peer: SmtpPeer, kill: { afterStartMs: number } | { afterFirstMs: number } | null): Promise<Run> {
  const child = spawn(process.execPath, ['bin/paperboy.js', 'digest', 'send', '--period', PERIOD, '--db', db], {
    env: {
      ...process.env,
      PAPERBOY_DEMO_DATA: 'false',
      SMTP_URL: peer.url,
      MAIL_FROM: 'Paperboy <digest@papers.example.org>',
      PUBLIC_URL: 'https://papers.example.org/',
      PAPERBOY_MAIL_CONCURRENCY: String(CONCURRENCY),
      PAPERBOY_MAIL_RATE: '0',
      // a dead run's claims lapse after 2 s, so that the next run takes them over soon
      PAPERBOY_MAIL_CLAIM_SECONDS: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let killedAt: number | null = null;
  const timers: NodeJS.Timeout[] = [];
  const killIn = (ms: number) =>
    timers.push(
      setTimeout(() => {
        killedAt = Date.now();
        child.kill('SIGKILL');
      }, ms),
    );
  if (kill && 'afterStartMs' in kill) killIn(kill.afterStartMs);
  else if (kill) {
    const before = peer.received.length;
    const poll = setInterval(() => {
      if (peer.received.length === before) return;
      clearInterval(poll);
      killIn(kill.afterFirstMs);
    }, 2);
    timers.push(poll);
  }
  return once(child, 'exit').then(([code, signal]) => {
    timers.forEach((t) => clearTimeout(t));
    return { code: code as number | null, signal: signal as NodeJS.Signals | null, stdout, stderr, killedAt };
  });
}

async function subscribeMany(inbox: Inbox, n: number): Promise<Map<string, string>> {
  const emails = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const email = `reader${String(i).padStart(4, '0')}@example.org`;
    emails.set(email, (await confirmed(inbox, email, 'daily')).id);
  }
  return emails;
}

describe('digest send killed at random points: sqlite', () => {
  let opened: OpenedStore;
  let peer: SmtpPeer;
  let subscribers: Map<string, string>;

  beforeAll(async () => {
    opened = await sqliteHarness.open();
    await saveWeek(opened.store);
    await opened.index.refresh();
    subscribers = await subscribeMany(opened.inbox, SUBSCRIBERS);
    await opened.store.close();
    // a little time per message, as a real server takes: kills land mid-send
    peer = await startSmtpPeer({ acceptDelayMs: 15 });
  }, 60_000);

  afterAll(async () => {
    await peer?.close();
    await opened?.drop();
  });

  it('ends with exactly one digest per subscriber, none lost, duplicates only from the messages in flight at a kill', async () => {
    const runs: (Run & { delivered: number })[] = [];
    for (let k = 0; k < KILLS; k++) {
      // random points: the first run during start-up or queueing, the others mid-send
      const before = peer.received.length;
      const kill = k === 0 ? { afterStartMs: 100 + Math.floor(Math.random() * 900) } : { afterFirstMs: Math.floor(Math.random() * 400) };
      const r = await digestSend(opened.url, peer, kill);
      runs.push({ ...r, delivered: peer.received.length - before });
      if (r.code === 0) break; // it finished before the kill
      expect(r.signal).toBe('SIGKILL');
    }
    const kills = runs.filter((r) => r.killedAt !== null && r.signal === 'SIGKILL');
    console.log(`crash test: messages delivered by each killed run: ${kills.map((r) => r.delivered).join(', ')}`);
    // killed mid-send: each of those runs had sent some and not all
    expect(kills.filter((r) => r.delivered > 0 && r.delivered < SUBSCRIBERS).length).toBeGreaterThanOrEqual(2);
    let final = await digestSend(opened.url, peer, null);
    for (let i = 0; i < 3 && final.code !== 0; i++) final = await digestSend(opened.url, peer, null);
    expect(final.stderr).toBe('');
    expect(final.code).toBe(0);
    expect(kills.length).toBeGreaterThanOrEqual(2);

    // every subscriber: one Message-ID, the one its outbox row names, and the row is sent
    const { openDatabase } = await import('../src/adapters/db/open-store.js');
    const db = await openDatabase(opened.url);
    try {
      const arrived = arrivals(peer);
      const byAddress = new Map<string, Set<string>>();
      for (const m of arrived) byAddress.set(m.to, (byAddress.get(m.to) ?? new Set()).add(m.messageId));
      expect(byAddress.size).toBe(SUBSCRIBERS);
      for (const [email, id] of subscribers) {
        const rows = await db.inbox.messagesOf(id);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ period: PERIOD, status: 'sent' });
        expect([...byAddress.get(email)!]).toEqual([rows[0]!.messageId]);
      }
      expect(await db.inbox.outboxCounts()).toMatchObject({ queued: 0, sending: 0, sent: SUBSCRIBERS, failed: 0 });

      // duplicates: the same Message-ID again, only for messages in flight when a run was killed
      const firstArrival = new Map<string, number>();
      const duplicates: string[] = [];
      for (const m of arrived) {
        if (firstArrival.has(m.messageId)) duplicates.push(m.messageId);
        else firstArrival.set(m.messageId, m.receivedAt);
      }
      console.log(`crash test: ${kills.length} kills, ${arrived.length} deliveries, ${duplicates.length} duplicate(s) of the same Message-ID`);
      expect(duplicates.length).toBeLessThanOrEqual(CONCURRENCY * kills.length);
      // each one's first copy reached the peer in the last moments of a killed run: in flight, its
      // row not yet marked (the peer may even take a message whose sender died waiting for its 250)
      const offsets = duplicates.map((id) => Math.min(...kills.map((k) => Math.abs(firstArrival.get(id)! - k.killedAt!))));
      console.log(`crash test: first copies of the duplicates, ms from the nearest kill: ${offsets.join(', ') || 'none'}`);
      for (const ms of offsets) expect(ms).toBeLessThan(2_000);
    } finally {
      await db.store.close();
    }
  }, 240_000);
});

describe('two senders at once: postgres', () => {
  let opened: OpenedStore;
  let peer: SmtpPeer;

  beforeAll(async () => {
    opened = await postgresServerHarness().open();
    await saveWeek(opened.store);
    await opened.index.refresh();
    await subscribeMany(opened.inbox, SUBSCRIBERS);
    await opened.store.close();
    peer = await startSmtpPeer({ acceptDelayMs: 5 });
  }, 60_000);

  afterAll(async () => {
    await peer?.close();
    await opened?.drop();
  });

  it('sends each message once', async () => {
    const [a, b] = await Promise.all([digestSend(opened.url, peer, null), digestSend(opened.url, peer, null)]);
    expect([a.stderr, b.stderr]).toEqual(['', '']);
    expect([a.code, b.code]).toEqual([0, 0]);
    const sentBy = (r: Run) => Number(/sent (\d+)/.exec(r.stdout)?.[1]);
    expect(sentBy(a) + sentBy(b)).toBe(SUBSCRIBERS);
    const arrived = arrivals(peer);
    expect(arrived).toHaveLength(SUBSCRIBERS);
    expect(new Set(arrived.map((m) => m.messageId)).size).toBe(SUBSCRIBERS);
    expect(new Set(arrived.map((m) => m.to)).size).toBe(SUBSCRIBERS);
  }, 120_000);
});
