/**
 * The links in emails as capabilities (issue 11, docs/decisions/019): a token names one
 * subscription (its random id), one purpose (confirm, manage, unsubscribe) and an expiry, signed
 * with the site's key (core/tokens.ts). Whoever holds it may do that one thing to that one
 * subscription, and nothing else. The key is PAPERBOY_SECRET when set, else the database's own
 * (SigningKeys), so that every web node signs and checks alike.
 */
import { signToken, tokenExpiry, verifyToken, type TokenPurpose } from '../core/tokens.js';
import type { SigningKeys } from '../ports/signing-keys.js';

export type { TokenPurpose };

/** The name of the key in SigningKeys: the digest sender signs its unsubscribe links with the same one. */
export const LINK_KEY_NAME = 'links';

/** Why a link can't be used: past its expiry (410, "ask for a new one") or not a link we made (400). */
export class LinkError extends Error {
  readonly code = 'LINK_UNUSABLE';
  constructor(readonly reason: 'expired' | 'invalid' | 'gone') {
    super(reason === 'expired' ? 'this link has expired' : reason === 'gone' ? 'this subscription no longer exists' : 'this link is not valid');
    this.name = 'LinkError';
  }
}

/** The site's link key: PAPERBOY_SECRET when set (any length; hashed by HMAC), else the database's. */
export function linkKey(secret: string | null | undefined, keys: SigningKeys): () => Promise<Buffer> {
  if (secret) {
    const key = Buffer.from(secret, 'utf8');
    return async () => key;
  }
  let cached: Promise<Buffer> | null = null;
  return () => {
    cached ??= keys.signingKey(LINK_KEY_NAME).catch((e: unknown) => {
      cached = null; // a database that was down a moment: ask again next time
      throw e;
    });
    return cached;
  };
}

export class LinkTokens {
  constructor(
    private readonly key: () => Promise<Buffer>,
    private readonly now: () => Date,
  ) {}

  async issue(subscriptionId: string, purpose: TokenPurpose): Promise<string> {
    return signToken(await this.key(), { sub: subscriptionId, purpose, exp: tokenExpiry(purpose, this.now()) });
  }

  /** The subscription id a token of this purpose names; throws LinkError when it is not one, or has expired. */
  async read(token: string, purpose: TokenPurpose): Promise<string> {
    // longer than any token we make: refused before the signature is computed over it
    if (token.length > 512) throw new LinkError('invalid');
    const r = verifyToken(await this.key(), token, purpose, this.now());
    if (r.ok) return r.sub;
    throw new LinkError(r.reason === 'expired' ? 'expired' : 'invalid');
  }
}
