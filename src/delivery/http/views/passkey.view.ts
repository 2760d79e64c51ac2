/**
 * The passkey parts of the account pages (decision 034): the "Sign in with a passkey" button of
 * the sign-in page, and the profile's list of passkeys with rename and delete forms and the "Add
 * a passkey" button. The buttons are hidden in the page: public/passkeys.js shows them where the
 * browser has WebAuthn (a script API), and carries the CSRF token (`data-csrf`) to the JSON
 * endpoints. Names are the reader's own text, escaped by `html`.
 */
import { accountPaths as paths } from '../../../core/account-links.js';
import { MAX_DISPLAY_NAME } from '../../../core/accounts.js';
import type { PasskeyInfo } from '../../../services/passkey.service.js';
import { html, type Html } from './html.js';

/** The scripts, at the end of the part that uses them (no inline script: the CSP forbids it). */
function scripts(urls: readonly string[]): Html {
  return html`${urls.map((src) => html`<script src="${src}" defer></script>`)}`;
}

/** The sign-in page's passkey button; `token` is a CSRF token made for this page. */
export function passkeySignIn(token: string, scriptUrls: readonly string[]): Html {
  return html`<div class="passkey-sign-in" data-passkey-sign-in data-options="${paths.passkeySignInOptions()}" data-verify="${paths.passkeySignIn()}" hidden>
<p>Or, if you added a passkey to your account:</p>
<button type="button" data-passkey="sign-in" data-csrf="${token}">Sign in with a passkey</button>
<p class="form-problem" role="alert" data-passkey-problem hidden></p>
</div>
${scripts(scriptUrls)}`;
}

/** The profile's passkeys section; `csrf` is the forms' hidden field, `token` the same token for the script. */
export function passkeysSection(o: { passkeys: PasskeyInfo[]; csrf: Html; token: string; scriptUrls: readonly string[] }): Html {
  const form = (action: string, body: Html) => html`<form method="post" action="${action}" class="inline">${o.csrf}${body}</form>`;
  return html`<h2>Passkeys</h2>
<p>A passkey signs you in with this device's lock (fingerprint, face or PIN) or a password manager, without an email.</p>
${o.passkeys.length
  ? html`<ul class="profile-passkeys">${o.passkeys.map(
      (p, i) => html`<li><span class="passkey-name">${p.name}</span>, added ${p.createdAt.slice(0, 10)}, ${p.lastUsedAt ? `last used ${p.lastUsedAt.slice(0, 10)}` : 'not used yet'}
${form(paths.renamePasskey(), html`<input type="hidden" name="id" value="${p.id}"><label for="passkey-name-${i}" class="visually-hidden">New name for ${p.name}</label><input id="passkey-name-${i}" name="name" type="text" required maxlength="${MAX_DISPLAY_NAME}" value="${p.name}" dir="auto"><button type="submit">Rename</button>`)}
${form(paths.deletePasskey(), html`<input type="hidden" name="id" value="${p.id}"><button type="submit" aria-label="Delete the passkey ${p.name}">Delete</button>`)}</li>`,
    )}</ul>`
  : html`<p>You have no passkeys.</p>`}
<div class="passkey-register" data-passkey-register data-options="${paths.passkeyRegisterOptions()}" data-verify="${paths.passkeyRegister()}" hidden>
<label for="new-passkey-name">Name of a new passkey (optional)</label>
<input id="new-passkey-name" name="passkeyName" type="text" maxlength="${MAX_DISPLAY_NAME}" placeholder="my laptop">
<button type="button" data-passkey="register" data-csrf="${o.token}">Add a passkey</button>
<p class="form-problem" role="alert" data-passkey-problem hidden></p>
</div>
<p class="subscribe-note" data-passkey-unsupported>Adding a passkey needs JavaScript and a browser that supports passkeys.</p>
${scripts(o.scriptUrls)}`;
}
