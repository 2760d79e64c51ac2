import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Compressor } from './compressor.js';

describe('Compressor (worker threads)', () => {
  let c: Compressor | null = null;
  afterEach(async () => {
    await c?.close();
    c = null;
  });

  it('compresses with Brotli and gzip, many bodies at once, each to its own answer', async () => {
    c = new Compressor(2);
    const bodies = Array.from({ length: 60 }, (_, i) => Buffer.from(`<p>paper ${i}: ${'attention is all you need '.repeat(50 + i)}</p>`));
    const [br, gz] = await Promise.all([Promise.all(bodies.map((b) => c!.compress(b, 'br'))), Promise.all(bodies.map((b) => c!.compress(b, 'gzip')))]);
    bodies.forEach((b, i) => {
      expect(br[i]!.length).toBeLessThan(b.length / 5);
      expect(brotliDecompressSync(br[i]!).equals(b)).toBe(true);
      expect(gunzipSync(gz[i]!).equals(b)).toBe(true);
    });
  });

  it('fails the compressions of a worker that stops, then starts a new one', async () => {
    c = new Compressor(1);
    const body = Buffer.from('x'.repeat(5_000_000) + 'y'.repeat(5_000_000));
    const pending = c.compress(body, 'br');
    await c.close();
    await expect(pending).rejects.toThrow(/compression worker exited/);
    const again = await c.compress(Buffer.from('hello hello hello'), 'gzip');
    expect(gunzipSync(again).toString()).toBe('hello hello hello');
  });

  it('does not keep the process alive once idle', async () => {
    const { spawnSync } = await import('node:child_process');
    const url = new URL('../../../dist/delivery/http/compressor.js', import.meta.url).href;
    const script = `const { Compressor } = await import(${JSON.stringify(url)}); const c = new Compressor(1); const out = await c.compress(Buffer.from('a'.repeat(1000)), 'br'); console.log(out.length);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0); // answered (the pending job kept it alive), then exited (idle worker did not)
    expect(Number(r.stdout.trim())).toBeGreaterThan(0);
  });
});
