/**
 * The HTML part of a digest. Mail clients are not browsers: Outlook lays out tables, not flex
 * or grid; Gmail keeps a <style> block but drops anything external; none runs scripts. So: one
 * centred table at most 600px wide, every style inline, and a small <style> block only for what
 * inline styles cannot say: narrow screens and dark mode (prefers-color-scheme, with the
 * color-scheme meta so that Apple Mail and Outlook do not invert the colours on their own).
 * Every string from a paper, a topic or a link is escaped here (escapeHtml), once.
 */
import type { DigestModel, DigestView } from './digest.js';
import { escapeHtml as e } from './email-format.js';

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/** The styles inline ones cannot express; classes name what they change. */
const STYLE = `
body{margin:0;padding:0;-webkit-text-size-adjust:100%}
@media (max-width:620px){.pb-card{width:100%!important}.pb-pad{padding:16px!important}.pb-title{font-size:18px!important}}
@media (prefers-color-scheme:dark){
.pb-bg{background:#111418!important}.pb-card{background:#1b1f24!important;border-color:#30363d!important}
.pb-text{color:#e6e6e6!important}.pb-muted{color:#a0a8b0!important}.pb-link{color:#7cb4ff!important}
.pb-why{background:#2b2410!important;color:#f5d27a!important}}
[data-ogsc] .pb-text{color:#e6e6e6!important}[data-ogsc] .pb-link{color:#7cb4ff!important}`;

export function digestHtml(m: DigestModel): string {
  const preheader = m.papers
    .slice(0, 3)
    .map((p) => p.title)
    .join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${e(m.heading)}</title>
<style>${STYLE}</style>
</head>
<body class="pb-bg" style="margin:0;padding:0;background:#f4f5f7;">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${e(preheader)}</div>
<table role="presentation" class="pb-bg" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f5f7;">
<tr><td align="center" style="padding:24px 8px;">
<table role="presentation" class="pb-card" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:600px;background:#ffffff;border:1px solid #e3e5e8;border-radius:8px;">
<tr><td class="pb-pad" style="padding:24px 28px 8px 28px;font-family:${FONT};">
<p class="pb-muted" style="margin:0 0 4px 0;font-size:13px;color:#5f6b76;">${e(m.siteName)}${m.links.preview ? ` · <a class="pb-link" href="${e(m.links.preview)}" style="color:#1a5fb4;">View in your browser</a>` : ''}</p>
<h1 class="pb-text" style="margin:0 0 8px 0;font-size:22px;line-height:1.3;color:#1c2127;">${e(m.heading)}</h1>
<p class="pb-muted" style="margin:0;font-size:14px;color:#5f6b76;">${e(m.intro)}</p>
</td></tr>
${m.papers.map((p, i) => paperRow(p, i + 1)).join('\n')}
<tr><td class="pb-pad" style="padding:16px 28px 24px 28px;font-family:${FONT};border-top:1px solid #e3e5e8;">
<p class="pb-muted" style="margin:0 0 8px 0;font-size:13px;line-height:1.5;color:#5f6b76;">You get this email because ${e(m.email)} subscribed at <a class="pb-link" href="${e(m.siteUrl)}" style="color:#1a5fb4;">${e(m.siteUrl)}</a>.</p>
<p style="margin:0;font-size:13px;line-height:1.5;"><a class="pb-link" href="${e(m.links.manage)}" style="color:#1a5fb4;">Manage preferences</a> · <a class="pb-link" href="${e(m.links.unsubscribe)}" style="color:#1a5fb4;">Unsubscribe</a></p>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

function paperRow(p: DigestView, n: number): string {
  return `<tr><td class="pb-pad" style="padding:16px 28px;font-family:${FONT};border-top:1px solid #e3e5e8;">
<p style="margin:0 0 6px 0;"><span class="pb-why" style="display:inline-block;padding:2px 8px;border-radius:10px;background:#fff4d6;color:#7a5a00;font-size:12px;">${e(p.why)}</span></p>
<h2 class="pb-title" style="margin:0 0 4px 0;font-size:18px;line-height:1.35;"><a class="pb-link" href="${e(p.url)}" style="color:#1a5fb4;text-decoration:none;">${n}. ${e(p.title)}</a></h2>
${p.authors ? `<p class="pb-muted" style="margin:0 0 8px 0;font-size:13px;color:#5f6b76;">${e(p.authors)}</p>` : ''}
${p.abstract.map((para) => `<p class="pb-text" style="margin:0 0 8px 0;font-size:15px;line-height:1.55;color:#1c2127;">${e(para)}</p>`).join('\n')}
<p style="margin:0;font-size:13px;"><a class="pb-link" href="${e(p.url)}" style="color:#1a5fb4;">Read on ${e(hostOf(p.url))} →</a></p>
</td></tr>`;
}

function hostOf(url: string): string {
  return new URL(url).host;
}
