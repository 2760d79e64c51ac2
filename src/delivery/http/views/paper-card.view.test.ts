import { describe, expect, it } from 'vitest';
import { authorLine } from './paper-card.view.js';

describe('authorLine', () => {
  it('lists names, escaped, with a count of those left out', () => {
    expect(authorLine(['Ada Lovelace', 'Alan <Turing>', 'Grace Hopper'], 2).value).toBe('<p class="authors">Ada Lovelace, Alan &lt;Turing&gt; <span class="muted">+ 1 more</span></p>');
    expect(authorLine([]).value).toBe('');
  });

  it('isolates each name when one is written right to left or carries a direction override', () => {
    // unisolated, "Alice, محمد, דוד כהן" would show its commas and names in another order
    expect(authorLine(['Alice', 'محمد', 'דוד כהן']).value).toBe('<p class="authors"><bdi>Alice</bdi>, <bdi>محمد</bdi>, <bdi>דוד כהן</bdi></p>');
    expect(authorLine(['Bob', '\u202eReversed']).value).toBe('<p class="authors"><bdi>Bob</bdi>, <bdi>\u202eReversed</bdi></p>');
  });
});
