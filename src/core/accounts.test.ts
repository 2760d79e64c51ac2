import { describe, expect, it } from 'vitest';
import { checkDisplayName, defaultDisplayName, emailKey, isRole, newSecret, secretHash } from './accounts.js';

describe('display names', () => {
  it('trims and collapses white space, and keeps markup as text for the views to escape', () => {
    expect(checkDisplayName('  Ann \t\n Lee ')).toEqual({ ok: true, name: 'Ann Lee' });
    expect(checkDisplayName('<b>Ann</b> & "co"')).toEqual({ ok: true, name: '<b>Ann</b> & "co"' });
    expect(checkDisplayName('Zoë 李')).toEqual({ ok: true, name: 'Zoë 李' });
  });

  it('refuses empty, long, and invisible or control characters, saying which and where', () => {
    expect(checkDisplayName('   ')).toEqual({ ok: false, problem: 'the display name is empty' });
    expect(checkDisplayName(42)).toEqual({ ok: false, problem: 'the display name is missing' });
    expect(checkDisplayName('x'.repeat(61))).toEqual({ ok: false, problem: 'the display name is longer than 60 characters' });
    expect(checkDisplayName('😀'.repeat(60)).ok).toBe(true); // characters, not UTF-16 units
    expect(checkDisplayName('ab\u202Ecd')).toEqual({ ok: false, problem: 'the display name holds an invisible or control character (U+202E) at position 3' });
    expect(checkDisplayName('a\u200Bb').ok).toBe(false);
    expect(checkDisplayName('a\u0007b').ok).toBe(false);
  });

  it('starts a new account with the address\'s local part', () => {
    expect(defaultDisplayName('ann.lee@example.org')).toBe('ann.lee');
  });
});

describe('addresses, roles and secrets', () => {
  it('compares addresses in lower case', () => {
    expect(emailKey('Ann@Example.ORG')).toBe(emailKey('ann@example.org'));
  });

  it('knows the three roles and nothing else', () => {
    expect(['reader', 'moderator', 'admin'].every(isRole)).toBe(true);
    expect(isRole('root')).toBe(false);
  });

  it('makes 43-character base64url secrets, different each time, kept as 64 hex digits', () => {
    const [a, b] = [newSecret(), newSecret()];
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(secretHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(secretHash(a)).toBe(secretHash(a));
    expect(secretHash(a)).not.toBe(secretHash(b));
  });
});
