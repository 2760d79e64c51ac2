/**
 * `paperboy users promote` (issue 13) through the real CLI, on a SQLite file and on the
 * PostgreSQL server: a role given to an account by its address in any case, and refused with a
 * clear message for an address that is not one, one that never signed in, or an unknown role.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../src/core/accounts.js';
import { runCli } from './support/cli.js';
import { STORE_HARNESSES } from './support/harnesses.js';
import type { OpenedStore } from './support/store-harness.js';

describe.each(STORE_HARNESSES.filter((h) => h.name !== 'postgres (PGlite)'))('paperboy users promote on $name', (harness) => {
  let opened: OpenedStore;
  beforeEach(async () => {
    opened = await harness.open();
    await opened.accounts.ensureAccount({ id: newId(), email: 'Mod@example.org', displayName: 'Mod', now: new Date().toISOString() });
  });
  afterEach(async () => {
    await opened.store.close();
    await opened.drop();
  });

  it('gives the account of an address a role, and takes it back', async () => {
    const r = await runCli(['users', 'promote', 'mod@EXAMPLE.org', '--role', 'moderator', '--db', opened.url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Mod@example\.org: moderator \(account \S+, "Mod"\)\n$/);
    expect((await opened.accounts.accountByEmail('mod@example.org'))!.role).toBe('moderator');
    expect((await runCli(['users', 'promote', 'Mod@example.org', '--role', 'admin', '--db', opened.url])).code).toBe(0);
    expect((await opened.accounts.accountByEmail('mod@example.org'))!.role).toBe('admin');
    expect((await runCli(['users', 'promote', 'Mod@example.org', '--role', 'reader', '--db', opened.url])).code).toBe(0);
    expect((await opened.accounts.accountByEmail('mod@example.org'))!.role).toBe('reader');
  });

  it('refuses an address that never signed in, one that is not an address, and an unknown role', async () => {
    const none = await runCli(['users', 'promote', 'nobody@example.org', '--role', 'admin', '--db', opened.url]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/users promote: no account has the address nobody@example\.org \(an account is made when its address first signs in\)/);
    const bad = await runCli(['users', 'promote', '<b>x', '--role', 'admin', '--db', opened.url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/users promote: "<b>x" is not an email address/);
    const role = await runCli(['users', 'promote', 'Mod@example.org', '--role', 'king', '--db', opened.url]);
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/--role.*king.*not one of the allowed choices|Allowed choices are reader, moderator, admin/);
    expect((await opened.accounts.accountByEmail('mod@example.org'))!.role).toBe('reader');
  });
});
