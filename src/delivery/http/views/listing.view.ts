/**
 * A period's page, after the Daily Papers it echoes: "Get trending papers in your email inbox!",
 * the date with its neighbours (empty days skipped), the order tabs, then each paper's title and
 * abstract; a calendar beside it. Also the page of a period without papers (a 404 that still
 * leads somewhere).
 */
import { isoWeekday, periodOfDay, type Period, type PeriodKind } from '../../../core/periods.js';
import { LISTING_ORDERS, type ListingOrder } from '../../../core/ranking.js';
import type { ListingScope, PeriodListing } from '../../../services/listing.service.js';
import { urls } from '../urls.js';
import { calendar, type CalendarData } from './calendar.view.js';
import { count, periodShort, periodSpan, periodTitle } from './format.js';
import { html, type Html } from './html.js';
import { alternateFeeds } from './layout.js';
import { pager } from './pager.view.js';
import { paperCard } from './paper-card.view.js';
import { subscribeForm } from './subscription.view.js';

const ORDER_LABELS: Record<ListingOrder, string> = { trending: 'Trending', newest: 'Newest', upvoted: 'Most upvoted' };
const KIND_LABELS: Record<PeriodKind, string> = { day: 'Day', week: 'Week', month: 'Month' };

export function listingMain(l: PeriodListing, cal: CalendarData, subscriptionsOn: boolean): Html {
  const pages = Math.max(1, Math.ceil(l.total / l.pageSize));
  return html`${hero(subscriptionsOn)}
<div class="listing-layout">
<div class="listing-main">
${listingHead(l)}
<ol class="papers" start="${(l.page - 1) * l.pageSize + 1}">
${l.papers.map((p, i) => paperCard(p, (l.page - 1) * l.pageSize + i + 1, l.votes[p.id] ?? 0, l.submittedBy[p.id]))}
</ol>
${pager(l.page, pages, (n) => urls.period(l.period, l.order, n, l.scope))}
</div>
<aside class="listing-aside" aria-label="Calendar and feeds">
${calendar(cal)}
${feedLinks(l.period)}
</aside>
</div>`;
}

/** A period with no papers: what it would have been, and the nearest ones that have some. */
export function emptyPeriodMain(period: Period, previous: Period | null, next: Period | null, cal: CalendarData): Html {
  const what = period.kind === 'day' ? 'on' : 'in';
  return html`<div class="listing-layout">
<div class="listing-main">
<section class="notice">
<h1>No papers ${what} ${periodTitle(period)}</h1>
<p>${whyEmpty(period, previous, next)}</p>
<ul class="notice-links">
${previous ? html`<li><a href="${urls.period(previous)}" rel="prev">&lsaquo; ${periodTitle(previous)}</a>, the ${period.kind} before with papers</li>` : ''}
${next ? html`<li><a href="${urls.period(next)}" rel="next">${periodTitle(next)} &rsaquo;</a>, the ${period.kind} after with papers</li>` : ''}
<li><a href="${urls.home()}">The latest papers</a></li>
</ul>
</section>
</div>
<aside class="listing-aside" aria-label="Calendar">${calendar(cal)}</aside>
</div>`;
}

/** Why a period has no papers, as far as the neighbours with papers tell. */
function whyEmpty(period: Period, previous: Period | null, next: Period | null): string {
  if (period.kind === 'day' && isoWeekday(period.key) >= 6) return 'arXiv announces new papers on weekdays only, so weekends stay empty.';
  if (previous && !next) return `This ${period.kind} comes after the newest papers here: they may not be announced, or harvested, yet.`;
  if (next && !previous) return `This ${period.kind} comes before the oldest papers here.`;
  if (period.kind === 'day') return 'Nothing was listed on this day: a holiday, or a day this site has not harvested.';
  return `This site holds no papers from this ${period.kind}: a gap in what it has harvested.`;
}

function hero(subscriptionsOn: boolean): Html {
  return html`<section class="hero" aria-label="Subscribe">
<div class="hero-text">
<p class="hero-title">Daily Papers</p>
<p class="hero-byline">by the research community, ranked by what it finds worth reading</p>
</div>
${subscribeForm({ id: 'subscribe', enabled: subscriptionsOn, title: 'Get trending papers in your email inbox!' })}
</section>`;
}

