/**
 * What a --db value or PAPERBOY_DATABASE_URL names: a PostgreSQL URL, or a SQLite file path.
 * Anything else written as a URL (mysql://…, sqlite://…) is refused rather than taken for a
 * file path: `mysql://foo` used to become a SQLite file named `mysql:/foo`.
 */
import { PaperboyError } from './errors.js';

export type DatabaseKind = 'postgres' | 'sqlite';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

export function databaseKind(db: string): DatabaseKind {
  const scheme = SCHEME.exec(db)?.[1];
  if (scheme === undefined) return 'sqlite';
  if (/^postgres(ql)?$/i.test(scheme)) return 'postgres';
  // the scheme alone: the rest of a URL may hold a password
  throw new PaperboyError(
    'CONFIG_INVALID',
    `unsupported database "${scheme}://…": Paperboy keeps its papers in SQLite (a file path) or PostgreSQL (a postgres:// or postgresql:// URL)`,
  );
}
