import {
  button,
  csrfField,
  errorSummary,
  field,
  heading,
  notice,
  type ClientSummary,
} from '../components.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';

export interface SignInView {
  action: string;
  csrfToken: string;
  email?: string;
  /** A problem with the whole form ("Email or password is incorrect"). */
  error?: string;
  notice?: string;
  client?: ClientSummary;
  /** Where "Create account" leads; no link when account creation is not offered here. */
  signUpHref?: string;
  /** The page's heading and title; "Sign in" by default. */
  title?: string;
  /** Where "Forgot your password?" leads, when account recovery is available. */
  resetHref?: string;
}

export function renderSignIn(view: SignInView): string {
  return page({
    title: view.title ?? 'Sign in',
    body: html`${heading(view.title ?? 'Sign in', view.client, 'with your Vetted account')}
      ${notice(view.notice)} ${errorSummary(view.error === undefined ? [] : [{ message: view.error }])}
      <form class="form" method="post" action="${view.action}" novalidate>
        ${csrfField(view.csrfToken)}
        ${field({
          name: 'email',
          label: 'Email',
          type: 'email',
          value: view.email,
          autocomplete: 'username',
          required: true,
          verbatim: true,
        })}
        ${field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true })}
        ${
          view.resetHref !== undefined &&
          html`<p class="form__aside"><a href="${view.resetHref}">Forgot your password?</a></p>`
        }
        ${button('Sign in')}
      </form>
      ${
        view.signUpHref !== undefined &&
        html`<p class="card__footer">New to Vetted? <a href="${view.signUpHref}">Create account</a></p>`
      }`,
  });
}
