import { describe, expect, it } from 'vitest';
import { buttons, control, descriptions, inlineCode, tags, text } from './html-inspect.test-support.ts';
import { renderVerifyEmail } from './verify-email.ts';

const base = {
  action: '/verify',
  resendAction: '/verify/resend',
  csrfToken: 'token',
  email: 'jane@example.com',
};

describe('verify-email page', () => {
  it('asks for the 6-digit code sent to the address, with a form to send a new one', () => {
    const markup = renderVerifyEmail(base);
    expect(text(markup)).toContain('We sent a 6-digit code to jane@example.com');
    expect(control(markup, 'Verification code').attrs).toMatchObject({
      name: 'code',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      pattern: '[0-9]{6}',
    });
    const forms = tags(markup, 'form').map((form) => form.attrs.action);
    expect(forms).toEqual(['/verify', '/verify/resend']);
    expect(tags(markup, 'input').filter((tag) => tag.attrs.name === '_csrf')).toHaveLength(2);
    expect(buttons(markup).map((button) => button.text)).toEqual(['Verify email', 'Send a new code']);
    expect(inlineCode(markup)).toEqual([]);
  });

  it('puts an error on the code field and in the summary', () => {
    const markup = renderVerifyEmail({
      ...base,
      error: 'That code has expired.',
      notice: 'We sent a new code.',
    });
    const code = control(markup, 'Verification code');
    expect(code.attrs['aria-invalid']).toBe('true');
    expect(descriptions(markup, code)).toContain('Error: That code has expired.');
    expect(tags(markup, 'a').some((tag) => tag.attrs.href === '#field-code')).toBe(true);
    expect(tags(markup).some((tag) => tag.attrs.role === 'status')).toBe(true);
  });

  it('escapes the address', () => {
    const markup = renderVerifyEmail({ ...base, email: '<img src=x onerror=alert(1)>@x' });
    expect(tags(markup, 'img')).toEqual([]);
    expect(text(markup)).toContain('<img src=x onerror=alert(1)>@x');
  });
});