function listingHead(l: PeriodListing): Html {
  const span = periodSpan(l.period);
  return html`<header class="listing-head">
<nav class="period-nav" aria-label="Neighbouring ${l.period.kind}s">
${stepLink(l.previous, 'prev', l.order, l.scope)}
<h1><time datetime="${l.period.key}">${periodTitle(l.period)}</time></h1>
${stepLink(l.next, 'next', l.order, l.scope)}
</nav>
<p class="listing-count">${count(l.total, 'paper')}${span ? html` · ${span}` : ''}</p>
${scopeLine(l)}
<div class="tabs-row">
${tabs('Period', (['day', 'week', 'month'] as const).map((k) => ({ label: KIND_LABELS[k], href: urls.period(kindSwitch(l, k), l.order, 1, l.scope), current: k === l.period.kind })))}
${tabs('Order', LISTING_ORDERS.map((o) => ({ label: ORDER_LABELS[o], href: urls.period(l.period, o, 1, l.scope), current: o === l.order })))}
</div>
</header>`;
}

/**
 * What the list holds (decision 028): the curated papers, with every new paper one click away; or
 * on a quiet period, the top of all new papers, said so; or all of them, the curated ones a click back.
 */
function scopeLine(l: PeriodListing): Html {
  const all = html`<a href="${urls.period(l.period, l.order, 1, 'all')}">all ${count(l.allTotal, 'new paper')}</a>`;
  const curatedLink = html`<a href="${urls.period(l.period, l.order)}">the curated papers</a>`;
  if (l.scope === 'all') return html`<p class="listing-scope">Every new paper of this ${l.period.kind}. Back to ${curatedLink} (submitted, upvoted here or featured on Hugging Face).</p>`;
  if (l.filled)
    return html`<p class="listing-scope">Only ${count(l.curated, 'paper')} of this ${l.period.kind} ${l.curated === 1 ? 'was' : 'were'} submitted, upvoted here or featured on Hugging Face, so this shows the top of all new papers by trending. See ${all}.</p>`;
  if (l.total === l.allTotal) return html``;
  return html`<p class="listing-scope">The papers submitted, upvoted here or featured on Hugging Face. See ${all}.</p>`;
}

/** The same moment at another granularity: the newest day with papers stands for a week or month. */
function kindSwitch(l: PeriodListing, kind: PeriodKind): Period {
  return periodOfDay(kind, l.period.kind === 'day' ? l.period.key : (l.lastDay ?? l.from));
}

function stepLink(p: Period | null, rel: 'prev' | 'next', order: ListingOrder, scope: ListingScope): Html {
  if (!p) return html`<span class="step step-none" aria-hidden="true"></span>`;
  const label = periodShort(p);
  return html`<a class="step step-${rel}" href="${urls.period(p, order, 1, scope)}" rel="${rel}">${rel === 'prev' ? html`<span aria-hidden="true">&lsaquo; </span>` : ''}<span class="visually-hidden">${rel === 'prev' ? 'Previous' : 'Next'}: </span>${label}${rel === 'next' ? html`<span aria-hidden="true"> &rsaquo;</span>` : ''}</a>`;
}

function tabs(label: string, items: { label: string; href: string; current: boolean }[]): Html {
  return html`<nav class="tabs" aria-label="${label}"><ul>${items.map((t) => html`<li><a href="${t.href}"${t.current ? html` aria-current="page"` : ''}>${t.label}</a></li>`)}</ul></nav>`;
}

function feedLinks(p: Period): Html {
  return html`<section class="feeds" aria-labelledby="feeds-title">
<h2 id="feeds-title">Follow this ${p.kind}</h2>
<ul><li><a href="${urls.periodFeed(p, 'rss')}">RSS</a></li><li><a href="${urls.periodFeed(p, 'atom')}">Atom</a></li><li><a href="${urls.periodFeed(p, 'json')}">JSON Feed</a></li></ul>
</section>`;
}

/** <link rel=alternate> for a listing's feeds, for <head>. */
export function feedHead(p: Period): Html {
  return alternateFeeds(periodTitle(p), (f) => urls.periodFeed(p, f));
}
