/**
 * The subscription pages (issue 11): the subscribe form (in every listing's hero, as "alert me"
 * on a search page, and on its own page), "check your inbox", the confirm page with its button,
 * the preferences page, the unsubscribe confirm page and what follows, and the page for a link
 * that can't be used. Every address and topic shown is the reader's own text: escaped by `html`.
 * Forms post to the URL of the page they are on: the token in it is the capability.
 */
import { subscriptionPaths as paths } from '../../../core/subscription-links.js';
import type { Subscription } from '../../../ports/subscriptions.js';
import { MAX_TOPIC_LENGTH } from '../../../services/subscription-input.js';
import { describeSubscription } from '../../../services/subscription-mail.js';
import type { ManagedSubscription } from '../../../services/subscription.service.js';
import { urls } from '../urls.js';
import { html, type Html } from './html.js';
import { capitalise } from '../../../core/text.js';

export interface SubscribeFormOptions {
  /** prefix of the element ids, unique on its page */
  id: string;
  /** subscribing is on (SMTP_URL set) */
  enabled: boolean;
  /** the topic filled in (a search page's query; a refused form's value) */
  topic?: string;
  email?: string;
  frequency?: string;
  /** the form's heading */
  title: string;
  /** the topic field shown open (alerts), rather than folded away under "Only papers about a topic" */
  topicOpen?: boolean;
  /** the search mode of the page the alert comes from, sent with the form */
  mode?: string;
}

const off = (id: string, title: string) => html`<div class="subscribe" id="${id}">
<p class="subscribe-title">${title}</p>
<p class="subscribe-note">Email subscriptions are off on this site. Follow the <a href="${urls.latestFeed('rss')}">RSS feed</a> instead.</p>
</div>`;

export function subscribeForm(o: SubscribeFormOptions): Html {
  if (!o.enabled) return off(o.id, o.title);
  const id = o.id;
  const topic = html`<label for="${id}-topic">Topic, as a search (optional): diffusion, "kv cache", cat:cs.CL</label>
<input id="${id}-topic" name="topic" type="text" value="${o.topic ?? ''}" maxlength="${MAX_TOPIC_LENGTH}" dir="auto">`;
  return html`<form class="subscribe" method="post" action="${paths.subscribe()}" aria-labelledby="${id}-title">
<p class="subscribe-title" id="${id}-title">${o.title}</p>
<div class="subscribe-fields">
<label for="${id}-email" class="visually-hidden">Email address</label>
<input id="${id}-email" name="email" type="email" required autocomplete="email" maxlength="254" placeholder="you@example.org" value="${o.email ?? ''}" aria-describedby="${id}-note">
<label for="${id}-frequency" class="visually-hidden">How often</label>
<select id="${id}-frequency" name="frequency"><option value="daily">Daily</option><option value="weekly"${o.frequency === 'weekly' ? ' selected' : ''}>Weekly</option></select>
<button type="submit">Subscribe</button>
</div>
${o.topicOpen ? html`<div class="subscribe-topic">${topic}</div>` : html`<details class="subscribe-topic"><summary>Only papers about a topic</summary>${topic}</details>`}
${o.mode ? html`<input type="hidden" name="mode" value="${o.mode}">` : ''}
<p class="subscribe-note" id="${id}-note">We email a link to confirm; nothing is sent before you press Confirm. Every email has a one-click unsubscribe.</p>
</form>`;
}

/** The form on a page of its own: GET /subscribe, and a refused form with what to change. */
export function subscribePageMain(o: Omit<SubscribeFormOptions, 'id' | 'title'> & { problem?: string }): Html {
  return html`<section class="notice" aria-labelledby="subscribe-page-title">
<h1 id="subscribe-page-title">Subscribe</h1>
${o.problem ? html`<p class="form-problem" role="alert">${o.problem}</p>` : ''}
${subscribeForm({ ...o, id: 'subscribe-page', title: 'Trending papers, or new papers on a topic, by email', topicOpen: true })}
</section>`;
}

export function checkInboxMain(): Html {
  return notice('Check your inbox', [
    html`<p>If the address can receive our email, a message is on its way to it. Open the link in it and press <strong>Confirm</strong> to start receiving papers.</p>`,
    html`<p>Nothing arrives? Look in the spam folder; the link works for 7 days. Nothing is sent to the address until it is confirmed.</p>`,
    html`<p><a href="${urls.home()}">Back to the latest papers</a></p>`,
  ]);
}

