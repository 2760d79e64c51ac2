// Passkeys (decision 034), on the two pages that offer them: "Sign in with a passkey" on the
// sign-in page, "Add a passkey" on the profile. WebAuthn is a script API, so these buttons are
// hidden in the page and shown here when the browser has it; renaming and deleting a passkey are
// plain forms. @simplewebauthn/browser (loaded just before, as window.SimpleWebAuthnBrowser)
// turns the server's JSON options into navigator.credentials calls and the answers back into
// JSON. Each request carries the page's CSRF token in X-CSRF-Token.
/* global document, window, fetch */
(() => {
  const lib = window.SimpleWebAuthnBrowser;
  const supported = Boolean(lib && lib.browserSupportsWebAuthn());
  for (const el of document.querySelectorAll('[data-passkey-unsupported]')) el.hidden = supported;
  if (!supported) return;

  // a JSON POST to the site; resolves to the answer's body, or throws an Error with the message the server wrote
  const post = async (url, csrf, body) => {
    const res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body ?? {}),
    });
    let data = null;
    try {
      data = await res.json();
    } catch {
      // not JSON: a proxy's page, say
    }
    if (!res.ok) throw new Error((data && data.error && data.error.message) || `The server answered ${res.status}. Reload the page and try again.`);
    return data;
  };

  // what the browser's own refusals mean to the reader (the prompt cancelled, no passkey for this site…)
  const explain = (e) => {
    if (e && e.name === 'NotAllowedError') return 'The passkey prompt was closed or timed out, or no passkey for this site was chosen. Try again.';
    if (e && e.name === 'InvalidStateError') return 'This device holds a passkey for your account already.';
    return (e && e.message) || 'Something went wrong with the passkey. Try again.';
  };

  const wire = (block, run) => {
    const button = block.querySelector('button[data-passkey]');
    const problem = block.querySelector('[data-passkey-problem]');
    block.hidden = false;
    button.addEventListener('click', async () => {
      button.disabled = true;
      problem.hidden = true;
      try {
        await run(button.getAttribute('data-csrf'), block);
      } catch (e) {
        problem.textContent = explain(e);
        problem.hidden = false;
        button.disabled = false;
      }
    });
  };

  // each block names its two endpoints (data-options, data-verify); the server says where to go next
  for (const block of document.querySelectorAll('[data-passkey-sign-in]'))
    wire(block, async (csrf) => {
      const { options } = await post(block.getAttribute('data-options'), csrf);
      const response = await lib.startAuthentication({ optionsJSON: options });
      const done = await post(block.getAttribute('data-verify'), csrf, { response });
      window.location.assign(done.location);
    });

  for (const block of document.querySelectorAll('[data-passkey-register]'))
    wire(block, async (csrf) => {
      const name = block.querySelector('input[name="passkeyName"]');
      const { options } = await post(block.getAttribute('data-options'), csrf);
      const response = await lib.startRegistration({ optionsJSON: options });
      const done = await post(block.getAttribute('data-verify'), csrf, { response, name: name ? name.value : '' });
      window.location.assign(done.location);
    });
})();
