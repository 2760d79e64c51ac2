/**
 * The small pages: how ranking works (written from the very constants the ranking uses), the
 * not-found page, and the error page (which never shows a stack).
 */
import { CURATED } from '../../../core/curated.js';
import { TRENDING, votesNeededRatio } from '../../../core/ranking.js';
import { VOTE_DAMPING } from '../../../core/vote-weight.js';
import { urls } from '../urls.js';
import { html, type Html } from './html.js';

const DAY_H = 24;
const fixed = (n: number, digits = 1) => n.toFixed(digits).replace(/\.0+$/, '');

export function aboutRankingMain(): Html {
  const { VOTE_PRIOR, AGE_OFFSET_HOURS, GRAVITY, LOCAL_VOTE_WEIGHT } = TRENDING;
  const { YOUNG_ACCOUNT_DAYS, YOUNG_FACTOR, NETWORK_FREE, NETWORK_FACTOR, NETWORK_WINDOW_HOURS } = VOTE_DAMPING;
  // ages at the end of a period: a paper from its last day is one day old, from its first day n days
  const examples = [2, 3, 7, 14, 30].map((days) => ({ days, ratio: votesNeededRatio(days * DAY_H, DAY_H) }));
  return html`<article class="prose" aria-labelledby="about-title">
<h1 id="about-title">How papers are ranked</h1>
<p>Every listing (a day, a week or a month) can be read in three orders: <strong>trending</strong> (the default), <strong>newest</strong> and <strong>most upvoted</strong>. The same rule orders the pages, the feeds, the API and the email digests.</p>
<h2>The curated papers</h2>
<p>A listing leads with the papers someone picked: <strong>submitted</strong> here, <strong>upvoted</strong> here, or <strong>featured</strong> on Hugging Face's daily papers. Every other new paper of the period is one click away, under “all new papers”. When fewer than ${CURATED.MIN_PAPERS} papers were picked, the listing shows the top ${CURATED.MIN_PAPERS} of all new papers by trending instead, and says so. The feeds, the API and the email digests carry the same curated papers.</p>
<h2>Votes</h2>
<p>A paper's votes are its upvotes on Hugging Face plus its votes here, each vote here counting as <strong>${LOCAL_VOTE_WEIGHT}</strong> Hugging Face upvotes: Hugging Face's come from a much larger crowd, while a vote here comes from the readers this site is for.</p>
<p>Votes that look like part of a burst count as votes, but weigh less in the ranking:</p>
<ul>
<li>a vote from an account younger than <strong>${YOUNG_ACCOUNT_DAYS} days</strong> weighs <strong>${fixed(YOUNG_FACTOR, 2)}</strong> of a vote, since new accounts are the cheapest thing to make many of;</li>
<li>from one network (the same /24 for IPv4, /48 for IPv6), the first <strong>${NETWORK_FREE}</strong> votes on a paper within <strong>${NETWORK_WINDOW_HOURS} hours</strong> count in full, each later one <strong>${fixed(NETWORK_FACTOR, 2)}</strong> of a vote: a lab votes for its own paper in good faith, a dozen votes from one office in a day is a campaign.</li>
</ul>
<p>Both can apply at once. Each vote's weight is fixed when it is cast.</p>
<h2>Trending</h2>
<p>A paper's votes count for less the older it is, as on Hacker News:</p>
<p class="formula"><code>score = (votes + ${VOTE_PRIOR}) ÷ (age in hours + ${AGE_OFFSET_HOURS})<sup>${GRAVITY}</sup></code></p>
<ul>
<li><strong>Age</strong> runs from the start of the day a paper is listed under to the <em>end of the period shown</em>, not to now. A past week's page therefore never reshuffles unless its votes change, and it shows what was trending when that week ended.</li>
<li><strong>${VOTE_PRIOR} extra vote</strong> for every paper, so that papers nobody has voted on yet still come newest first, and one vote counts twice as much as none rather than infinitely more.</li>
<li><strong>${AGE_OFFSET_HOURS} extra hours</strong> of age, so that the freshest papers are not boosted out of proportion. On a day's page every paper has the same age, so the day is ordered by votes alone.</li>
<li><strong>Gravity ${GRAVITY}</strong>: how quickly votes lose weight. Hacker News uses 1.8 for a front page that changes by the hour; papers are read over days, so the decay here is gentler.</li>
</ul>
<p>What that means for a paper against one from the last day of the same listing:</p>
<table class="ratios"><thead><tr><th scope="col">Paper from</th><th scope="col">Needs this many times the votes to rank level</th></tr></thead>
<tbody>${examples.map((e) => html`<tr><td>${e.days} days before the end</td><td>${fixed(e.ratio)}×</td></tr>`)}</tbody></table>
<p>Ties are broken by votes, then by the newest.</p>
<h2>Newest and most upvoted</h2>
<p><strong>Newest</strong> lists the latest day first and, within a day, the latest submission first. <strong>Most upvoted</strong> lists by votes, ties newest first.</p>
</article>`;
}

export function notFoundMain(what: string): Html {
  return html`<section class="notice" aria-labelledby="nf-title">
<h1 id="nf-title">Not found</h1>
<p>${what}</p>
<ul class="notice-links"><li><a href="${urls.home()}">The latest papers</a></li><li><a href="${urls.about()}">How ranking works</a></li></ul>
<form class="search-inline" role="search" aria-label="Search instead" action="/search" method="get">
<label for="nf-q">Search the papers instead</label>
<span class="row"><input id="nf-q" name="q" type="search" dir="auto"><button type="submit">Search</button></span>
</form>
</section>`;
}

export function errorMain(status: number, detail?: string): Html {
  const client = status < 500;
  const busy = status === 429 || status === 503;
  const title = status === 429 ? 'Too many requests' : status === 503 && detail ? 'That took too long' : client ? 'That request could not be handled' : 'Something went wrong';
  const text =
    status === 429
      ? 'This address has sent more requests than the site answers in a minute. Please wait a little and try again.'
      : client
        ? 'The request was not understood. Check the address or the form and try again.'
        : 'The page could not be shown just now. It has been logged; please try again in a moment.';
  return html`<section class="notice" aria-labelledby="err-title">
<h1 id="err-title">${title}</h1>
<p>${detail ? (busy ? capitalised(detail) + '.' : detail) : text}</p>
<p><a href="${urls.home()}">Back to the latest papers</a></p>
</section>`;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
