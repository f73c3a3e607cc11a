import { describe, expect, it } from 'vitest';
import { html } from './html.ts';
import { page } from './layout.ts';
import { byId, inlineCode, tags, textOf } from './views/html-inspect.test-support.ts';

describe('page layout', () => {
  const markup = page({ title: 'Sign <in>', body: html`<h1>Hello</h1>` });

  it('is a complete English HTML document that scales on phones', () => {
    expect(markup.startsWith('<!doctype html>')).toBe(true);
    expect(tags(markup, 'html')[0]?.attrs.lang).toBe('en');
    expect(tags(markup, 'meta').map((tag) => tag.attrs)).toContainEqual({
      name: 'viewport',
      content: 'width=device-width, initial-scale=1',
    });
    expect(tags(markup, 'meta').some((tag) => tag.attrs.charset === 'utf-8')).toBe(true);
  });

  it('titles the page "{title} · Vetted", escaped', () => {
    const title = tags(markup, 'title')[0]!;
    expect(textOf(markup, title)).toBe('Sign <in> · Vetted');
    expect(markup).toContain('<title>Sign &lt;in&gt; · Vetted</title>');
  });

  it('styles only from the stylesheet on this site', () => {
    expect(tags(markup, 'link').find((tag) => tag.attrs.rel === 'stylesheet')?.attrs.href).toBe(
      '/static/vetted.css',
    );
    expect(inlineCode(markup)).toEqual([]);
  });

  it('offers a skip link to the main content, a header with the wordmark, and a footer', () => {
    const skip = tags(markup, 'a')[0]!;
    expect(skip.attrs.href).toBe('#main');
    expect(textOf(markup, skip)).toBe('Skip to content');
    expect(byId(markup, 'main')?.name).toBe('main');
    expect(textOf(markup, tags(markup, 'header')[0]!)).toBe('Vetted');
    expect(tags(markup, 'footer')).toHaveLength(1);
    expect(tags(markup, 'svg')[0]?.attrs['aria-hidden']).toBe('true');
  });

  it('wraps narrow pages in a card and leaves wide pages open', () => {
    expect(tags(markup, 'div').some((tag) => tag.attrs.class === 'card')).toBe(true);
    const wide = page({ title: 'Outbox', body: html`<p>x</p>`, width: 'wide' });
    expect(tags(wide, 'div').some((tag) => tag.attrs.class === 'card')).toBe(false);
    expect(byId(wide, 'main')?.attrs.class).toContain('page--wide');
  });
});
