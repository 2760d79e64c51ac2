// Paperboy's one script, and an optional one: every page works without it. It adds a "Copy"
// button to BibTeX blocks (the button is in the page, hidden, and shown here).
/* global document, navigator */
for (const button of document.querySelectorAll('button[data-copy]')) {
  const source = document.getElementById(button.getAttribute('data-copy'));
  if (!source || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(source.textContent).then(
      () => (button.textContent = 'Copied'),
      () => (button.textContent = 'Copy failed: select the text instead'),
    );
  });
}

// Votes (issue 13): the vote button of a paper page posts its form by fetch and shows the new
// count at once, without a reload. The form carries its CSRF token; without this script (or when
// the fetch fails) the same form posts as a page and comes back to it.
/* global fetch, URLSearchParams, FormData */
for (const form of document.querySelectorAll('form[data-vote]')) {
  const button = form.querySelector('button');
  const countEl = form.querySelector('.vote-count');
  const label = form.querySelector('.vote-label');
  const wanted = form.querySelector('input[name="vote"]');
  if (!button || !countEl || !label || !wanted || typeof fetch !== 'function') continue;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)),
    })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
      .then((r) => {
        countEl.textContent = String(r.votes);
        countEl.setAttribute('data-votes', String(r.votes));
        button.setAttribute('aria-pressed', r.voted ? 'true' : 'false');
        label.textContent = r.voted ? 'Voted' : 'Vote';
        wanted.value = r.voted ? '0' : '1'; // the next press asks for the other state
        button.disabled = false;
      })
      .catch(() => form.submit()); // the page answers and says what went wrong
  });
}
