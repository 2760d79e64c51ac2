/**
 * `paperboy serve` bound to one address (HOST): it answers there and nowhere else, says where
 * it listens, and an address it cannot bind is one clear line, not a stack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDbPath } from './support/sqlite-harness.js';

function serve(env: Record<string, string>, args: string[] = []): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['bin/paperboy.js', 'serve', '--port', '0', '--db', tempDbPath(), ...args], {
    env: { ...process.env, PAPERBOY_DEMO_DATA: 'false', PAPERBOY_PAGES_AHEAD: 'false', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, stderr: () => stderr, exited: once(child, 'exit').then(([code]) => code as number | null) };
}

async function logged(s: ReturnType<typeof serve>, pattern: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    const m = pattern.exec(s.stderr());
    if (m) return m;
    if (s.child.exitCode !== null) throw new Error(`serve exited:\n${s.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('serve with HOST', () => {
  const started: ReturnType<typeof serve>[] = [];
  afterAll(async () => {
    for (const s of started)
      if (s.child.exitCode === null) {
        s.child.kill('SIGTERM');
        await s.exited;
      }
  });

  it('listens on the address HOST names only, and says so', async () => {
    const s = serve({ HOST: '127.0.0.1' });
    started.push(s);
    const m = await logged(s, /Paperboy on http:\/\/127\.0\.0\.1:(\d+)\/ \(sqlite\), listening on 127\.0\.0\.1 only/);
    const port = Number(m[1]);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await accepts('::1', port)).toBe(false);
  }, 60_000);

  it('listens on every interface by default, as before', async () => {
    const s = serve({});
    started.push(s);
    const m = await logged(s, /Paperboy on http:\/\/localhost:(\d+)\/ \(sqlite\), listening on every interface/);
    const port = Number(m[1]);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    expect(await accepts('::1', port)).toBe(true);
  }, 60_000);

  it('refuses an address that is no address, and one this machine does not have, in one line', async () => {
    const bad = serve({ HOST: 'not a host' });
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toMatch(/HOST="not a host": an IP address/);
    const foreign = serve({}, ['--host', '203.0.113.254']);
    expect(await foreign.exited).toBe(2);
    expect(foreign.stderr()).toMatch(/^paperboy: serve: cannot listen on 203\.0\.113\.254 port 0 \(HOST, PORT\): EADDRNOTAVAIL\n$/);
  }, 60_000);
});
