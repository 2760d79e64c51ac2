/** What both dialects share for passkeys (ports/passkeys.ts, decision 034): a passkeys row as the port's Passkey. */
import type { Passkey } from '../../ports/passkeys.js';

type Row = Record<string, unknown>;

export function rowToPasskey(r: Row): Passkey {
  // transports: JSON text in SQLite, jsonb (already parsed) in PostgreSQL
  const transports: unknown = typeof r.transports === 'string' ? JSON.parse(r.transports) : r.transports;
  return {
    id: String(r.id),
    accountId: String(r.account_id),
    publicKey: String(r.public_key),
    counter: Number(r.counter),
    transports: Array.isArray(transports) ? transports.map(String) : [],
    name: String(r.name),
    createdAt: String(r.created_at),
    lastUsedAt: r.last_used_at === null || r.last_used_at === undefined ? null : String(r.last_used_at),
  };
}
