/**
 * What the browser suites that store hostile text (xss.test.ts: paper metadata,
 * comments-xss.test.ts: comment bodies) check on every page: nothing ran (no dialog, no
 * window.__pwned, no script error, no CSP violation), nothing was injected into the DOM, and no
 * request went where only a payload would send one.
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { DomDocument } from './dom.js';
import type { WatchedPage } from './harness.js';

// in page.evaluate() callbacks only: they run in Chromium
declare const document: DomDocument;
declare const window: { __pwned?: unknown };
declare const location: { origin: string };

/** Everything in the DOM that only an injection could have put there. */
export function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const all = Array.from(document.querySelectorAll('*'));
    for (const el of all)
      for (const a of el.getAttributeNames()) if (/^on/i.test(a)) bad.push(`<${el.tagName.toLowerCase()} ${a}>`);
    for (const el of Array.from(document.querySelectorAll('iframe, frame, object, embed, base, body style, body meta, body link, #pwnlink')))
      bad.push(`<${el.tagName.toLowerCase()}> element`);
    for (const s of Array.from(document.scripts))
      if (!s.src || new URL(s.src).origin !== location.origin || (s.textContent ?? '').trim() !== '') bad.push(`script ${s.src || (s.textContent ?? '').slice(0, 60)}`);
    for (const el of Array.from(document.querySelectorAll('[href], [src], [action], [formaction]'))) {
      for (const attr of ['href', 'src', 'action', 'formaction']) {
        const v = el.getAttribute(attr);
        if (v !== null && /^\s*(javascript|data|vbscript):/i.test(v)) bad.push(`<${el.tagName.toLowerCase()} ${attr}="${v.slice(0, 60)}">`);
      }
    }
    for (const img of Array.from(document.images)) if (/\/x$/.test(img.src)) bad.push(`<img src="${img.getAttribute('src')}">`);
    return bad;
  });
}

/**
 * Opens base + path, lets it settle, and checks that nothing ran, nothing was injected, and no
 * request matched `payloadRequest` (by default an injected <img src=x>'s).
 */
export async function expectInertAt(w: WatchedPage, base: string, path: string, status = 200, payloadRequest = /\/x$/): Promise<void> {
  const res = await w.page.goto(base + path, { waitUntil: 'load' });
  expect(res?.status(), path).toBe(status);
  await w.page.waitForLoadState('networkidle');
  expect(await w.page.evaluate(() => window.__pwned), `window.__pwned on ${path}`).toBeUndefined();
  expect(w.watch.dialogs, `dialogs on ${path}`).toEqual([]);
  expect(await injected(w.page), `injected markup on ${path}`).toEqual([]);
  const csp = w.watch.consoleErrors.filter((m) => /Content.Security.Policy|Refused to/i.test(m));
  expect(csp, `CSP violations on ${path}`).toEqual([]);
  expect(w.watch.pageErrors, `script errors on ${path}`).toEqual([]);
  expect(w.watch.requests.filter((u) => payloadRequest.test(new URL(u).pathname)), `requests a payload made on ${path}`).toEqual([]);
}
