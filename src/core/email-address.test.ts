import { describe, expect, it } from 'vitest';
import { adversarial, growth, MAX_GROWTH } from '../../test/support/linear.js';
import { checkEmailAddress, InvalidEmailError, isNormalisedEmail, MAX_EMAIL_LENGTH, normaliseEmail } from './email-address.js';

describe('email addresses', () => {
  it('trims and lower-cases the domain, keeping the local part as typed', () => {
    expect(normaliseEmail('  Ann.Lee+papers@Example.ORG \n')).toBe('Ann.Lee+papers@example.org');
    for (const ok of ['a@b.co', "o'neil@mail.example.com", 'x_y-z@xn--bcher-kva.example', 'a!#$%&*/=?^`{|}~@a-b.io'])
      expect(checkEmailAddress(ok)).toEqual({ ok: true, email: ok });
    expect(isNormalisedEmail('a@b.co')).toBe(true);
    expect(isNormalisedEmail('a@B.co')).toBe(false);
  });

  it('says what is wrong', () => {
    const problems: [string, RegExp][] = [
      ['', /empty/],
      ['ann', /no "@"/],
      ['a@b@c.org', /more than one "@"/],
      ['@example.org', /nothing before/],
      ['ann@', /no domain/],
      ['ann@localhost', /no dot/],
      ['.ann@example.org', /starts or ends with a dot/],
      ['a..nn@example.org', /two dots/],
      ['ann@example..org', /empty part/],
      ['ann@-example.org', /hyphen/],
      ['ann@exa_mple.org', /"_" is not allowed in the domain/],
      ['a,nn@example.org', /"," is not allowed before/],
      ['ann@10.0.0.1', /IP address/],
      ['Ann Lee <ann@example.org>', /space|display name/],
      ['<ann@example.org>', /display name/],
      ['ann@example.org (Ann)', /space|comment/],
      ['"ann"@example.org', /quotes/],
      ['ann@example.org\r\nBcc: x@evil.example', /control character \(U\+000D\)/],
      ['ann\u0000@example.org', /control character \(U\+0000\)/],
      ['anné@example.org', /non-ASCII/],
      [`${'a'.repeat(65)}@example.org`, /longer than 64/],
      [`a@${'b'.repeat(64)}.org`, /longer than 63/],
      [`a@${'b.'.repeat(130)}org`, /longer than 254|longer than 253/],
    ];
    for (const [input, problem] of problems) {
      const r = checkEmailAddress(input);
      expect(r.ok, input).toBe(false);
      if (!r.ok) expect(r.problem, input).toMatch(problem);
    }
    expect(() => normaliseEmail('nope')).toThrow(InvalidEmailError);
    expect(() => normaliseEmail('nope')).toThrow(/not a usable email address: no "@"/);
  });

  it('accepts up to 254 characters and no more', () => {
    const longest = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(longest.length).toBe(MAX_EMAIL_LENGTH);
    expect(checkEmailAddress(longest).ok).toBe(true);
    expect(checkEmailAddress(`${longest}x`)).toMatchObject({ ok: false, problem: expect.stringMatching(/longer than 254/) as unknown });
  });

  it('is linear on hostile input, at the largest accepted size and on 100 kB', () => {
    const hostile: [string, string, string][] = [
      ['a.', '', '@example.org'],
      ['a', '', '@'],
      ['@', '', ''],
      ['.', 'a', '@b.c'],
      ['b-', 'a@', '.org'],
      ['\u0000', '', ''],
      [' ', '', 'x'],
    ];
    for (const [pattern, prefix, suffix] of hostile) {
      const make = (n: number) => adversarial(pattern, n, prefix, suffix);
      for (const max of [MAX_EMAIL_LENGTH, 100_000]) {
        let g = growth((s) => checkEmailAddress(s), make, max);
        // as test/text-linearity.test.ts: under 25 ms at the largest size passes; retried against noise
        for (let i = 1; i < 3 && g.ratio >= MAX_GROWTH && g.large > 25; i++) g = growth((s) => checkEmailAddress(s), make, max);
        expect(g.large <= 25 ? 0 : g.ratio, `${JSON.stringify(pattern)} at ${max}: ${g.small.toFixed(4)} → ${g.large.toFixed(4)} ms`).toBeLessThan(MAX_GROWTH);
      }
    }
  });
});
