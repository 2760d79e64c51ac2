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
