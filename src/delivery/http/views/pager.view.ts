/**
 * The pager of every paged list on the site (a period's listing, search results, a collection):
 * the previous page, "Page n of N", the next page, with rel="prev" and rel="next"; nothing when
 * there is one page. `at(page)` is the address of a page.
 */
import { html, type Html } from './html.js';

export function pager(page: number, pages: number, at: (page: number) => string, label = 'Pages'): Html {
  if (pages <= 1) return html``;
  return html`<nav class="pagination" aria-label="${label}">
${page > 1 ? html`<a href="${at(page - 1)}" rel="prev">&lsaquo; Previous page</a>` : html`<span></span>`}
<span>Page ${page.toLocaleString('en-US')} of ${pages.toLocaleString('en-US')}</span>
${page < pages ? html`<a href="${at(page + 1)}" rel="next">Next page &rsaquo;</a>` : html`<span></span>`}
</nav>`;
}
