/**
 * `paperboy subscribers list|export|bounce`, for operators (issue 11): every subscription in id
 * order (keyset pages, so a large list streams), everything kept about each as JSON lines, and
 * marking an address after a bounce or complaint that arrived some other way than the hook.
 */
import type { Inbox } from '../../ports/paper-store.js';
import type { AddressMark, Subscription } from '../../ports/subscriptions.js';
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
