import { describe, expect, it } from 'vitest';
import { attributes, escapeHtml, html, join, raw, safeImageUrl, safeUrl, SafeHtml } from './html.ts';

// Prettier reformats templates tagged `html`; under another name the inputs stay byte-exact.
const h = html;

describe('html templates', () => {
  it('escapes the five HTML-significant characters in text', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
    expect(h`<p>${'<script>alert(1)</script>'}</p>`.toString()).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it('keeps interpolations inside quoted attributes, whichever quote the attribute uses', () => {
    const attack = `" onmouseover="alert(1)' x='`;
    const escaped = '&quot; onmouseover=&quot;alert(1)&#39; x=&#39;';
    expect(h`<input value="${attack}">`.toString()).toBe(`<input value="${escaped}">`);
    expect(h`<input value='${attack}'>`.toString()).toBe(`<input value='${escaped}'>`);
  });

  it('does not escape the template itself, only what is interpolated', () => {
    expect(h`<p class="a">&amp; ${'&amp;'}</p>`.toString()).toBe('<p class="a">&amp; &amp;amp;</p>');
  });

  it('renders numbers, and nothing for null, undefined and false', () => {
    const missing: string | undefined = undefined;
    expect(h`${0}|${42}|${null}|${missing}|${false}|${''}`.toString()).toBe('0|42||||');
    const paragraph = (show: boolean) => h`<p>${show && h`<b>shown</b>`}</p>`.toString();
    expect(paragraph(false)).toBe('<p></p>');
    expect(paragraph(true)).toBe('<p><b>shown</b></p>');
  });

  it('joins arrays of fragments, escaping plain strings and keeping nested templates intact', () => {
    const items = ['<one>', 'two & three'];
    expect(h`<ul>${items.map((item) => h`<li>${item}</li>`)}</ul>`.toString()).toBe(
      '<ul><li>&lt;one&gt;</li><li>two &amp; three</li></ul>',
    );
    expect(h`${['<a>', h`<b>`, [raw('<c>'), '<d>', null, [false, 'e"']]]}`.toString()).toBe(
      '&lt;a&gt;<b><c>&lt;d&gt;e&quot;',
    );
    expect(h`<ul>${[]}</ul>`.toString()).toBe('<ul></ul>');
  });

  it('never escapes a nested template twice, however deep', () => {
    const inner = h`<em>${'a&b'}</em>`;
    const middle = h`<p title="${'"'}">${inner}</p>`;
    expect(h`<div>${middle}</div>`.toString()).toBe('<div><p title="&quot;"><em>a&amp;b</em></p></div>');
  });

  it('inserts raw() markup as is, and only real SafeHtml values bypass escaping', () => {
    expect(h`${raw('<br>')}`.toString()).toBe('<br>');
    expect(raw('<br>')).toBeInstanceOf(SafeHtml);
    // Something that merely looks like SafeHtml (a toString returning markup) is still escaped.
    const impostor = { toString: () => '<b>' } as unknown as string;
    expect(h`${impostor}`.toString()).toBe('&lt;b&gt;');
  });

  it('joins with a separator', () => {
    expect(join(['<a>', h`<b>`], h`<hr>`).toString()).toBe('&lt;a&gt;<hr><b>');
    expect(join(['a', 'b'], ' & ').toString()).toBe('a &amp; b');
  });

  it('renders attribute records: escaped values, bare booleans, omitted empties', () => {
    const rendered = attributes({ id: 'x', value: `"<>'&`, required: true, off: false, t: undefined, n: 3 });
    expect(rendered.toString()).toBe(' id="x" value="&quot;&lt;&gt;&#39;&amp;" required n="3"');
    expect(h`<input${rendered}>`.toString()).toBe(`<input${rendered.toString()}>`);
  });

  it('accepts only http(s) and same-site paths as link URLs', () => {
    expect(safeUrl('https://example.com/privacy?a=1&b=2')).toBe('https://example.com/privacy?a=1&b=2');
    expect(safeUrl('/interaction/abc')).toBe('/interaction/abc');
    const bad = [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,x',
      '//evil.com',
      '/\\evil.com',
      'x',
    ];
    for (const url of bad) expect(safeUrl(url)).toBeUndefined();
    expect(safeUrl(undefined)).toBeUndefined();
  });

  it('accepts data: images for logos, but no other data: URL', () => {
    expect(safeImageUrl('data:image/png;base64,AAAA')).toBe('data:image/png;base64,AAAA');
    expect(safeImageUrl('data:text/html;base64,AAAA')).toBeUndefined();
    expect(safeImageUrl('javascript:alert(1)')).toBeUndefined();
  });
});
