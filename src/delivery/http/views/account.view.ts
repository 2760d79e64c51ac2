/**
 * The account pages (issue 13): the sign-in form, "check your inbox", the sign-in link's page
 * with its button (a GET never signs in: mail scanners follow links), the profile (display
 * name, the address's subscriptions, export, sign out here or everywhere, delete), and the page
 * for a link that can't be used. Addresses and names are the reader's own text: escaped by
 * `html`. Every form carries its CSRF token (`csrf`, from csrf.ts).
 */
import { accountPaths as paths } from '../../../core/account-links.js';
import { MAX_DISPLAY_NAME } from '../../../core/accounts.js';
import { libraryPaths } from '../../../core/library-links.js';
import { subscriptionPaths } from '../../../core/subscription-links.js';
import type { AccessToken } from '../../../ports/access-tokens.js';
import type { Subscription } from '../../../ports/subscriptions.js';
import { describeSubscription } from '../../../services/subscription-mail.js';
import { urls } from '../urls.js';
import type { Viewer } from '../viewer.js';
import { html, type Html } from './html.js';
import { capitalise } from '../../../core/text.js';

export function signInMain(o: { csrf: Html; enabled: boolean; email?: string; problem?: string; /** the passkey button (passkey.view.ts) */ passkey?: Html }): Html {
  // without email a passkey added earlier still signs in (decision 034): the page offers it alone
  if (!o.enabled && o.passkey)
    return notice('Sign in', [html`<p>Signing in by email is not switched on on this site: sign in with a passkey you added to your account.</p>`, o.passkey]);
  if (!o.enabled)
    return notice('Signing in is off', [html`<p>Signing in needs email, which is not switched on on this site.</p>`, html`<p><a href="${urls.home()}">The latest papers</a></p>`]);
  return notice('Sign in', [
    o.problem ? html`<p class="form-problem" role="alert">${o.problem}</p>` : '',
    html`<form class="sign-in" method="post" action="${paths.signIn()}">${o.csrf}
<label for="signin-email">Email address</label>
<input id="signin-email" name="email" type="email" required autocomplete="email" maxlength="254" placeholder="you@example.org" value="${o.email ?? ''}">
<button type="submit">Email me a sign-in link</button>
</form>`,
    html`<p class="subscribe-note">No password: we email you a link that signs you in once. Your first sign-in makes your account.</p>`,
    o.passkey ?? '',
  ]);
}

export function checkInboxMain(): Html {
  return notice('Check your inbox', [
    html`<p>If the address can receive our email, a sign-in link is on its way to it. Open it and press <strong>Sign in</strong>.</p>`,
    html`<p>The link works once, for 15 minutes. Nothing arrives? Look in the spam folder, or ask for another link.</p>`,
    html`<p><a href="${paths.signIn()}">Ask again</a> · <a href="${urls.home()}">The latest papers</a></p>`,
  ]);
}

export function linkPageMain(secret: string, csrf: Html): Html {
  return notice('Sign in to Paperboy', [
    html`<p>Press the button to sign in on this browser.</p>`,
    html`<form method="post" action="${paths.link(secret)}">${csrf}<button type="submit">Sign in</button></form>`,
  ]);
}

export function linkProblemMain(): Html {
  return notice('This sign-in link cannot be used', [
    html`<p>It has been used already, or it has expired (links work once, for 15 minutes), or it was cut when it was copied.</p>`,
    html`<p><a href="${paths.signIn()}">Ask for a new link</a></p>`,
  ]);
}

/** What the last form on the profile did, as ?done= says. */
export const PROFILE_DONE = {
  renamed: 'Your display name is changed.',
  revoked: 'The token is revoked.',
  'passkey-added': 'Your passkey is added: you can sign in with it now.',
  'passkey-renamed': 'The passkey is renamed.',
  'passkey-deleted': 'The passkey is deleted. Remove it from your device or password manager too.',
} as const;
export type ProfileDone = keyof typeof PROFILE_DONE;

export interface ProfileData {
  viewer: Viewer;
  subscriptions: Subscription[];
  tokens: AccessToken[];
  csrf: Html;
  problem?: string;
  done?: ProfileDone | null;
  /** the passkeys section (passkey.view.ts), when passkeys are wired */
  passkeys?: Html;
  /** a token just made: shown this once */
  newToken?: string;
}

