/**
 * The addresses of the account pages (issue 13), in one place so that the sign-in email, the
 * routes and the pages agree. A sign-in secret is base64url, so it goes into a path as it is.
 */
export const accountPaths = {
  signIn: () => '/auth/signin',
  /** where the form sends the visitor, whatever the address */
  checkInbox: () => '/auth/signin/check',
  link: (secret: string) => `/auth/signin/${encodeURIComponent(secret)}`,
  signOut: () => '/auth/signout',
  signOutEverywhere: () => '/auth/signout-everywhere',
  me: () => '/me',
  export: () => '/me/export',
  tokens: () => '/me/tokens',
  revokeToken: () => '/me/tokens/revoke',
  delete: () => '/me/delete',
  /** passkeys (decision 034): the ceremonies' JSON endpoints, and the profile's forms */
  passkeyRegisterOptions: () => '/auth/passkey/register/options',
  passkeyRegister: () => '/auth/passkey/register',
  passkeySignInOptions: () => '/auth/passkey/signin/options',
  passkeySignIn: () => '/auth/passkey/signin',
  renamePasskey: () => '/me/passkeys/rename',
  deletePasskey: () => '/me/passkeys/delete',
};

/** A sign-in secret's shape (core/accounts.ts newSecret): 32 bytes, base64url. */
export const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;
