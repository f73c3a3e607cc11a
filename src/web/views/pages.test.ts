import { describe, expect, it } from 'vitest';
import { renderError } from './error.ts';
import { inlineCode, tags, text, textOf } from './html-inspect.test-support.ts';
import { renderOutbox } from './outbox.ts';
import { renderSandboxBlocked } from './sandbox-blocked.ts';
import { renderSignedOut } from './signed-out.ts';

const evil = '<img src=x onerror=alert(1)>';

describe('error page', () => {
  it('shows the title, message, code and request id in the common look', () => {
    const markup = renderError({
      status: 404,
      title: 'Page not found',
      message: 'There is nothing at this address.',
      code: 'http.not_found',
      requestId: 'req-1',
      backHref: '/',
    });
    expect(textOf(markup, tags(markup, 'title')[0]!)).toBe('Page not found · Vetted');
    expect(textOf(markup, tags(markup, 'h1')[0]!)).toBe('Page not found');
    expect(text(markup)).toContain('There is nothing at this address.');
    expect(text(markup)).toContain('http.not_found');
    expect(text(markup)).toContain('req-1');
    expect(tags(markup, 'a').find((tag) => tag.attrs.href === '/')).toBeDefined();
    expect(tags(markup, 'link').some((tag) => tag.attrs.href === '/static/vetted.css')).toBe(true);
    expect(inlineCode(markup)).toEqual([]);
  });

  it('escapes what it is given and leaves out what it is not', () => {
    const markup = renderError({ status: 400, title: evil, message: evil });
    expect(tags(markup, 'img')).toEqual([]);
    expect(text(markup)).not.toContain('reference');
  });
});

describe('signed-out page', () => {
  it('confirms sign-out and links back to the app when given', () => {
    const markup = renderSignedOut({ clientName: evil, returnHref: 'https://shop.example/' });
    expect(text(markup)).toContain('You are signed out of Vetted');
    const back = tags(markup, 'a').find((tag) => tag.attrs.href === 'https://shop.example/')!;
    expect(textOf(markup, back)).toBe(`Return to ${evil}`);
    expect(tags(markup, 'img')).toEqual([]);
    expect(tags(renderSignedOut({}), 'a').map((tag) => tag.attrs.href)).toEqual(['#main']);
  });
});

describe('sandbox-blocked page', () => {
  it('explains that only test users can sign in', () => {
    const markup = renderSandboxBlocked({ clientName: evil });
    expect(text(markup)).toContain('sandbox mode');
    expect(text(markup)).toContain('Only its test users can sign in');
    expect(text(markup)).toContain(evil);
    expect(tags(markup, 'img')).toEqual([]);
  });
});

describe('development outbox', () => {
  const message = (id: string, iso: string) => ({
    id,
    recipient: `${id}@example.com`,
    subject: `Subject ${id} ${evil}`,
    textBody: `Your code is 123456.\n\n  Indented line & <b>`,
    createdAt: new Date(iso),
  });

  it('is clearly labelled and lists messages newest first with recipient, subject, time and body', () => {
    const markup = renderOutbox({
      messages: [message('old', '2025-01-01T10:00:00Z'), message('new', '2025-01-02T10:00:00Z')],
    });
    expect(text(markup)).toContain('Development outbox — mail is not sent');
    const subjects = tags(markup, 'h2').map((tag) => textOf(markup, tag));
    expect(subjects).toEqual([`Subject new ${evil}`, `Subject old ${evil}`]);
    expect(text(markup)).toContain('new@example.com');
    expect(tags(markup, 'time').map((tag) => tag.attrs.datetime)).toEqual([
      '2025-01-02T10:00:00.000Z',
      '2025-01-01T10:00:00.000Z',
    ]);
    expect(markup).toContain('2025-01-02 10:00:00 UTC');
    const pre = markup.slice(tags(markup, 'pre')[0]!.end, markup.indexOf('</pre>'));
    expect(pre).toBe('Your code is 123456.\n\n  Indented line &amp; &lt;b&gt;');
    expect(tags(markup, 'img')).toEqual([]);
    expect(inlineCode(markup)).toEqual([]);
  });

  it('says so when there is nothing yet', () => {
    expect(text(renderOutbox({ messages: [] }))).toContain('No messages yet.');
  });
});
