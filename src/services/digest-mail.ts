/**
 * What the digest sender needs to turn an outbox row into an email: its Message-ID (fixed by
 * subscription and period, so a resend is the same message) and its rendering from the papers
 * it carries. The implementation (digest-mail.compose.ts) wraps core/digest.ts and the signed
 * links; the queue, the sender and the dry run all render through here, at send time, from the
 * items reserved at queue time (decision 018).
 */
import type { Paper } from '../core/paper.js';
import type { DigestItem } from '../ports/digest-outbox.js';
import type { OutgoingEmail } from '../ports/mailer.js';
import type { PaperReads } from '../ports/paper-reads.js';
import type { Subscription } from '../ports/subscriptions.js';

export interface DigestToRender {
  subscription: Subscription;
  /** YYYY-MM-DD or YYYY-Www */
  period: string;
  messageId: string;
  /** in the digest's order, each with why it is there */
  papers: { item: DigestItem; paper: Paper }[];
}

export interface DigestMail {
  messageId(subscriptionId: string, period: string): string;
  render(digest: DigestToRender): Promise<OutgoingEmail>;
}

/**
 * Renders a message from its papers, loaded by id (or already loaded: the sender reads a whole
 * claim's at once); null when none of them is left (deleted since it was queued): there is
 * nothing to send.
 */
export async function renderMessage(
  mail: Pick<DigestMail, 'render'>,
  papers: Pick<PaperReads, 'getPapers'> | ReadonlyMap<string, Paper>,
  msg: { subscription: Subscription; period: string; messageId: string; items: readonly DigestItem[] },
): Promise<OutgoingEmail | null> {
  const byId = 'getPapers' in papers ? await papers.getPapers(msg.items.map((i) => i.paperId)) : papers;
  const found = msg.items.flatMap((item) => {
    const paper = byId.get(item.paperId);
    return paper ? [{ item, paper }] : [];
  });
  if (found.length === 0) return null;
  return mail.render({ subscription: msg.subscription, period: msg.period, messageId: msg.messageId, papers: found });
}
