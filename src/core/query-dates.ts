/**
 * The date filters of the query language (core/query.ts): year:, from:, to: and date: values as
 * inclusive day ranges. YYYY, YYYY-MM or YYYY-MM-DD; a range is A..B with either end open.
 */

export const DATE_SYNTAX =
  'use YYYY, YYYY-MM or YYYY-MM-DD, e.g. from:2025-03-01 to:2025-03-31, date:2025-03-01..2025-03-31 or year:2025';

/** The inclusive day range a date filter stands for, or null when the value is not a date. */
export function dateRange(field: 'year' | 'from' | 'to' | 'date', value: string): { from: string | null; to: string | null } | null {
  if (field === 'from') return day(value, 'start') ? { from: day(value, 'start'), to: null } : null;
  if (field === 'to') return day(value, 'end') ? { from: null, to: day(value, 'end') } : null;
  if (field === 'year' && !/^\d{4}(\.\.(\d{4})?)?$|^\.\.\d{4}$/.test(value)) return null;
  const [a, b, extra] = value.split('..');
  if (extra !== undefined) return null;
  if (b === undefined) {
    const from = day(a!, 'start');
    return from ? { from, to: day(a!, 'end') } : null;
  }
  const from = a === '' ? null : day(a!, 'start');
  const to = b === '' ? null : day(b, 'end');
  if ((a !== '' && !from) || (b !== '' && !to) || (from === null && to === null)) return null;
  return { from, to };
}

/** YYYY, YYYY-MM or YYYY-MM-DD as the first or last day it covers; null when not a calendar date. */
export function day(value: string, edge: 'start' | 'end'): string | null {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] === undefined ? (edge === 'start' ? 1 : 12) : Number(m[2]);
  if (month < 1 || month > 12) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const d = m[3] === undefined ? (edge === 'start' ? 1 : last) : Number(m[3]);
  if (d < 1 || d > last) return null;
  return `${m[1]}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
