/** The PostgreSQL store's signing keys (the secret of the links in emails: core/tokens.ts). */
import { randomBytes } from 'node:crypto';
import type { SigningKeys } from '../../../ports/signing-keys.js';
import { PostgresPart } from './connection.js';

export class PostgresSigningKeys extends PostgresPart implements SigningKeys {
  async signingKey(name: string): Promise<Buffer> {
    const read = async () => {
      const rows = await this.db.query<{ key: Uint8Array }>('SELECT key FROM signing_keys WHERE name = $1', [name]);
      // node-postgres gives a Buffer, PGlite a Uint8Array
      return rows[0] ? Buffer.from(rows[0].key) : null;
    };
    const known = await read();
    if (known) return known;
    // two nodes at once: the second insert waits for the first's row, does nothing, and the
    // read after it (a statement of its own, so a new snapshot) sees the first's key
    await this.db.query('INSERT INTO signing_keys (name, key, created_at) VALUES ($1, $2, now()) ON CONFLICT (name) DO NOTHING', [
      name,
      randomBytes(32),
    ]);
    const made = await read();
    if (!made) throw new Error(`signing key ${name}: inserted but not found`);
    return made;
  }
}
