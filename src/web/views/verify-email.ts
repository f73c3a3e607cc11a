import { button, csrfField, errorSummary, field, notice } from '../components.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';

export interface VerifyEmailView {
  action: string;
  resendAction: string;
  csrfToken: string;
  email: string;
  /** A problem with the code ("That code has expired"); shown on the field and in the summary. */
  error?: string;
  notice?: string;
}

export function renderVerifyEmail(view: VerifyEmailView): string {
  return page({
    title: 'Verify your email',
    body: html`<h1 class="card__title">Check your email</h1>
      <p class="card__lede">We sent a 6-digit code to <strong class="email">${view.email}</strong></p>
      ${notice(view.notice)}
      ${errorSummary(view.error === undefined ? [] : [{ message: view.error, field: 'code' }])}
      <form class="form" method="post" action="${view.action}" novalidate>
        ${csrfField(view.csrfToken)}
        ${field({
          name: 'code',
          label: 'Verification code',
          hint: 'Enter the 6 digits from the email.',
          error: view.error,
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          pattern: '[0-9]{6}',
          maxlength: 6,
          required: true,
          verbatim: true,
        })}
        ${button('Verify email')}
      </form>
      <form class="form form--secondary" method="post" action="${view.resendAction}">
        ${csrfField(view.csrfToken)}
        <p class="form__aside">Didn’t get it? Check your spam folder, or ask for another code.</p>
        ${button('Send a new code', { variant: 'secondary' })}
      </form>`,
  });
}
