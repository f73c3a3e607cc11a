import { html } from '../html.ts';
import { page } from '../layout.ts';

export interface SignedOutView {
  clientName?: string;
  returnHref?: string;
}

export function renderSignedOut(view: SignedOutView): string {
  const back = view.clientName === undefined ? 'Continue' : `Return to ${view.clientName}`;
  return page({
    title: 'Signed out',
    body: html`<h1 class="card__title">You are signed out of Vetted</h1>
      <p>For your security, close this browser window if you are on a shared computer.</p>
      ${view.returnHref !== undefined && html`<p><a class="button button--primary" href="${view.returnHref}">${back}</a></p>`}`,
  });
}
