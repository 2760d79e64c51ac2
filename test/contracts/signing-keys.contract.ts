/**
 * The SigningKeys contract (the secret of the links in emails, issue 11): made once per database
 * and name, kept, the same for every handle. Run on every store adapter.
 */
import { describe, expect, it } from 'vitest';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { otherInbox } from './inbox-fixtures.js';
import { storePerTest } from './store-per-test.js';

export function signingKeysContract(harness: StoreHarness): void {
  describe(`SigningKeys contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    storePerTest(harness, (o) => {
      opened = o;
    });

    it('makes a key of 32 random bytes per name on first use and keeps it', async () => {
      const links = await opened.inbox.signingKey('links');
      expect(links).toBeInstanceOf(Buffer);
      expect(links).toHaveLength(32);
      expect(await opened.inbox.signingKey('links')).toEqual(links);
      const hook = await opened.inbox.signingKey('hook');
      expect(hook.equals(links)).toBe(false);
      expect(await (await otherInbox(opened)).signingKey('links')).toEqual(links); // in the database, not the handle
    });

    it('agrees on one key when two handles make it at once', async () => {
      const other = await otherInbox(opened);
      const keys = await Promise.all([opened.inbox.signingKey('links'), other.signingKey('links'), opened.inbox.signingKey('links'), other.signingKey('links')]);
      for (const k of keys) expect(k).toEqual(keys[0]);
    });
  });
}
