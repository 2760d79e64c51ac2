/**
 * The addresses of the pages a subscription's links lead to (issue 11): the confirm page, the
 * preferences page and its preview and export, and the one-click unsubscribe (RFC 8058). One
 * place, so that the emails (core/digest.ts's inputs), the web routes and the pages agree. A
 * token is base64url and dots, so it goes into a path as it is; it is still encoded, in case.
 */

export const subscriptionPaths = {
  subscribe: () => '/subscribe',
  /** where the form sends the reader after subscribing, whatever the address */
  checkInbox: () => '/subscribe/check',
  confirm: (token: string) => `/subscribe/confirm/${encodeURIComponent(token)}`,
  manage: (token: string) => `/subscriptions/${encodeURIComponent(token)}`,
  preview: (token: string) => `/subscriptions/${encodeURIComponent(token)}/preview`,
  export: (token: string) => `/subscriptions/${encodeURIComponent(token)}/export`,
  unsubscribe: (token: string) => `/unsubscribe/${encodeURIComponent(token)}`,
  mailHook: () => '/hooks/mail',
};

/** An absolute link on the site's public address (which may carry a path prefix). */
export function linkOn(publicUrl: string, path: string): string {
  return publicUrl.replace(/\/+$/, '') + path;
}

/**
 * The List-Unsubscribe mailto: MAIL_FROM's address (`Name <addr>` or a bare one), with the
 * unsubscribe token in the subject, so that an operator whose mailbox receives these can act on
 * them (`paperboy subscribers unsubscribe "<subject>"`).
 */
export function unsubscribeMailto(from: string, unsubscribeToken: string): string {
  const mailbox = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  return `mailto:${mailbox}?subject=${encodeURIComponent(`unsubscribe ${unsubscribeToken}`)}`;
}

/** A link token's shape (core/tokens.ts): base64url id, base-36 expiry, base64url HMAC-SHA256. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[0-9a-z]{1,12}\.[A-Za-z0-9_-]{43}$/;
const MAX_SUBJECT = 2000;

/**
 * The unsubscribe token in what an operator's mailbox received on the List-Unsubscribe mailto:
 * the subject ("unsubscribe TOKEN", perhaps "Re: …" or still percent-encoded), the whole mailto
 * URL, or the bare token. The token or, when there is not exactly one, why.
 */
export function unsubscribeTokenIn(text: string): { token: string } | { problem: string } {
  if (text.length > MAX_SUBJECT) return { problem: `it is ${text.length} characters long; a subject with a token is under ${MAX_SUBJECT}` };
  let decoded = text;
  if (/%[0-9A-Fa-f]{2}/.test(text))
    try {
      decoded = decodeURIComponent(text);
    } catch {
      // not percent-encoding after all: the text as it is
    }
  const found = [...new Set(decoded.split(/[\s<>"'=?&,;:]+/).filter((w) => TOKEN_SHAPE.test(w)))];
  if (found.length === 0) return { problem: 'it holds no unsubscribe token (expected a subject such as "unsubscribe <token>", as the digest\'s mailto link writes it)' };
  if (found.length > 1) return { problem: `it holds ${found.length} different tokens; give one` };
  return { token: found[0]! };
}
