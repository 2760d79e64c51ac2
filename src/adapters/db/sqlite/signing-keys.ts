/** The SQLite store's signing keys (the secret of the links in emails: core/tokens.ts). */
import { randomBytes } from 'node:crypto';
import type { SigningKeys } from '../../../ports/signing-keys.js';
import { SqliteInboxPart } from './inbox-part.js';

export class SqliteSigningKeys extends SqliteInboxPart implements SigningKeys {
  async signingKey(name: string): Promise<Buffer> {
    // read without the write lock: after the first use that is all it takes
    const known = this.st('SELECT key FROM signing_keys WHERE name = ?').pluck().get(name) as Buffer | undefined;
    if (known) return known;
    return this.write(() => {
      // the first of two handles to take the write lock makes it; the other finds it
      this.st('INSERT INTO signing_keys (name, key, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING').run(
        name,
        randomBytes(32),
        new Date().toISOString(),
      );
      return this.st('SELECT key FROM signing_keys WHERE name = ?').pluck().get(name) as Buffer;
    });
  }
}
