/**
 * The plain-text part of a digest, laid out like the daily pages it stands for (../shared/seeds):
 * the date, then each paper's title, link and abstract, then how to change or stop the emails.
 * Every string in it is already one clean line or paragraph (email-format.ts): a title cannot
 * start a line of its own that looks like ours.
 */
import type { DigestModel } from './digest.js';

export function digestText(m: DigestModel): string {
  const out: string[] = [m.heading, '', m.intro, ''];
  if (m.links.preview) out.push(`View it in your browser: ${m.links.preview}`, '');
  m.papers.forEach((p, i) => {
    out.push(`${i + 1}. ${p.title}`, p.url, `Why: ${p.why}`);
    if (p.authors) out.push(`By ${p.authors}`);
    out.push('');
    for (const para of p.abstract) out.push(para, '');
  });
  out.push(
    '--',
    `You get this email because ${m.email} subscribed at ${m.siteUrl}.`,
    `Change what you get: ${m.links.manage}`,
    `Unsubscribe: ${m.links.unsubscribe}`,
    '',
  );
  return out.join('\n');
}
