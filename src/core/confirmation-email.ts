/**
 * The double opt-in email (issue 11): a link to the confirm page (which confirms by POST, so a
 * mail scanner following the link changes nothing), what was asked for, and "if this was not
 * you, ignore it". No List-Unsubscribe: it is not a list message, and ignoring it is enough.
 */
import { createHash } from 'node:crypto';
import type { ComposedEmail } from './digest.js';
import { isNormalisedEmail } from './email-address.js';
import { assertHeadersSafe, assertLink, escapeHtml as e, plainLine, plainTopic } from './email-format.js';

export interface ConfirmationInput {
  subscription: { id: string; email: string; frequency: 'daily' | 'weekly'; topics: readonly string[] };
  /** GET /subscribe/confirm/:token */
  confirmUrl: string;
  /** PUBLIC_URL */
  siteUrl: string;
  /** when it was asked for (ISO): one Message-ID per request, the same if composed again */
  requestedAt: string;
  /** when the link stops working (shown to the reader) */
  expiresAt: Date;
  siteName?: string;
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const WHEN = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function composeConfirmation(input: ConfirmationInput): ComposedEmail {
  const { subscription: sub } = input;
  if (!isNormalisedEmail(sub.email)) throw new RangeError('the subscription address is not a normalised address');
  const site = new URL(assertLink('siteUrl', input.siteUrl));
  const confirmUrl = assertLink('confirmUrl', input.confirmUrl);
  const siteName = plainLine(input.siteName, 'Paperboy');
  const what = askedFor(sub.frequency, sub.topics);
  const until = WHEN.format(input.expiresAt);
  const h = createHash('sha256').update(`${sub.id}\n${input.requestedAt}`).digest('base64url').slice(0, 22);
  const email: ComposedEmail = {
    subject: `Confirm your ${siteName} subscription`,
    text: [
      `Someone, hopefully you, asked to receive ${what} from ${siteName} (${input.siteUrl}) at ${sub.email}.`,
      '',
      `To confirm, open this link and press the button on the page (it works until ${until}):`,
      confirmUrl,
      '',
      'If this was not you, ignore this email: nothing will be sent unless the link is used.',
      '',
    ].join('\n'),
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">
<title>${e(`Confirm your ${siteName} subscription`)}</title></head>
<body style="margin:0;padding:24px 8px;font-family:${FONT};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" border="0" style="width:560px;max-width:100%;"><tr><td style="font-size:15px;line-height:1.55;">
<p style="margin:0 0 12px 0;">Someone, hopefully you, asked to receive ${e(what)} from <a href="${e(input.siteUrl)}">${e(siteName)}</a> at <strong>${e(sub.email)}</strong>.</p>
<p style="margin:0 0 16px 0;">To confirm, open the link and press the button on the page (it works until ${e(until)}):</p>
<p style="margin:0 0 16px 0;"><a href="${e(confirmUrl)}" style="display:inline-block;padding:10px 18px;border-radius:6px;background:#1a5fb4;color:#ffffff;text-decoration:none;">Confirm my subscription</a></p>
<p style="margin:0 0 16px 0;font-size:13px;word-break:break-all;">${e(confirmUrl)}</p>
<p style="margin:0;font-size:13px;">If this was not you, ignore this email: nothing will be sent unless the link is used.</p>
</td></tr></table>
</td></tr></table>
</body></html>
`,
    messageId: `<confirm.${h}@${site.hostname.toLowerCase()}>`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
  assertHeadersSafe(email);
  return email;
}

/** "a daily email of trending papers", "a weekly email of new papers on “x” and “y”" */
function askedFor(frequency: 'daily' | 'weekly', topics: readonly string[]): string {
  if (topics.length === 0) return `a ${frequency} email of trending papers`;
  const quoted = topics.map((t) => `“${plainTopic(t, 80)}”`);
  const list = quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]!}`;
  return `a ${frequency} email of new papers on ${list}`;
}
