import { describe, expect, it } from 'vitest';
import { isAccountId } from '../../core/accounts.js';
import { anonymousVoterId } from './vote-rows.js';

describe('anonymousVoterId', () => {
  it('is outside the account ids: no account, made later or imported, can have it', () => {
    const id = anonymousVoterId();
    expect(id).toMatch(/^gone_[A-Za-z0-9_-]{64}$/);
    expect(isAccountId(id)).toBe(false);
  });

  it('is new for every deleted account', () => {
    expect(new Set(Array.from({ length: 100 }, anonymousVoterId)).size).toBe(100);
  });
});
