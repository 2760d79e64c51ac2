/**
 * The Members contract (issue 13, decision 031): members read by id (authors' names) and by the
 * handle an @-mention names them by, in any case, the older account winning a shared handle,
 * only their public part, and nobody once deleted. Run on every store adapter.
 */
import { describe, expect, it } from 'vitest';
import { handleOf } from '../../src/core/accounts.js';
import type { OpenedStore, StoreHarness } from '../support/store-harness.js';
import { at } from './account-fixtures.js';
import { storePerTest } from './store-per-test.js';

export function membersContract(harness: StoreHarness): void {
  describe(`Members contract: ${harness.name}`, () => {
    let opened: OpenedStore;
    storePerTest(harness, (o) => {
      opened = o;
    });

    const make = async (id: string, email: string, displayName: string, minute: number) => {
      await opened.accounts.ensureAccount({ id, email, displayName, now: at(minute) });
      return opened.accounts.setDisplayName(id, displayName, at(minute));
    };

    it('finds members by id and by handle in any case, the older account first, with nothing private', async () => {
      await make('m-ada', 'ada@example.org', 'Ada Lovelace', 0);
      await make('m-bob', 'bob@example.org', 'bob', 1);
      await make('m-bob2', 'bob2@example.org', 'BOB', 2); // the same handle as the older bob
      await make('m-odd', 'odd@example.org', 'Zoë <b>', 3); // no handle: other characters
      const byId = await opened.accounts.membersByIds(['m-ada', 'm-odd', 'nobody', 'm-ada']);
      expect([...byId.keys()].sort()).toEqual(['m-ada', 'm-odd']);
      expect(byId.get('m-ada')).toEqual({ id: 'm-ada', displayName: 'Ada Lovelace', createdAt: at(0) });
      expect(Object.keys(byId.get('m-odd')!).sort()).toEqual(['createdAt', 'displayName', 'id']);

      expect(handleOf('Ada Lovelace')).toBe('ada_lovelace');
      expect(handleOf('Zoë <b>')).toBeNull();
      const byHandle = await opened.accounts.membersByHandles(['Ada_Lovelace', 'BoB', 'carol', 'ada_lovelace']);
      expect([...byHandle.keys()].sort()).toEqual(['ada_lovelace', 'bob']);
      expect(byHandle.get('ada_lovelace')!.id).toBe('m-ada');
      expect(byHandle.get('bob')!.id).toBe('m-bob');
      expect(await opened.accounts.membersByHandles([])).toEqual(new Map());
      expect(await opened.accounts.membersByIds([])).toEqual(new Map());
    });

    it('follows renames and forgets deleted accounts', async () => {
      await make('m-1', 'one@example.org', 'First Name', 0);
      await opened.accounts.setDisplayName('m-1', 'New Name', at(5));
      expect((await opened.accounts.membersByHandles(['first_name'])).size).toBe(0);
      expect((await opened.accounts.membersByHandles(['new_name'])).get('new_name')!.displayName).toBe('New Name');
      await opened.accounts.deleteAccount('m-1');
      expect((await opened.accounts.membersByHandles(['new_name'])).size).toBe(0);
      expect((await opened.accounts.membersByIds(['m-1'])).size).toBe(0);
    });
  });
}
