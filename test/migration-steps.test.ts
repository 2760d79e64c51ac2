/**
 * migrate() names each migration just before it applies it (ports/store-lifecycle.ts), on both
 * stores, and `paperboy migrate` says so on a terminal when it brings an existing database
 * forward: a long migration on a large archive must not look like a hang.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/adapters/db/migrations.js';
import { openPostgresStore } from '../src/adapters/db/postgres.store.js';
import { openSqlite } from '../src/adapters/db/sqlite.store.js';
import { main } from '../src/delivery/cli/main.js';
import type { MigrationStep } from '../src/ports/store-lifecycle.js';
import { postgresAt, sqliteAt } from './support/schema-at.js';
import { tempDbPath } from './support/sqlite-harness.js';

const after19 = MIGRATIONS.filter((m) => m.version > 19).map((m) => ({ version: m.version, name: m.name, from: 19 }));

describe('migration steps', () => {
  it('SQLite: names each pending migration with the version it starts from, and none when there is none', async () => {
    const db = openSqlite(sqliteAt((m) => m.version <= 19));
    try {
      const steps: MigrationStep[] = [];
      expect(await db.store.migrate((s) => steps.push(s))).toEqual({ from: 19, to: MIGRATIONS.at(-1)!.version });
      expect(steps).toEqual(after19);
      const again: MigrationStep[] = [];
      await db.store.migrate((s) => again.push(s));
      expect(again).toEqual([]);
    } finally {
      await db.store.close();
    }
    const fresh = openSqlite(tempDbPath());
    try {
      const steps: MigrationStep[] = [];
      await fresh.store.migrate((s) => steps.push(s));
      expect(steps).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, from: 0 })));
    } finally {
      await fresh.store.close();
    }
  });

  it('PostgreSQL: names each pending migration with the version it starts from, and none when there is none', async () => {
    const at = await postgresAt((m) => m.version <= 19);
    try {
      const store = openPostgresStore(at.url);
      try {
        const steps: MigrationStep[] = [];
        await store.migrate((s) => steps.push(s));
        expect(steps).toEqual(after19);
        const again: MigrationStep[] = [];
        await store.migrate((s) => again.push(s));
        expect(again).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      await at.drop();
    }
  });

  it('paperboy migrate names them on a terminal, for an existing database only, and stays quiet when piped', async () => {
    const run = async (db: string, isTTY: boolean) => {
      let err = '';
      const stderr = new Writable({
        write(chunk: Buffer, _e, cb) {
          err += chunk.toString();
          cb();
        },
      });
      Object.assign(stderr, { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
      const stdout = new Writable({ write: (_c, _e, cb) => cb() });
      expect(await main(['node', 'paperboy', 'migrate', '--db', db], { stdout, stderr, env: {} })).toBe(0);
      return err;
    };
    const shown = await run(sqliteAt((m) => m.version <= 19), true);
    for (const m of MIGRATIONS.filter((x) => x.version > 19)) expect(shown).toContain(`migrating the schema from version 19: ${m.version}, ${m.name}`);
    expect(shown).not.toContain(': 19, ');
    expect(await run(sqliteAt((m) => m.version <= 19), false)).not.toMatch(/migrating the schema/);
    expect(await run(tempDbPath(), true)).not.toMatch(/migrating the schema/);
  });
});
