import { button, csrfField } from '../components.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';

export interface SandboxBlockedView {
  clientName: string;
  /** Where "Return to <app>" posts, when the user came in an authorization. */
  action?: string;
  csrfToken?: string;
}

export function renderSandboxBlocked(view: SandboxBlockedView): string {
  return page({
    title: 'Application in sandbox mode',
    body: html`<h1 class="card__title">${view.clientName} is not open to everyone yet</h1>
      <p>
        This application is in sandbox mode while its developers test it. Only its test users can sign in with
        Vetted for now.
      </p>
      <p>If you are one of its testers, ask the developer to add your Vetted account as a test user.</p>
      ${
        view.action !== undefined &&
        html`<form class="form" method="post" action="${view.action}">
          ${csrfField(view.csrfToken ?? '')} ${button(`Return to ${view.clientName}`)}
        </form>`
      }`,
  });
}
