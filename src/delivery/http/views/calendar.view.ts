/**
 * The calendar beside a listing: a month grid whose days with papers are links (weeks link to
 * their week page), and a date field that jumps to any day. Plain links and a GET form: it
 * works without script.
 */
import { daysOfMonth, isoWeekday, isoWeekKey, shiftPeriod, type Period } from '../../../core/periods.js';
import type { DayCount } from '../../../ports/listing-reads.js';
import { urls } from '../urls.js';
import { count, longDay, monthName } from './format.js';
import { html, type Html } from './html.js';

const WEEKDAYS = [
  ['Mo', 'Monday'],
  ['Tu', 'Tuesday'],
  ['We', 'Wednesday'],
  ['Th', 'Thursday'],
  ['Fr', 'Friday'],
  ['Sa', 'Saturday'],
  ['Su', 'Sunday'],
] as const;

export interface CalendarData {
  /** YYYY-MM */
  month: string;
  days: DayCount[];
  /** the listed period, highlighted in the grid */
  current: Period;
  /** the newest day with papers: the date field's upper bound */
  latestDay: string | null;
}

export function calendar(c: CalendarData): Html {
  const month: Period = { kind: 'month', key: c.month };
  const before = shiftPeriod(month, -1);
  const after = shiftPeriod(month, 1);
  return html`<section class="calendar" aria-labelledby="calendar-title">
<div class="calendar-head">
${step(before, html`&lsaquo;`)}
<h2 id="calendar-title"><a href="${urls.period(month)}">${monthName(c.month)}</a></h2>
${step(after, html`&rsaquo;`)}
</div>
<table class="calendar-grid">
<thead><tr><th scope="col"><abbr title="ISO week">Wk</abbr></th>${WEEKDAYS.map(([s, l]) => html`<th scope="col"><abbr title="${l}">${s}</abbr></th>`)}</tr></thead>
<tbody>${weeks(c.month).map((week) => row(week, c))}</tbody>
</table>
${dateJump(c.latestDay, c.current.kind === 'day' ? c.current.key : null)}
</section>`;
}

/** A link to the month before or after; an empty placeholder at the calendar's ends (year 1000, 9999). */
function step(month: Period | null, arrow: Html): Html {
  if (!month) return html`<span class="calendar-step"></span>`;
  return html`<a href="${urls.period(month)}" class="calendar-step" rel="nofollow"><span aria-hidden="true">${arrow}</span><span class="visually-hidden">${monthName(month.key)}</span></a>`;
}

/** The month's days in rows Monday to Sunday; null pads the first and last rows. */
function weeks(month: string): (string | null)[][] {
  const days = daysOfMonth(month);
  const cells: (string | null)[] = [...Array<null>(isoWeekday(days[0]!) - 1).fill(null), ...days];
  while (cells.length % 7 !== 0) cells.push(null);
  const rows: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(cells.slice(i, i + 7));
  return rows;
}

function row(week: (string | null)[], c: CalendarData): Html {
  const anyDay = week.find((d): d is string => d !== null)!;
  const weekKey = isoWeekKey(anyDay);
  const inCurrentWeek = c.current.kind === 'week' && c.current.key === weekKey;
  return html`<tr${inCurrentWeek ? html` class="current-week"` : ''}><th scope="row"><a href="${urls.period({ kind: 'week', key: weekKey })}" aria-label="Week ${Number(weekKey.slice(6))}" rel="nofollow">${Number(weekKey.slice(6))}</a></th>${week.map((d) => cell(d, c))}</tr>`;
}

function cell(day: string | null, c: CalendarData): Html {
  if (!day) return html`<td></td>`;
  const n = c.days.find((d) => d.day === day)?.papers ?? 0;
  const label = Number(day.slice(8));
  if (n === 0) return html`<td class="no-papers"><span>${label}</span></td>`;
  const current = c.current.kind === 'day' && c.current.key === day;
  return html`<td class="has-papers"><a href="${urls.period({ kind: 'day', key: day })}" title="${count(n, 'paper')}" aria-label="${longDay(day)}: ${count(n, 'paper')}"${current ? html` aria-current="date"` : ''}>${label}</a></td>`;
}

function dateJump(latest: string | null, value: string | null): Html {
  return html`<form class="date-jump" action="/papers/date" method="get">
<label for="jump-day">Go to a day</label>
<span class="date-jump-row"><input id="jump-day" name="day" type="date" required${latest ? html` max="${latest}"` : ''}${value ? html` value="${value}"` : ''}>
<button type="submit">Go</button></span>
</form>`;
}
