/**
 * The secret that signs the links in emails (confirm, preferences, unsubscribe: core/tokens.ts),
 * made once per database and kept in it, so that one machine needs no setting and every web node
 * of a PostgreSQL setup signs and checks alike. PAPERBOY_SECRET, when set, is used instead.
 * Contract: test/contracts/signing-keys.contract.ts.
 */
export interface SigningKeys {
  /** The named key (32 random bytes), made on first use; concurrent first uses agree on one. */
  signingKey(name: string): Promise<Buffer>;
}