export function profileMain(d: ProfileData): Html {
  const v = d.viewer;
  const form = (action: string, body: Html | string, cls = '') => html`<form method="post" action="${action}"${cls ? html` class="${cls}"` : ''}>${d.csrf}${body}</form>`;
  return html`<section class="notice profile" aria-labelledby="profile-title">
<h1 id="profile-title">Your account</h1>
${d.problem ? html`<p class="form-problem" role="alert">${d.problem}</p>` : ''}
${d.done ? html`<p class="form-done" role="status">${PROFILE_DONE[d.done]}</p>` : ''}
<p>Signed in as <strong class="profile-name">${v.displayName}</strong> (<span class="profile-email">${v.email}</span>)${v.role === 'reader' ? '' : html`, ${v.role}`}. Member since ${v.createdAt.slice(0, 10)}.</p>
<h2>Display name</h2>
${form(paths.me(), html`<label for="display-name">Shown with your votes and comments</label>
<input id="display-name" name="displayName" type="text" required maxlength="${MAX_DISPLAY_NAME}" value="${v.displayName}" dir="auto">
<button type="submit">Save</button>`)}
<h2>API access tokens</h2>
${d.newToken ? html`<p class="form-done" role="status">Your new token (copy it now: it is not shown again): <code class="new-token">${d.newToken}</code></p>` : ''}
<p>Send one as <code>Authorization: Bearer …</code> to the API to act as you.</p>
${d.tokens.length ? html`<ul class="profile-tokens">${d.tokens.map((t) => html`<li><span class="token-name">${t.name}</span>, made ${t.createdAt.slice(0, 10)} ${form(paths.revokeToken(), html`<input type="hidden" name="id" value="${t.id}"><button type="submit">Revoke</button>`, 'inline')}</li>`)}</ul>` : ''}
${form(paths.tokens(), html`<label for="token-name">Name of a new token</label>
<input id="token-name" name="name" type="text" required maxlength="${MAX_DISPLAY_NAME}" placeholder="my script">
<button type="submit">Make a token</button>`)}
<h2>Your papers</h2>
<p><a href="${libraryPaths.library()}">Your library and collections</a> · <a href="${libraryPaths.submit()}">Submit a paper</a></p>
${d.passkeys ?? ''}
<h2>Email subscriptions</h2>
${subscriptionsList(d.subscriptions)}
<h2>Your data</h2>
<p><a href="${paths.export()}" download>Export my data (JSON)</a></p>
${form(paths.signOut(), html`<button type="submit">Sign out</button>`, 'inline')}
${form(paths.signOutEverywhere(), html`<button type="submit">Sign out everywhere</button>`, 'inline')}
<h2>Delete my account</h2>
<p>Your account, its sessions, its API access tokens, its passkeys, your library and your collections are deleted. Your votes stay as anonymous counts; your comments and the papers you submitted stay, shown without your name. Email subscriptions of your address are not touched (each has its own “delete my data”).</p>
${form(paths.delete(), html`<label><input type="checkbox" name="sure" value="yes" required> I want my account deleted</label>
<button type="submit">Delete my account</button>`)}
</section>`;
}

function subscriptionsList(subs: Subscription[]): Html {
  const live = subs.filter((s) => s.status !== 'unsubscribed');
  if (live.length === 0) return html`<p>None for this address. <a href="${subscriptionPaths.subscribe()}">Subscribe</a></p>`;
  return html`<ul class="profile-subscriptions">${live.map((s) => html`<li>${capitalise(describeSubscription(s))}: ${s.status}</li>`)}</ul>
<p class="subscribe-note">Each email we send has the link to its preferences and to unsubscribe.</p>`;
}

export function deletedMain(): Html {
  return notice('Your account is deleted', [html`<p>Your account and its sessions are gone.</p>`, html`<p><a href="${urls.home()}">The latest papers</a></p>`]);
}

export function signedOutMain(everywhere: number | null): Html {
  return notice('You are signed out', [
    html`<p>${everywhere === null ? 'You are signed out on this browser.' : `You are signed out everywhere (${everywhere} session${everywhere === 1 ? '' : 's'} ended).`}</p>`,
    html`<p><a href="${paths.signIn()}">Sign in again</a> · <a href="${urls.home()}">The latest papers</a></p>`,
  ]);
}

function notice(title: string, body: (Html | string)[]): Html {
  return html`<section class="notice" aria-labelledby="account-title">
<h1 id="account-title">${title}</h1>
${body}
</section>`;
}

