import { describe, expect, it } from 'vitest';
import { el, empty, xmlAttr, xmlText } from './xml.js';

describe('xml escaping', () => {
  it('escapes markup in text and quotes in attributes, ]]> included', () => {
    expect(xmlText(`<a href="x">Tom & Jerry's ]]></a>`)).toBe(`&lt;a href="x"&gt;Tom &amp; Jerry's ]]&gt;&lt;/a&gt;`);
    expect(xmlAttr(`"x" & <y>`)).toBe('&quot;x&quot; &amp; &lt;y&gt;');
    expect(el('title', 'a < b', { type: 'text' })).toBe('<title type="text">a &lt; b</title>');
    expect(empty('link', { href: 'https://x.org/?a=1&b=2', title: undefined })).toBe('<link href="https://x.org/?a=1&amp;b=2"/>');
  });

  it('escapes an entity written out as text, so it stays text', () => {
    expect(xmlText('&amp; &#60;')).toBe('&amp;amp; &amp;#60;');
  });

  it('drops what XML 1.0 cannot carry and keeps every other character', () => {
    expect(xmlText('bell\u0007 nul\u0000 esc\u001B del-is-fine\u007F')).toBe('bell nul esc del-is-fine\u007F');
    expect(xmlText('lone \uD800 surrogate \uDFFF')).toBe('lone  surrogate ');
    expect(xmlText('tab\tline\nreturn\r 𝔼 ünï 数学 \uFFFD')).toBe('tab\tline\nreturn\r 𝔼 ünï 数学 \uFFFD');
    expect(xmlAttr('a\u0001b\uFFFEc')).toBe('abc');
  });
});
