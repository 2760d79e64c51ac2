import { describe, expect, it } from 'vitest';
import { networkOfAddress, networkWindowStart, VOTE_DAMPING, voteWeight, voteWeights } from './vote-weight.js';

const AT = '2026-07-02T10:00:00.000Z';
const daysBefore = (days: number) => new Date(Date.parse(AT) - days * 86_400_000).toISOString();

describe('voteWeights', () => {
  it('is voteWeight for every count of earlier votes, its last entry standing for every larger count', () => {
    for (const age of [30, 2]) {
      const schedule = voteWeights({ accountCreatedAt: daysBefore(age), at: AT });
      expect(schedule).toHaveLength(VOTE_DAMPING.NETWORK_FREE + 1);
      for (const n of [0, 1, 2, 3, 4, 10, 500])
        expect(schedule[Math.min(n, schedule.length - 1)]).toBe(voteWeight({ accountCreatedAt: daysBefore(age), at: AT, earlierFromNetwork: n }));
    }
    expect(voteWeights({ accountCreatedAt: daysBefore(30), at: AT })).toEqual([1000, 1000, 1000, 250]);
  });
});

describe('voteWeight', () => {
  it('counts a vote from an established account on a quiet network in full', () => {
    expect(voteWeight({ accountCreatedAt: daysBefore(30), at: AT, earlierFromNetwork: 0 })).toBe(1000);
    expect(voteWeight({ accountCreatedAt: daysBefore(VOTE_DAMPING.YOUNG_ACCOUNT_DAYS), at: AT, earlierFromNetwork: VOTE_DAMPING.NETWORK_FREE - 1 })).toBe(1000);
  });

  it('damps an account younger than a week, and a network past its first three votes on the paper, both at once too', () => {
    expect(voteWeight({ accountCreatedAt: daysBefore(6.9), at: AT, earlierFromNetwork: 0 })).toBe(250);
    expect(voteWeight({ accountCreatedAt: daysBefore(30), at: AT, earlierFromNetwork: 3 })).toBe(250);
    expect(voteWeight({ accountCreatedAt: daysBefore(30), at: AT, earlierFromNetwork: 40 })).toBe(250);
    expect(voteWeight({ accountCreatedAt: AT, at: AT, earlierFromNetwork: 3 })).toBe(63); // 1000 × ¼ × ¼, rounded
  });

  it('treats an unreadable creation time as a young account, never as a trusted one', () => {
    expect(voteWeight({ accountCreatedAt: 'unknown', at: AT, earlierFromNetwork: 0 })).toBe(250);
  });

  it('opens the network window a day before the vote', () => {
    expect(networkWindowStart(AT)).toBe('2026-07-01T10:00:00.000Z');
  });

  it('lets a burst of 20 new accounts on one network weigh less than 3 established readers', () => {
    let burst = 0;
    for (let i = 0; i < 20; i++) burst += voteWeight({ accountCreatedAt: AT, at: AT, earlierFromNetwork: i });
    expect(burst).toBeLessThan(3000);
  });
});

describe('networkOfAddress', () => {
  it('groups IPv4 by /24 and IPv6 by /48, an IPv4-mapped address as IPv4', () => {
    expect(networkOfAddress('192.0.2.17')).toBe('192.0.2.0/24');
    expect(networkOfAddress('::ffff:192.0.2.200')).toBe('192.0.2.0/24');
    expect(networkOfAddress('2001:db8:85a3:1:2:3:4:5')).toBe('2001:db8:85a3::/48');
    expect(networkOfAddress('2001:0DB8:0000::1')).toBe('2001:db8:0::/48');
    expect(networkOfAddress('2001:db8::')).toBe('2001:db8:0::/48');
    expect(networkOfAddress('fe80::1%eth0')).toBe('fe80:0:0::/48');
  });

  it('keeps anything else as given, cut short', () => {
    expect(networkOfAddress('not an address')).toBe('not_an_address');
    expect(networkOfAddress('')).toBe('?');
    expect(networkOfAddress('1:2:3')).toBe('1:2:3');
    expect(networkOfAddress('x'.repeat(100))).toHaveLength(64);
  });
});
