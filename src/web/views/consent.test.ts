import { describe, expect, it } from 'vitest';
import { buttons, inlineCode, tags, text, textOf } from './html-inspect.test-support.ts';
import { renderConsent } from './consent.ts';

const base = {
  action: '/interaction/abc/confirm',
  csrfToken: 'token',
  client: { name: 'Shop Partner' },
  fields: ['First name', 'Last name', 'Email', 'Military status: Veteran'],
  account: { email: 'jane@example.com' },
};

const listed = (markup: string): string[][] =>
  tags(markup, 'ul').map((list) => {
    const end = markup.indexOf('</ul>', list.end);
    const inner = markup.slice(list.end, end);
    return tags(inner, 'li').map((item) => textOf(inner, item));
  });

describe('consent page', () => {
  it('names the app, lists exactly what it will receive and who is signed in', () => {
    const markup = renderConsent(base);
    expect(text(markup)).toContain('Shop Partner wants to access your Vetted account');
    expect(listed(markup)).toEqual([['First name', 'Last name', 'Email', 'Military status: Veteran']]);
    expect(text(markup)).toContain('Signed in as jane@example.com');
    expect(inlineCode(markup)).toEqual([]);
  });

  it('offers Allow (primary) and Deny as two submit buttons of one form', () => {
    const markup = renderConsent(base);
    const forms = tags(markup, 'form');
    expect(forms).toHaveLength(1);
    expect(forms[0]?.attrs).toMatchObject({ method: 'post', action: '/interaction/abc/confirm' });
    expect(
      tags(markup, 'input').some((tag) => tag.attrs.name === '_csrf' && tag.attrs.value === 'token'),
    ).toBe(true);
    expect(buttons(markup)).toEqual([
      { text: 'Allow', attrs: expect.objectContaining({ type: 'submit', name: 'decision', value: 'allow' }) },
      { text: 'Deny', attrs: expect.objectContaining({ type: 'submit', name: 'decision', value: 'deny' }) },
    ]);
    expect(buttons(markup)[0]?.attrs.class).toContain('button--primary');
  });

  it('shows the logo and policy links when given, and drops unsafe URLs', () => {
    const client = {
      name: 'Shop Partner',
      logoUri: 'https://shop.example/logo.png',
      policyUri: 'https://shop.example/privacy',
      tosUri: 'javascript:alert(1)',
    };
    const markup = renderConsent({ ...base, client });
    expect(tags(markup, 'img').map((tag) => tag.attrs)).toEqual([
      expect.objectContaining({ src: 'https://shop.example/logo.png', alt: 'Shop Partner logo' }),
    ]);
    const links = tags(markup, 'a').map((tag) => tag.attrs.href);
    expect(links).toContain('https://shop.example/privacy');
    expect(text(markup)).not.toContain('terms of service');
    expect(inlineCode(markup)).toEqual([]);
  });

  it('says what the app already has and lists only the new fields as added', () => {
    const markup = renderConsent({ ...base, previouslyShared: ['First name', 'Last name'] });
    expect(text(markup)).toContain('Shop Partner already has your:');
    expect(text(markup)).toContain('it will also receive:');
    expect(listed(markup)).toEqual([
      ['First name', 'Last name'],
      ['Email', 'Military status: Veteran'],
    ]);
  });

  it('escapes a hostile app name everywhere it appears', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const markup = renderConsent({
      ...base,
      client: { name: evil, policyUri: 'https://x.example/p' },
      fields: [evil],
    });
    expect(tags(markup, 'img')).toEqual([]);
    expect(markup).not.toContain('<img src=x');
    expect(text(markup)).toContain(`${evil} wants to access your Vetted account`);
    expect(listed(markup)).toEqual([[evil]]);
  });
});
