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
import { renderSignIn } from './sign-in.ts';

const evil = '<img src=x onerror=alert(1)>';
const base = {
  action: '/interaction/abc/login',
  csrfToken: 'tok"en',
  signUpHref: '/interaction/abc/sign-up',
};

describe('sign-in page', () => {
  it('posts Email and Password, with the CSRF token, to the action', () => {
    const markup = renderSignIn(base);
    const form = tags(markup, 'form')[0]!;
    expect(form.attrs).toMatchObject({ method: 'post', action: '/interaction/abc/login' });
    expect(control(markup, 'Email').attrs).toMatchObject({
      type: 'email',
      name: 'email',
      autocomplete: 'username',
    });
    expect(control(markup, 'Password').attrs).toMatchObject({
      type: 'password',
      name: 'password',
      autocomplete: 'current-password',
    });
    expect(tags(markup, 'input').find((tag) => tag.attrs.name === '_csrf')?.attrs).toMatchObject({
      type: 'hidden',
      value: 'tok"en',
    });
    expect(buttons(markup).map((button) => button.text)).toEqual(['Sign in']);
    const signUp = tags(markup, 'a').find((tag) => textOf(markup, tag) === 'Create account');
    expect(signUp?.attrs.href).toBe('/interaction/abc/sign-up');
    expect(tags(markup, 'title').map((tag) => textOf(markup, tag))).toEqual(['Sign in · Vetted']);
  });

  it('keeps the email typed, never a password', () => {
    const markup = renderSignIn({ ...base, email: 'jane@example.com' });
    expect(control(markup, 'Email').attrs.value).toBe('jane@example.com');
    expect(control(markup, 'Password').attrs.value).toBeUndefined();
  });

  it('names the partner it continues to, escaped, with its logo', () => {
    const markup = renderSignIn({
      ...base,
      client: { name: evil, logoUri: 'https://partner.example/logo.png' },
    });
    expect(text(markup)).toContain(`to continue to ${evil}`);
    expect(tags(markup, 'img').map((tag) => tag.attrs)).toEqual([
      expect.objectContaining({ src: 'https://partner.example/logo.png', alt: `${evil} logo` }),
    ]);
    expect(markup).not.toContain('<img src=x');
    expect(inlineCode(markup)).toEqual([]);
  });

  it('shows a form error in an alert, and a notice as a status', () => {
    const markup = renderSignIn({
      ...base,
      error: 'Email or password is incorrect.',
      notice: 'Your email is verified.',
    });
    const alert = tags(markup).find((tag) => tag.attrs.role === 'alert')!;
    expect(textOf(markup, alert)).toContain('Email or password is incorrect.');
    expect(text(markup)).toContain('Your email is verified.');
    expect(tags(markup).some((tag) => tag.attrs.role === 'status')).toBe(true);
    expect(descriptions(markup, control(markup, 'Email'))).toEqual([]);
  });

  it('escapes everything that comes from the request', () => {
    const markup = renderSignIn({ ...base, email: `"${evil}`, error: evil, notice: evil, csrfToken: evil });
    expect(markup).not.toContain('<img src=x');
    expect(tags(markup, 'img')).toEqual([]);
  });
});
