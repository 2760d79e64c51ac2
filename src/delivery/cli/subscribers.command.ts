/**
 * `paperboy subscribers list|export|bounce|unsubscribe`, for operators (issue 11): every
 * subscription in id order (keyset pages, so a large list streams), everything kept about each
 * as JSON lines, marking an address after a bounce or complaint that arrived some other way than
 * the hook, and acting on a mail to the digest's List-Unsubscribe mailto (its subject carries
 * the subscription's unsubscribe token).
 */
import { PaperboyError } from '../../core/errors.js';
import { unsubscribeTokenIn } from '../../core/subscription-links.js';
import { verifyToken } from '../../core/tokens.js';
import type { Inbox } from '../../ports/paper-store.js';
import type { AddressMark, Subscription } from '../../ports/subscriptions.js';
import { linkKey } from '../../services/link-tokens.js';
import type { Io } from './main.js';

const PAGE = 1000;

async function* everySubscription(inbox: Pick<Inbox, 'allSubscriptions'>): AsyncGenerator<Subscription> {
  let after = '';
  for (;;) {
    const page = await inbox.allSubscriptions(after, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}

export async function runSubscribersList(inbox: Inbox, opts: { json?: boolean }, io: Io): Promise<number> {
  let n = 0;
  if (opts.json) io.stdout.write('[');
  for await (const s of everySubscription(inbox)) {
    if (opts.json) io.stdout.write(`${n > 0 ? ',' : ''}\n${JSON.stringify(s)}`);
    else io.stdout.write(`${s.id}  ${s.status.padEnd(12)} ${s.frequency.padEnd(6)} ${s.email}  ${s.topics.length > 0 ? s.topics.map((t) => JSON.stringify(t)).join(' ') : '(trending)'}\n`);
    n++;
  }
  if (opts.json) io.stdout.write(n > 0 ? '\n]\n' : ']\n');
  else if (io.stdout.isTTY) io.stdout.write(`${n} subscription(s)\n`);
  return 0;
}

/** One JSON line per subscription: the subscription, its address's marks, and its messages. */
export async function runSubscribersExport(inbox: Inbox, io: Io): Promise<number> {
  for await (const subscription of everySubscription(inbox)) {
    const [address, messages] = await Promise.all([inbox.addressState(subscription.email), inbox.messagesOf(subscription.id)]);
    io.stdout.write(JSON.stringify({ subscription, address, messages }) + '\n');
  }
  return 0;
}

export async function runSubscribersBounce(inbox: Inbox, email: string, opts: { soft?: boolean; complaint?: boolean }, io: Io): Promise<number> {
  const kind: AddressMark = opts.complaint ? 'complaint' : opts.soft ? 'soft-bounce' : 'hard-bounce';
  const state = await inbox.markAddress(email, kind, 'marked by an operator (paperboy subscribers bounce)', new Date().toISOString());
  io.stdout.write(`${state.email}: ${kind} recorded; ${state.suppressed ? 'nothing more is sent to it' : 'still receiving (a soft bounce alone does not stop sending)'}\n`);
  return 0;
}

/**
 * A mail to the List-Unsubscribe mailto: the subscription its token names leaves (that one
 * only; the address's other subscriptions stay). The token must be signed with the site's link
 * key (PAPERBOY_SECRET, else the database's), as the web's one-click unsubscribe checks it; one
 * past its expiry is honoured still, and said so: its signature proves we sent it for that
 * subscription, and leaving is what its holder asks. Again: a no-op, said so.
 */
export async function runSubscribersUnsubscribe(inbox: Inbox, secret: string | null | undefined, subject: string, io: Io, now = new Date()): Promise<number> {
  const found = unsubscribeTokenIn(subject);
  const quoted = JSON.stringify(subject.slice(0, 200));
  if ('problem' in found) throw new PaperboyError('INPUT_UNUSABLE', `subscribers unsubscribe: ${quoted}: ${found.problem}`);
  const checked = verifyToken(await linkKey(secret, inbox)(), found.token, 'unsubscribe', now);
  if (!checked.ok && checked.reason === 'invalid')
    throw new PaperboyError(
      'INPUT_UNUSABLE',
      `subscribers unsubscribe: ${quoted}: the token is not one of this site's unsubscribe tokens (a different PAPERBOY_SECRET or database, or altered)`,
    );
  const expired = !checked.ok ? ` (its link expired on ${checked.exp.toISOString().slice(0, 10)}; honoured: the signature is ours)` : '';
  const s = await inbox.subscription(checked.sub);
  if (!s) {
    io.stdout.write(`subscription ${checked.sub}: no longer exists (its data was deleted); nothing is sent to it${expired}\n`);
    return 0;
  }
  if (s.status === 'unsubscribed') {
    io.stdout.write(`${s.email}: ${describe(s)} was already unsubscribed${expired}\n`);
    return 0;
  }
  const left = await inbox.update(s.id, { status: 'unsubscribed' }, now.toISOString());
  if (!left) throw new PaperboyError('NOT_FOUND', `subscribers unsubscribe: subscription ${s.id} was deleted meanwhile`);
  io.stdout.write(`${left.email}: ${describe(left)} unsubscribed${expired}\n`);
  return 0;
}

function describe(s: Subscription): string {
  return `the ${s.frequency} ${s.topics.length > 0 ? `alert on ${s.topics.map((t) => JSON.stringify(t)).join(', ')}` : 'trending digest'} (subscription ${s.id})`;
}