export function subscriptionsOffMain(): Html {
  return notice('Subscriptions are off', [
    html`<p>Email subscriptions are not switched on on this site, so nothing was stored.</p>`,
    html`<p>The <a href="${urls.latestFeed('rss')}">RSS feed</a> brings the newest papers to your feed reader.</p>`,
  ]);
}

export function confirmMain(s: Subscription, token: string): Html {
  if (s.status === 'unsubscribed') return unsubscribedMain(s);
  const done = s.status !== 'pending';
  return notice(done ? 'Already confirmed' : 'Confirm your subscription', [
    html`<p>${done ? 'This subscription is already confirmed' : 'Press Confirm to receive'} ${describeSubscription(s)} at <strong>${s.email}</strong>.</p>`,
    html`<form method="post" action="${paths.confirm(token)}"><button type="submit">Confirm</button></form>`,
  ]);
}

export function confirmedMain(m: ManagedSubscription): Html {
  return notice('You are subscribed', [
    html`<p>${capitalise(describeSubscription(m.subscription))} will come to <strong>${m.subscription.email}</strong>, starting with the next ${m.subscription.frequency === 'daily' ? 'day' : 'week'} that has papers.</p>`,
    html`<p>Every email has links to your preferences and to unsubscribe in one click. <a href="${paths.manage(m.manageToken)}">Your preferences</a></p>`,
  ]);
}

export function unsubscribeConfirmMain(s: Subscription, token: string): Html {
  if (s.status === 'unsubscribed') return unsubscribedMain(s);
  return notice('Unsubscribe?', [
    html`<p>Stop sending ${describeSubscription(s)} to <strong>${s.email}</strong>? Other subscriptions of the address are not touched.</p>`,
    html`<form method="post" action="${paths.unsubscribe(token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
  ]);
}

export function unsubscribedMain(s: Subscription): Html {
  return notice('You are unsubscribed', [
    html`<p>No more ${describeSubscription(s)} will be sent to <strong>${s.email}</strong>.</p>`,
    html`<p>Changed your mind? <a href="${subscribeAgain(s)}">Subscribe again</a>.</p>`,
  ]);
}

export function deletedMain(): Html {
  return notice('Your data is deleted', [
    html`<p>The subscription, its topics and the record of what was sent to it are gone. Nothing more will be sent for it.</p>`,
    html`<p><a href="${paths.subscribe()}">Subscribe again</a> · <a href="${urls.home()}">The latest papers</a></p>`,
  ]);
}

/** A link that can't be used: what happened, and the way to subscribe again. */
export function linkProblemMain(reason: 'expired' | 'invalid' | 'gone'): Html {
  const text = {
    expired: ['This link has expired', 'Links in emails work for a limited time. The newest email from us has fresh ones; or subscribe again.'],
    invalid: ['This link is not valid', 'It may have been cut or changed when it was copied. Try the link from the email again, whole; or subscribe again.'],
    gone: ['This subscription no longer exists', 'It was deleted, or never confirmed and expired. You can subscribe again.'],
  }[reason];
  return notice(text[0]!, [html`<p>${text[1]}</p>`, html`<p><a href="${paths.subscribe()}">Subscribe again</a> · <a href="${urls.home()}">The latest papers</a></p>`]);
}

function subscribeAgain(s: Subscription): string {
  const q = new URLSearchParams({ frequency: s.frequency, ...(s.topics[0] ? { topic: s.topics[0] } : {}) });
  return `${paths.subscribe()}?${q.toString()}`;
}

function notice(title: string, body: Html[]): Html {
  return html`<section class="notice" aria-labelledby="sub-title">
<h1 id="sub-title">${title}</h1>
${body}
</section>`;
}


export function mailDownMain(): Html {
  return notice('The email could not be sent just now', [
    html`<p>Our mail server did not take the message. Nothing needs doing on your side: please try again in a few minutes.</p>`,
    html`<p><a href="${urls.home()}">Back to the latest papers</a></p>`,
  ]);
}

export function nothingToPreviewMain(m: ManagedSubscription): Html {
  return notice('Nothing to send right now', [
    html`<p>There is no new paper for ${describeSubscription(m.subscription)} that was not already sent to you, so no digest would go out now. Empty digests are never sent.</p>`,
    html`<p><a href="${paths.manage(m.manageToken)}">Back to your preferences</a></p>`,
  ]);
}
