import { describe, expect, it } from 'vitest';
import {
  buttons,
  control,
  descriptions,
  inlineCode,
  tags,
  text,
  textOf,
} from './html-inspect.test-support.ts';
import { renderSignUp } from './sign-up.ts';

const base = { action: '/interaction/abc/sign-up', csrfToken: 'token', signInHref: '/interaction/abc' };
const labels = ['Email', 'Password', 'First name', 'Last name', 'ZIP code', 'Date of birth (optional)'];

describe('sign-up page', () => {
  it('has every field, labelled exactly, with the agreed names and autocomplete', () => {
    const markup = renderSignUp(base);
    const fields = labels.map((label) => control(markup, label).attrs);
    expect(fields.map((attrs) => attrs.name)).toEqual([
      'email',
      'password',
      'first_name',
      'last_name',
      'postal_code',
      'birth_date',
    ]);
    expect(fields[0]).toMatchObject({ type: 'email' });
    expect(fields[1]).toMatchObject({ type: 'password', autocomplete: 'new-password' });
    expect(fields[5]).toMatchObject({ type: 'date' });
    expect(fields[5]?.required).toBeUndefined();
    expect(descriptions(markup, control(markup, 'Password'))).toEqual(['At least 8 characters']);
    expect(
      tags(markup, 'input').some((tag) => tag.attrs.name === '_csrf' && tag.attrs.value === 'token'),
    ).toBe(true);
    expect(tags(markup, 'form')[0]?.attrs).toMatchObject({
      method: 'post',
      action: '/interaction/abc/sign-up',
    });
    expect(buttons(markup).map((button) => button.text)).toEqual(['Create account']);
    expect(tags(markup, 'a').find((tag) => textOf(markup, tag) === 'Sign in')?.attrs.href).toBe(
      '/interaction/abc',
    );
    expect(inlineCode(markup)).toEqual([]);
  });

  it('keeps the values typed, except the password', () => {
    const values = {
      email: 'j@example.com',
      firstName: 'Jane',
      lastName: 'Doe',
      postalCode: '02139',
      birthDate: '1990-01-31',
    };
    const markup = renderSignUp({ ...base, values });
    expect(labels.map((label) => control(markup, label).attrs.value)).toEqual([
      'j@example.com',
      undefined,
      'Jane',
      'Doe',
      '02139',
      '1990-01-31',
    ]);
  });

  it('ties each error to its field and lists them all in a summary, in page order', () => {
    const markup = renderSignUp({
      ...base,
      errors: {
        postalCode: 'Enter a 5-digit ZIP code',
        email: 'Enter an email address',
        form: 'Please try again',
      },
    });
    const email = control(markup, 'Email');
    expect(email.attrs['aria-invalid']).toBe('true');
    expect(descriptions(markup, email)).toEqual(['Error: Enter an email address']);
    const zip = control(markup, 'ZIP code');
    expect(descriptions(markup, zip)).toEqual(['Error: Enter a 5-digit ZIP code']);
    expect(control(markup, 'First name').attrs['aria-invalid']).toBeUndefined();

    const summary = tags(markup).find((tag) => tag.attrs.role === 'alert')!;
    expect(textOf(markup, summary)).toContain('Please try again');
    const links = tags(markup, 'a').filter((tag) => tag.attrs.href?.startsWith('#field-'));
    expect(links.map((link) => [link.attrs.href, textOf(markup, link)])).toEqual([
      ['#field-email', 'Enter an email address'],
      ['#field-postal_code', 'Enter a 5-digit ZIP code'],
    ]);
    for (const link of links)
      expect(tags(markup).some((tag) => `#${tag.attrs.id}` === link.attrs.href)).toBe(true);
  });

  it('escapes a hostile partner name and hostile values', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const markup = renderSignUp({
      ...base,
      client: { name: evil },
      values: { firstName: evil },
      errors: { lastName: evil },
    });
    expect(text(markup)).toContain(`to continue to ${evil}`);
    expect(tags(markup, 'img')).toEqual([]);
    expect(control(markup, 'First name').attrs.value).toBe(evil);
  });
});
