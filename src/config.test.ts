import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, mailEnabled } from './config.js';

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.PAPERBOY_DATABASE_URL).toBe('./data/paperboy.db');
    expect(c.PORT).toBe(3000);
    expect(c.PAPERBOY_ARXIV_CATEGORIES).toEqual(['cs.AI', 'cs.CL', 'cs.CV', 'cs.LG', 'stat.ML']);
    expect(c.PAPERBOY_SOURCES).toEqual(['arxiv', 'hf-daily']);
    expect(c.PAPERBOY_DEMO_DATA).toBe(true);
    expect(c.PUBLIC_URL).toBe('http://localhost:3000');
  });

  it('makes the public URL follow the port unless it is set', () => {
    expect(loadConfig({ PORT: '8080' }).PUBLIC_URL).toBe('http://localhost:8080');
    expect(loadConfig({ PORT: '8080', PUBLIC_URL: 'https://papers.example.org' }).PUBLIC_URL).toBe('https://papers.example.org');
    expect(describeConfig(loadConfig({})).find((r) => r.name === 'PUBLIC_URL')?.default).toBe('http://localhost:$PORT');
  });

  it('takes the address serve listens on: every interface by default, or one address or name', () => {
    expect(loadConfig({}).HOST).toBe('::');
    for (const ok of ['127.0.0.1', '::1', '0.0.0.0', 'localhost', 'web-1.internal']) expect(loadConfig({ HOST: ok }).HOST).toBe(ok);
    for (const bad of ['not a host', 'http://localhost', '127.0.0.1:3000', '-x', 'a'.repeat(64)])
      expect(() => loadConfig({ HOST: bad }), bad).toThrow(/HOST=.*an IP address/);
    expect(describeConfig(loadConfig({ HOST: '127.0.0.1' })).find((r) => r.name === 'HOST')).toMatchObject({ value: '127.0.0.1', default: '::' });
  });

  it('names every bad setting at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', PAPERBOY_SOURCES: 'arxiv rss', PAPERBOY_HARVEST_SCHEDULE: 'daily', PAPERBOY_TIMEZONE: 'Mars/Olympus' })).toThrow(
      /PORT="eighty"[\s\S]*PAPERBOY_SOURCES="arxiv rss"[\s\S]*PAPERBOY_HARVEST_SCHEDULE="daily": a cron expression[\s\S]*PAPERBOY_TIMEZONE="Mars\/Olympus": an IANA time zone/,
    );
  });

  it('refuses to hit arXiv faster than every 3 s, but allows it for a local mirror', () => {
    expect(() => loadConfig({ PAPERBOY_ARXIV_INTERVAL_MS: '500' })).toThrow(/at least 3000 ms/);
    const local = { PAPERBOY_ARXIV_INTERVAL_MS: '0', PAPERBOY_ARXIV_OAI_URL: 'http://127.0.0.1:9/oai', PAPERBOY_ARXIV_API_URL: 'http://127.0.0.1:9/api' };
    expect(loadConfig(local).PAPERBOY_ARXIV_INTERVAL_MS).toBe(0);
  });

  it('reads NAME_FILE and redacts secrets when listing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-config-'));
    writeFileSync(join(dir, 'db'), 'postgres://paperboy:s3cret@db.example.org/paperboy\n');
    const c = loadConfig({ PAPERBOY_DATABASE_URL_FILE: join(dir, 'db') });
    expect(c.PAPERBOY_DATABASE_URL).toBe('postgres://paperboy:s3cret@db.example.org/paperboy');
    const shown = describeConfig(c).find((r) => r.name === 'PAPERBOY_DATABASE_URL')!;
    expect(shown.value).toBe('postgres://paperboy:***@db.example.org/paperboy');
    expect(JSON.stringify(describeConfig(c))).not.toContain('s3cret');
    expect(() => loadConfig({ PORT_FILE: join(dir, 'missing') })).toThrow(/PORT_FILE=.*missing.*ENOENT/);
  });

  describe('mail settings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-mail-config-'));
    const keyFile = join(dir, 'dkim.pem');
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const notAKey = join(dir, 'not-a-key.pem');
    writeFileSync(notAKey, 'hello\n');
    const mail = { SMTP_URL: 'smtps://digest:p4ss%40word@smtp.example.org:465', MAIL_FROM: 'Paperboy <digest@papers.example.org>' };

    it('leaves mail off by default, and the site runs', () => {
      const c = loadConfig({});
      expect(mailEnabled(c)).toBe(false);
      expect([c.SMTP_URL, c.MAIL_FROM, c.PAPERBOY_SECRET]).toEqual(['', '', '']);
      expect([c.PAPERBOY_MAIL_CONCURRENCY, c.PAPERBOY_MAIL_RATE, c.PAPERBOY_DIGEST_TIME, c.PAPERBOY_DIGEST_SIZE]).toEqual([4, 20, '07:00', 10]);
    });

    it('takes an smtp:// or smtps:// URL with a From, and says what is wrong otherwise', () => {
      expect(mailEnabled(loadConfig(mail))).toBe(true);
      expect(loadConfig({ ...mail, SMTP_URL: 'smtp://127.0.0.1:2525' }).SMTP_URL).toBe('smtp://127.0.0.1:2525');
      expect(() => loadConfig({ ...mail, SMTP_URL: 'http://smtp.example.org' })).toThrow(/SMTP_URL=\(secret\): smtp:\/\/user:password@host/);
      expect(() => loadConfig({ SMTP_URL: 'smtp://smtp.example.org' })).toThrow(/MAIL_FROM: needed when SMTP_URL is set/);
      for (const from of ['digest@papers.example.org', 'Paperboy <digest@papers.example.org>']) expect(loadConfig({ ...mail, MAIL_FROM: from }).MAIL_FROM).toBe(from);
      expect(() => loadConfig({ ...mail, MAIL_FROM: 'Paperboy' })).toThrow(/MAIL_FROM="Paperboy": an address, or "Name <address>": no "@"/);
      expect(() => loadConfig({ ...mail, MAIL_FROM: 'a@b.org\r\nBcc: c@d.org' })).toThrow(/MAIL_FROM=.*line break/);
    });

    it('wants the DKIM domain, selector and a readable PEM private key together', () => {
      const dkim = { PAPERBOY_DKIM_DOMAIN: 'papers.example.org', PAPERBOY_DKIM_SELECTOR: 'pb2026', PAPERBOY_DKIM_KEY_FILE: keyFile };
      expect(loadConfig({ ...mail, ...dkim }).PAPERBOY_DKIM_SELECTOR).toBe('pb2026');
      expect(() => loadConfig({ ...mail, PAPERBOY_DKIM_DOMAIN: 'papers.example.org' })).toThrow(/PAPERBOY_DKIM_SELECTOR, PAPERBOY_DKIM_KEY_FILE: DKIM needs all three/);
      expect(() => loadConfig({ ...mail, ...dkim, PAPERBOY_DKIM_KEY_FILE: join(dir, 'missing.pem') })).toThrow(/PAPERBOY_DKIM_KEY_FILE=.*missing\.pem: cannot be read: ENOENT/);
      expect(() => loadConfig({ ...mail, ...dkim, PAPERBOY_DKIM_KEY_FILE: notAKey })).toThrow(/not-a-key\.pem: not a PEM private key/);
      expect(() => loadConfig({ ...mail, ...dkim, PAPERBOY_DKIM_SELECTOR: 'bad selector' })).toThrow(/PAPERBOY_DKIM_SELECTOR="bad selector": a DNS label/);
    });

    it('takes the digest time as HH:MM, and long enough secrets', () => {
      expect(loadConfig({ PAPERBOY_DIGEST_TIME: '18:45' }).PAPERBOY_DIGEST_TIME).toBe('18:45');
      for (const bad of ['7:00', '24:00', '07:60', '0700', '07:00:00'])
        expect(() => loadConfig({ PAPERBOY_DIGEST_TIME: bad }), bad).toThrow(/PAPERBOY_DIGEST_TIME=.*HH:MM/);
      expect(() => loadConfig({ PAPERBOY_SECRET: 'short' })).toThrow(/PAPERBOY_SECRET=\(secret\): at least 32 characters/);
      expect(() => loadConfig({ PAPERBOY_MAIL_HOOK_TOKEN: 'short' })).toThrow(/PAPERBOY_MAIL_HOOK_TOKEN=\(secret\): at least 24/);
      expect(() => loadConfig({ PAPERBOY_MAIL_RATE: '-1' })).toThrow(/PAPERBOY_MAIL_RATE/);
    });

    it('takes the log level, the metrics token and port (issue 14), and never shows the token', () => {
      const c = loadConfig({});
      expect([c.PAPERBOY_LOG_LEVEL, c.PAPERBOY_METRICS_TOKEN, c.PAPERBOY_METRICS_PORT]).toEqual(['info', '', 0]);
      expect(loadConfig({ PAPERBOY_LOG_LEVEL: 'warn' }).PAPERBOY_LOG_LEVEL).toBe('warn');
      expect(() => loadConfig({ PAPERBOY_LOG_LEVEL: 'verbose' })).toThrow(/PAPERBOY_LOG_LEVEL="verbose"/);
      expect(() => loadConfig({ PAPERBOY_METRICS_TOKEN: 'short' })).toThrow(/PAPERBOY_METRICS_TOKEN=\(secret\): at least 24 characters/);
      expect(() => loadConfig({ PORT: '8080', PAPERBOY_METRICS_PORT: '8080' })).toThrow(/PAPERBOY_METRICS_PORT=8080: the site's PORT; choose another port/);
      expect(loadConfig({ PAPERBOY_METRICS_PORT: '9464' }).PAPERBOY_METRICS_PORT).toBe(9464);
      const token = 'METRICSTOKEN'.repeat(2);
      const shown = describeConfig(loadConfig({ PAPERBOY_METRICS_TOKEN: token }));
      expect(shown.find((r) => r.name === 'PAPERBOY_METRICS_TOKEN')?.value).toBe('***');
      expect(JSON.stringify(shown)).not.toContain('METRICSTOKEN');
    });

    it('never shows the SMTP password, the link secret or the hook token', () => {
      const secret = 'x'.repeat(20) + 'SIGNINGSECRET' + 'y'.repeat(10);
      const token = 'HOOKTOKEN'.repeat(3);
      const c = loadConfig({ ...mail, PAPERBOY_SECRET: secret, PAPERBOY_MAIL_HOOK_TOKEN: token });
      const shown = describeConfig(c);
      const value = (name: string) => shown.find((r) => r.name === name)?.value;
      expect(value('SMTP_URL')).toBe('smtps://digest:***@smtp.example.org:465');
      expect(value('PAPERBOY_SECRET')).toBe('***');
      expect(value('PAPERBOY_MAIL_HOOK_TOKEN')).toBe('***');
      expect(value('MAIL_FROM')).toBe('Paperboy <digest@papers.example.org>');
      const all = JSON.stringify(shown);
      for (const s of ['p4ss', 'SIGNINGSECRET', 'HOOKTOKEN']) expect(all).not.toContain(s);
      expect(describeConfig(loadConfig({})).find((r) => r.name === 'PAPERBOY_SECRET')?.value).toBe('');
    });
  });
});
