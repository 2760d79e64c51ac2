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
