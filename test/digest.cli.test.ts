/**
 * `paperboy digest send` and `paperboy subscribers …` on a real SQLite file and a real SMTP
 * peer: the summary, a rerun that sends nothing, a dry run whose .eml files mailparser reads
 * while the database stays as it was, clear errors for a malformed period and a missing
 * SMTP_URL, and the operators' list, export and bounce.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../src/core/tokens.js';
import { DAYS, WEEK, arrivals, confirmed, saveWeek } from './support/digest-fixture.js';
import { runCli } from './support/cli.js';
import { TempDir } from './support/input-files.js';
import { sqliteHarness } from './support/sqlite-harness.js';
import { startSmtpPeer, type SmtpPeer } from './support/smtp-peer.js';
import type { OpenedStore } from './support/store-harness.js';

describe('paperboy digest send and subscribers (sqlite)', () => {
  let opened: OpenedStore;
  let peer: SmtpPeer;
  let dir: TempDir;
  let env: Record<string, string>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dir = new TempDir();
    opened = await sqliteHarness.open();
    await saveWeek(opened.store);
    await opened.index.refresh();
    ids.daily = (await confirmed(opened.inbox, 'daily@example.org', 'daily')).id;
    ids.weekly = (await confirmed(opened.inbox, 'weekly@example.org', 'weekly')).id;
    ids.alert = (await confirmed(opened.inbox, 'alert@example.org', 'weekly', ['retrieval'])).id;
    await opened.inbox.requestSubscription({ id: 'pending0001', email: 'pending@example.org', frequency: 'daily', topics: [], now: '2025-03-01T00:00:00Z' });
    await opened.store.close();
    peer = await startSmtpPeer();
    env = { SMTP_URL: peer.url, MAIL_FROM: 'Paperboy <digest@papers.example.org>', PUBLIC_URL: 'https://papers.example.org/' };
  });

  afterAll(async () => {
    await peer?.close();
    await opened?.drop();
    dir?.remove();
  });

  const exported = async () => (await runCli(['subscribers', 'export', '--db', opened.url], env)).stdout;

  it('refuses a malformed period and a missing SMTP_URL, clearly, before doing anything', async () => {
    const bad = await runCli(['digest', 'send', '--period', '2025-13-01', '--db', opened.url], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--period: "2025-13-01" is not a period: expected a day \(YYYY-MM-DD/);
    const noSmtp = await runCli(['digest', 'send', '--period', WEEK, '--db', opened.url], { PUBLIC_URL: env.PUBLIC_URL });
    expect(noSmtp.code).toBe(2);
    expect(noSmtp.stderr).toMatch(/SMTP_URL is not set.*--dry-run/);
    expect(arrivals(peer)).toEqual([]);
  });

  it('--dry-run writes .eml files that mailparser reads and changes nothing in the database', async () => {
    const before = await exported();
    const out = join(dir.path, 'eml');
    const r = await runCli(['digest', 'send', '--period', WEEK, '--dry-run', '--out', out, '--db', opened.url], { PUBLIC_URL: env.PUBLIC_URL, MAIL_FROM: env.MAIL_FROM });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/weekly 2025-W10: 35 papers, 2 subscriptions, composed 2/);
    const files = readdirSync(out).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(2);
    const parsed = await Promise.all(files.map((f) => simpleParser(readFileSync(join(out, f)))));
    const byTo = new Map(parsed.map((p) => [(p.to as { text: string }).text, p]));
    expect(byTo.get('weekly@example.org')!.subject).toMatch(/^Trending papers — 3–9 Mar 2025 · 10 papers/);
    expect(byTo.get('alert@example.org')!.text).toContain('Matches your topic “retrieval”');
    for (const p of parsed) {
      expect(p.messageId).toMatch(/^<digest\.2025-W10\..+@papers\.example\.org>$/);
      expect(p.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
      expect(p.headerLines.find((h) => h.key === 'list-unsubscribe')?.line).toMatch(/<https:\/\/papers\.example\.org\/unsubscribe\/[^>]+>/);
      expect(p.html).toContain('https://papers.example.org/unsubscribe/');
    }
    expect(await exported()).toBe(before); // no message reserved, no paper counted as sent
    expect(arrivals(peer)).toEqual([]);
  });

  it('queues and sends, prints the summary, and a rerun changes nothing and sends nothing', async () => {
    const first = await runCli(['digest', 'send', '--period', WEEK, '--db', opened.url], env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/weekly 2025-W10: 35 papers, 2 subscriptions, queued 2\nqueued 2, sent 2, retry 0, failed 0 in \d+\.\d s\n$/);
    expect(arrivals(peer).map((m) => m.to).sort()).toEqual(['alert@example.org', 'weekly@example.org']);
    const after = await exported();
    const again = await runCli(['digest', 'send', '--period', WEEK, '--db', opened.url], env);
    expect(again.stdout).toMatch(/queued 0, sent 0, retry 0, failed 0 in \d+\.\d s\n$/);
    expect(arrivals(peer)).toHaveLength(2);
    expect(await exported()).toBe(after);
    // and the daily one, by its day
    const daily = await runCli(['digest', 'send', '--period', DAYS[4]!, '--json', '--db', opened.url], env);
    expect(JSON.parse(daily.stdout)).toMatchObject({ queued: 1, sent: 1, retry: 0, failed: 0, seconds: expect.any(Number) });
  });

  it('lists and exports subscriptions, and a bounce stops sending to the address', async () => {
    const list = await runCli(['subscribers', 'list', '--db', opened.url], env);
    expect(list.stdout.trim().split('\n')).toHaveLength(4);
    expect(list.stdout).toMatch(/pending0001\s+pending\s+daily\s+pending@example\.org\s+\(trending\)/);
    expect(list.stdout).toMatch(/active\s+weekly alert@example\.org\s+"retrieval"/);
    const json = JSON.parse((await runCli(['subscribers', 'list', '--json', '--db', opened.url], env)).stdout) as { email: string }[];
    expect(json.map((s) => s.email).sort()).toEqual(['alert@example.org', 'daily@example.org', 'pending@example.org', 'weekly@example.org']);
    const lines = (await exported()).trim().split('\n').map((l) => JSON.parse(l) as { subscription: { id: string }; messages: { status: string }[] });
    expect(lines.find((l) => l.subscription.id === ids.weekly)!.messages).toMatchObject([{ status: 'sent' }]);

    const bad = await runCli(['subscribers', 'bounce', 'not an address', '--db', opened.url], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/subscribers bounce: "not an address" is not an email address/);
    const soft = await runCli(['subscribers', 'bounce', ' daily@EXAMPLE.org', '--soft', '--db', opened.url], env);
    expect(soft.stdout).toMatch(/daily@example\.org: soft-bounce recorded; still receiving/);
    const hard = await runCli(['subscribers', 'bounce', 'daily@example.org', '--db', opened.url], env);
    expect(hard.stdout).toMatch(/hard-bounce recorded; nothing more is sent to it/);
    const r = await runCli(['digest', 'send', '--period', DAYS[5]!, '--db', opened.url], env);
    expect(r.stdout).toMatch(/daily 2025-03-08: 5 papers, 0 subscriptions, queued 0/);
    expect(arrivals(peer).filter((m) => m.to === 'daily@example.org')).toHaveLength(1); // the one before
  });

  it('acts on a mail to the List-Unsubscribe mailto: the subject\'s token ends that subscription only', async () => {
    const digest = peer.received.find((m) => m.to.includes('alert@example.org'))!;
    const header = digest.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
    const mailto = /<(mailto:[^>]+)>/.exec(header)![1]!;
    expect(mailto).toMatch(/^mailto:digest@papers\.example\.org\?subject=unsubscribe%20/);
    // the subject as the operator's mailbox shows it (decoded), and as a reply's
    const subject = decodeURIComponent(new URL(mailto).searchParams.get('subject') ?? '');
    expect(subject).toMatch(/^unsubscribe \S+$/);
    const status = async () => new Map((JSON.parse((await runCli(['subscribers', 'list', '--json', '--db', opened.url], env)).stdout) as { email: string; status: string }[]).map((s) => [s.email, s.status]));

    const r = await runCli(['subscribers', 'unsubscribe', `Re: ${subject}`, '--db', opened.url], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`alert@example.org: the weekly alert on "retrieval" (subscription ${ids.alert}) unsubscribed\n`);
    expect(await status()).toEqual(new Map([['alert@example.org', 'unsubscribed'], ['weekly@example.org', 'active'], ['daily@example.org', 'active'], ['pending@example.org', 'pending']]));
    const again = await runCli(['subscribers', 'unsubscribe', mailto, '--db', opened.url], env);
    expect(again.stdout).toMatch(/alert@example\.org: the weekly alert on "retrieval" \(subscription \S+\) was already unsubscribed\n/);

    // a token altered, or signed with another key: refused, naming what is wrong; nothing changes
    const token = subject.split(' ')[1]!;
    const forged = await runCli(['subscribers', 'unsubscribe', `unsubscribe ${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`, '--db', opened.url], env);
    expect(forged.code).toBe(2);
    expect(forged.stderr).toMatch(/subscribers unsubscribe: "unsubscribe .+": the token is not one of this site's unsubscribe tokens/);
    const otherKey = await runCli(['subscribers', 'unsubscribe', subject, '--db', opened.url], { ...env, PAPERBOY_SECRET: 'another-site-secret-0123456789abcdef' });
    expect(otherKey.stderr).toMatch(/not one of this site's unsubscribe tokens/);
    expect(otherKey.code).toBe(2);
    const none = await runCli(['subscribers', 'unsubscribe', 'unsubscribe please', '--db', opened.url], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/holds no unsubscribe token/);
    // one past its expiry is still honoured (the signature is ours), and the output says so
    const secret = 'operator-secret-0123456789abcdef0123';
    const old = signToken(Buffer.from(secret, 'utf8'), { sub: ids.weekly!, purpose: 'unsubscribe', exp: new Date('2024-01-01T00:00:00Z') });
    const expired = await runCli(['subscribers', 'unsubscribe', `unsubscribe ${old}`, '--db', opened.url], { ...env, PAPERBOY_SECRET: secret });
    expect(expired.stderr).toBe("");
    expect(expired.stdout).toMatch(/^weekly@example\.org: the weekly trending digest \(subscription \S+\) unsubscribed \(its link expired on 2024-01-01; honoured: the signature is ours\)\n$/);
    expect((await status()).get('weekly@example.org')).toBe('unsubscribed');
  });
});
