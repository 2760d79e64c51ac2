/**
 * The page shell every HTML page shares: landmarks (header, nav, main, footer), a skip link,
 * the search box, the theme switch (a form, so it works without script), styles and the one
 * small script. No inline script or style anywhere: the Content-Security-Policy forbids them.
 */
import { FEED_TYPES } from '../api.operations.js';
import { urls, type FeedFormat } from '../urls.js';
import { html, trusted, type Html } from './html.js';

export type Theme = 'auto' | 'light' | 'dark';
export const THEMES: readonly Theme[] = ['auto', 'light', 'dark'];

export type Section = 'day' | 'week' | 'month' | 'search' | 'about' | null;

export interface PageOptions {
  title: string;
  description?: string;
  theme: Theme;
  /** the current path and query: where the theme switch comes back to */
  path: string;
  section?: Section;
  /** extra tags for <head>: feeds, citation metadata, canonical link */
  head?: Html;
  /** the search box's current value */
  query?: string;
  main: Html;
}

/** Asset URLs carry the build's fingerprint, so they can be cached for a year. */
export interface Assets {
  css: string;
  icon: string;
  js: string;
  katexCss: string;
}

const SECTIONS: { id: Exclude<Section, null | 'search'>; label: string; href: string }[] = [
  { id: 'day', label: 'Daily', href: urls.home() },
  { id: 'week', label: 'Weekly', href: '/papers/week' },
  { id: 'month', label: 'Monthly', href: '/papers/month' },
  { id: 'about', label: 'Ranking', href: urls.about() },
];

// glyphs as character references: the markup around them stays Latin-1 (see decision 008)
const THEME_LABELS: Record<Theme, { text: string; icon: Html }> = {
  auto: { text: 'Auto', icon: trusted('&#9680;') }, // ◐
  light: { text: 'Light', icon: trusted('&#9728;') }, // ☀
  dark: { text: 'Dark', icon: trusted('&#9790;') }, // ☾
};

export function page(o: PageOptions, assets: Assets): string {
  return html`<!doctype html>
<html lang="en"${o.theme === 'auto' ? '' : html` data-theme="${o.theme}"`}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="${o.theme === 'auto' ? 'light dark' : o.theme}">
<title>${o.title}</title>
${o.description ? html`<meta name="description" content="${o.description}">` : ''}
<link rel="icon" href="${assets.icon}" type="image/svg+xml">
<link rel="stylesheet" href="${assets.css}">
<link rel="stylesheet" href="${assets.katexCss}">
<script src="${assets.js}" defer></script>
${o.head ?? ''}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
${header(o)}
<main id="main" tabindex="-1">
${o.main}
</main>
${footer()}
</body>
</html>
`.value;
}

function header(o: PageOptions): Html {
  return html`<header class="site-header">
<div class="bar">
<a class="brand" href="${urls.home()}"><span class="brand-mark" aria-hidden="true">P</span>Paperboy</a>
<nav class="sections" aria-label="Listings">
<ul>${SECTIONS.map((s) => html`<li><a href="${s.href}"${s.id === o.section ? html` aria-current="page"` : ''}>${s.label}</a></li>`)}</ul>
</nav>
<form class="search-box" role="search" aria-label="Site search" action="/search" method="get">
<label for="site-q" class="visually-hidden">Search papers</label>
<input id="site-q" name="q" type="search" placeholder="Search papers" value="${o.query ?? ''}" maxlength="2000" dir="auto">
<button type="submit">Search</button>
</form>
${themeSwitch(o.theme, o.path)}
<a class="account-link" href="/me">Account</a>
</div>
</header>`;
}

function themeSwitch(current: Theme, back: string): Html {
  return html`<form class="theme-switch" method="post" action="/theme">
<input type="hidden" name="back" value="${back}">
<fieldset>
<legend class="visually-hidden">Colour theme</legend>
${THEMES.map(
  (t) =>
    html`<button type="submit" name="theme" value="${t}" aria-pressed="${t === current ? 'true' : 'false'}" title="${THEME_LABELS[t].text} theme"><span aria-hidden="true">${THEME_LABELS[t].icon}</span><span class="theme-label">${THEME_LABELS[t].text}</span></button>`,
)}
</fieldset>
</form>`;
}

function footer(): Html {
  return html`<footer class="site-footer">
<p>Paperboy: trending research papers, self-hosted. Metadata from <a href="https://arxiv.org/">arXiv</a> (CC0) and Hugging Face daily papers.
<a href="${urls.about()}">How trending works</a> · <a href="${urls.latestFeed('rss')}">RSS</a> · <a href="${urls.openapi()}">API</a></p>
</footer>`;
}

const FEED_NAMES: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

/** <link rel=alternate> for a page's feeds in each format, for <head>: what feed readers find. */
export function alternateFeeds(title: string, href: (format: FeedFormat) => string): Html {
  return html`${(Object.keys(FEED_NAMES) as FeedFormat[]).map(
    (f, i) => html`${i > 0 ? '\n' : ''}<link rel="alternate" type="${FEED_TYPES[f]}" title="${title} (${FEED_NAMES[f]})" href="${href(f)}">`,
  )}`;
}
