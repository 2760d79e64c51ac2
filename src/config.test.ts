import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from './config.js';

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
});
