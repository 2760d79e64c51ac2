/**
 * A subscription's preferences page (issue 11), reached through its manage link: how often,
 * the topics (add, edit, remove), pause or resume, unsubscribe, preview the next digest, export
 * and delete one's data. GET shows; every form POSTs to this same URL with an `action`, and the
 * answer comes back here (303) with what was done, or with what to change (400).
 */
import { subscriptionPaths as paths } from '../../../core/subscription-links.js';
import { MAX_TOPIC_LENGTH, MAX_TOPICS } from '../../../services/subscription-input.js';
import { describeSubscription } from '../../../services/subscription-mail.js';
import type { ManagedSubscription } from '../../../services/subscription.service.js';
import { html, type Html } from './html.js';
import { capitalise } from '../../../core/text.js';

/** What a POST did, shown after its redirect (?done=…). */
export const DONE_MESSAGES = {
  frequency: 'How often is saved.',
  'add-topic': 'The topic is added.',
  'edit-topic': 'The topic is saved.',
  'remove-topic': 'The topic is removed.',
  pause: 'Paused: nothing is sent until you resume.',
  resume: 'Resumed.',
  unsubscribe: 'Unsubscribed: nothing more is sent for this subscription.',
} as const;
export type DoneKey = keyof typeof DONE_MESSAGES;

const STATUS: Record<string, string> = { pending: 'waiting for confirmation', active: 'active', paused: 'paused', unsubscribed: 'unsubscribed' };

export function preferencesMain(m: ManagedSubscription, o: { done?: DoneKey | null; problem?: string | null } = {}): Html {
  const s = m.subscription;
  const action = paths.manage(m.manageToken);
  const form = (act: string, body: Html | string, cls = '') => html`<form method="post" action="${action}"${cls ? html` class="${cls}"` : ''}><input type="hidden" name="action" value="${act}">${body}</form>`;
  const left = s.status === 'unsubscribed';
  return html`<section class="prefs" aria-labelledby="prefs-title">
<h1 id="prefs-title">Your subscription</h1>
${o.done ? html`<p class="notice" role="status">${DONE_MESSAGES[o.done]}</p>` : ''}
${o.problem ? html`<p class="form-problem" role="alert">${o.problem}</p>` : ''}
<p>${capitalise(describeSubscription(s))} to <strong>${s.email}</strong>: <span class="prefs-status">${STATUS[s.status] ?? s.status}</span>.</p>
${m.suppressed ? html`<p class="form-problem">Email to this address bounced or was reported as unwanted, so nothing is sent to it.</p>` : ''}
${left ? html`<p><a href="${paths.subscribe()}">Subscribe again</a></p>` : html`
<h2>How often</h2>
${form(
  'frequency',
  html`<fieldset><legend class="visually-hidden">How often</legend>
<label><input type="radio" name="frequency" value="daily"${s.frequency === 'daily' ? ' checked' : ''}> Daily</label>
<label><input type="radio" name="frequency" value="weekly"${s.frequency === 'weekly' ? ' checked' : ''}> Weekly</label>
<button type="submit">Save</button></fieldset>`,
)}
<h2>Topics</h2>
<p>${s.topics.length === 0 ? 'No topic: you receive the trending papers.' : 'You receive the new papers that match any of these searches.'} A topic is a search, as in the search box (at most ${MAX_TOPICS}).</p>
${s.topics.length > 0 ? html`<ul class="prefs-topics">${s.topics.map((t, i) => topicRow(form, t, i))}</ul>` : ''}
${s.topics.length < MAX_TOPICS ? form('add-topic', html`<label for="add-topic">Add a topic</label> <input id="add-topic" name="topic" type="text" required maxlength="${MAX_TOPIC_LENGTH}" dir="auto"> <button type="submit">Add</button>`, 'prefs-row') : ''}
<h2>Pause or leave</h2>
<div class="prefs-row">
${s.status === 'paused' ? form('resume', html`<button type="submit">Resume</button>`) : form('pause', html`<button type="submit">Pause</button>`)}
${form('unsubscribe', html`<button type="submit">Unsubscribe</button>`)}
</div>`}
<h2>Your data</h2>
<ul class="prefs-data">
${left ? '' : html`<li><a href="${paths.preview(m.manageToken)}">Preview my digest</a>: what would be sent now</li>`}
<li><a href="${paths.export(m.manageToken)}" download="paperboy-subscription.json">Export my data</a> (JSON: the subscription, the emails sent, the address's bounces)</li>
</ul>
${form(
  'delete',
  html`<fieldset><legend>Delete my data</legend>
<label><input type="checkbox" name="sure" value="yes" required> Delete this subscription and the record of what was sent to it, for good</label>
<button type="submit">Delete my data</button></fieldset>`,
)}
</section>`;
}

function topicRow(form: (act: string, body: Html) => Html, topic: string, i: number): Html {
  return html`<li class="prefs-row">
${form('edit-topic', html`<input type="hidden" name="index" value="${i}"><label for="topic-${i}" class="visually-hidden">Topic ${i + 1}</label><input id="topic-${i}" name="topic" type="text" value="${topic}" required maxlength="${MAX_TOPIC_LENGTH}" dir="auto"> <button type="submit">Save<span class="visually-hidden"> topic ${i + 1}</span></button>`)}
${form('remove-topic', html`<input type="hidden" name="index" value="${i}"><button type="submit">Remove<span class="visually-hidden"> topic ${i + 1}</span></button>`)}
</li>`;
}

