/**
 * One OutgoingEmail as nodemailer's message options, shared by the SMTP and the .eml-folder
 * mailers so that both write the same headers. Every header value is checked for CR, LF and
 * other control characters first and the message refused (MailError permanent: the same message
 * would be refused again, so retrying it is pointless) rather than cleaned: a CR/LF in a topic
 * or an address is a bug or an attack, and sending a silently altered header hides either.
 */
import type { SendMailOptions } from 'nodemailer';
import { checkEmailAddress } from '../../core/email-address.js';
import { headerProblem } from '../../core/email-format.js';
import { MailError, type OutgoingEmail } from '../../ports/mailer.js';

/** Headers the adapters set themselves from the message's fields; extra headers may not repeat them. */
const RESERVED = new Set(['from', 'to', 'cc', 'bcc', 'subject', 'message-id', 'date', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post', 'mime-version', 'content-type', 'content-transfer-encoding', 'dkim-signature']);

export function mailOptions(m: OutgoingEmail): SendMailOptions {
  const refuse = (why: string): never => {
    throw new MailError('permanent', `message ${m.messageId.slice(0, 120)} refused before sending: ${why}`);
  };
  const check = (name: string, value: string) => {
    const problem = headerProblem(name, value);
    if (problem) refuse(problem);
  };
  check('From', m.from);
  check('To', m.to);
  check('Subject', m.subject);
  check('Message-ID', m.messageId);
  const to = checkEmailAddress(m.to);
  if (!to.ok) refuse(`To is not a usable address: ${to.problem}`);
  if (!/^<[^<>\s]+@[^<>\s]+>$/.test(m.messageId)) refuse('Message-ID is not of the form <left@right>');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    check(name, value);
    if (RESERVED.has(name.toLowerCase())) refuse(`header ${name} is set by the mailer, not as an extra header`);
    headers[name] = value;
  }
  const options: SendMailOptions = {
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    messageId: m.messageId,
    headers,
    // the text parts are mostly Latin script: quoted-printable stays readable, and naming it
    // spares nodemailer a scan of each part to choose (a sixth of a send's CPU in a profile)
    textEncoding: 'quoted-printable',
  };
  const list: NonNullable<SendMailOptions['list']> = {};
  if (m.listUnsubscribe) {
    const { url, mail } = m.listUnsubscribe;
    check('List-Unsubscribe', url);
    check('List-Unsubscribe', mail);
    if (!url.startsWith('https://') && !url.startsWith('http://')) refuse('List-Unsubscribe needs an http(s) URL (RFC 8058)');
    if (!mail.startsWith('mailto:')) refuse('List-Unsubscribe needs a mailto: URL');
    if (/[<>\s,]/.test(url) || /[<>\s,]/.test(mail)) refuse('a List-Unsubscribe URL holds <, >, a comma or white space');
    // one nested array: both URLs in ONE List-Unsubscribe header, as RFC 2369 writes it
    list.unsubscribe = [[url, mail]];
    // RFC 8058 one-click: the https URL answers a POST with no cookie or token
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  if (m.listId !== undefined) {
    check('List-Id', m.listId);
    const parts = /^(?:(.*?)\s*)?<([A-Za-z0-9.-]+)>$/.exec(m.listId.trim());
    if (!parts) refuse(`List-Id ${JSON.stringify(m.listId.slice(0, 120))} is not "description <list.id.domain>"`);
    list.id = { url: parts![2]!, comment: parts![1] ?? '' };
  }
  if (Object.keys(list).length > 0) options.list = list;
  return options;
}
