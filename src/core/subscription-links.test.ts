import { describe, expect, it } from 'vitest';
import { signToken } from './tokens.js';
import { unsubscribeMailto, unsubscribeTokenIn } from './subscription-links.js';

const KEY = Buffer.from('k'.repeat(32));
const token = (sub: string) => signToken(KEY, { sub, purpose: 'unsubscribe', exp: new Date('2027-01-01T00:00:00Z') });

describe('the List-Unsubscribe mailto and the token in what it receives', () => {
  const t = token('sub-0001');

  it('writes the token into the subject, and finds it again however the subject arrives', () => {
    const mailto = unsubscribeMailto('Paperboy <digest@papers.example.org>', t);
    expect(mailto).toBe(`mailto:digest@papers.example.org?subject=unsubscribe%20${t}`);
    expect(unsubscribeMailto('digest@papers.example.org', t)).toBe(mailto);
    for (const given of [`unsubscribe ${t}`, `Re: unsubscribe ${t}`, `unsubscribe%20${t}`, mailto, t, `  unsubscribe\t${t}\n`, `"unsubscribe ${t}"`])
      expect(unsubscribeTokenIn(given), given).toEqual({ token: t });
  });

  it('says why when there is no token, or more than one, or the text is far too long', () => {
    expect(unsubscribeTokenIn('unsubscribe')).toMatchObject({ problem: expect.stringMatching(/no unsubscribe token/) });
    expect(unsubscribeTokenIn(`unsubscribe ${t.slice(0, -1)}`)).toMatchObject({ problem: expect.stringMatching(/no unsubscribe token/) });
    expect(unsubscribeTokenIn(`unsubscribe ${t} ${token('sub-0002')}`)).toMatchObject({ problem: expect.stringMatching(/2 different tokens/) });
    expect(unsubscribeTokenIn(`unsubscribe ${t} ${t}`)).toEqual({ token: t }); // the same one twice is one
    expect(unsubscribeTokenIn('a'.repeat(100_000))).toMatchObject({ problem: expect.stringMatching(/100000 characters/) });
    expect(unsubscribeTokenIn('unsubscribe %E0%A4%A')).toMatchObject({ problem: expect.stringMatching(/no unsubscribe token/) }); // bad percent-encoding: read as it is
  });
});
