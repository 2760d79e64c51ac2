/** `?page=` of a paged page: a positive whole number, else 1 (what every paged page reads it as). */
export function pageNumber(raw: unknown): number {
  return typeof raw === 'string' && /^\d{1,5}$/.test(raw) ? Math.max(1, Number(raw)) : 1;
}
