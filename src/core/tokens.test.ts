import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signToken, TOKEN_LIFETIME_MS, TOKEN_PURPOSES, tokenExpiry, verifyToken } from './tokens.js';

const key = Buffer.alloc(32, 7);
const now = new Date('2026-08-21T10:00:00Z');
const exp = tokenExpiry('manage', now);

describe('link tokens', () => {
  it('round-trip: a token names its subscription until it expires', () => {
    const t = signToken(key, { sub: 'sub_abc-123', purpose: 'manage', exp });
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyToken(key, t, 'manage', now)).toEqual({ ok: true, sub: 'sub_abc-123', exp });
    expect(verifyToken(key, t, 'manage', new Date(exp.getTime() - 1000)).ok).toBe(true);
    expect(verifyToken(key, t, 'manage', exp)).toEqual({ ok: false, reason: 'expired', sub: 'sub_abc-123', exp });
  });

  it('a confirmation expires within days, unsubscribe and manage links last for months', () => {
    expect(TOKEN_LIFETIME_MS.confirm).toBeLessThanOrEqual(7 * 86_400_000);
    expect(TOKEN_LIFETIME_MS.unsubscribe).toBeGreaterThanOrEqual(180 * 86_400_000);
    expect(TOKEN_LIFETIME_MS.manage).toBeGreaterThanOrEqual(180 * 86_400_000);
    const t = signToken(key, { sub: 's', purpose: 'confirm', exp: tokenExpiry('confirm', now) });
    expect(verifyToken(key, t, 'confirm', new Date(now.getTime() + 8 * 86_400_000))).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('a token for one purpose never passes for another', () => {
    for (const made of TOKEN_PURPOSES) {
      const t = signToken(key, { sub: 's1', purpose: made, exp });
      for (const asked of TOKEN_PURPOSES) expect(verifyToken(key, t, asked, now).ok, `${made} as ${asked}`).toBe(made === asked);
    }
  });

  it('refuses another key, another subscription, another expiry, and any altered character', () => {
    const t = signToken(key, { sub: 's1', purpose: 'unsubscribe', exp });
    expect(verifyToken(randomBytes(32), t, 'unsubscribe', now)).toEqual({ ok: false, reason: 'invalid' });
    const [, e, m] = t.split('.');
    const other = Buffer.from('s2').toString('base64url');
    expect(verifyToken(key, `${other}.${e}.${m}`, 'unsubscribe', now).ok).toBe(false);
    const later = (parseInt(e!, 36) + 86_400 * 365).toString(36);
    expect(verifyToken(key, `${t.split('.')[0]}.${later}.${m}`, 'unsubscribe', now).ok).toBe(false);
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '.') continue;
      const altered = t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
      expect(verifyToken(key, altered, 'unsubscribe', now).ok, altered).toBe(false);
    }
  });

  it('accepts one spelling of a MAC only: the last character\'s two spare bits changed is refused', () => {
    // the tokens of many subscriptions, so that every last character (and so every spare-bit variant) comes up
    for (let i = 0; i < 200; i++) {
      const t = signToken(key, { sub: `s${i}`, purpose: 'manage', exp });
      const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(t.at(-1)!);
      expect(last % 4, t).toBe(0); // canonical: the spare bits are zero
      for (let spare = 1; spare < 4; spare++) {
        const variant = t.slice(0, -1) + 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last + spare]!;
        expect(verifyToken(key, variant, 'manage', now), variant).toEqual({ ok: false, reason: 'invalid' });
      }
    }
  });

  it('answers invalid, never throws, on junk', () => {
    for (const junk of ['', '.', '..', 'a.b.c', 'a.b.c.d', '%%%.1.x', 'x'.repeat(100_000), `${'a'.repeat(43)}..`, '\u0000.\n.\r'])
      expect(verifyToken(key, junk, 'manage', now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('tokens of different subscriptions differ, and ids of any characters survive', () => {
    const a = signToken(key, { sub: 'a', purpose: 'manage', exp });
    const b = signToken(key, { sub: 'b', purpose: 'manage', exp });
    expect(a).not.toBe(b);
    const odd = 'ü.id/with:odd\nchars';
    expect(verifyToken(key, signToken(key, { sub: odd, purpose: 'manage', exp }), 'manage', now)).toMatchObject({ ok: true, sub: odd });
  });

  it('refuses to sign with a short key or without an id', () => {
    expect(() => signToken(Buffer.alloc(8), { sub: 's', purpose: 'manage', exp })).toThrow(/at least 16 bytes/);
    expect(() => signToken(key, { sub: '', purpose: 'manage', exp })).toThrow(/subscription id/);
  });
});
