import { html } from '../html.ts';
import { page } from '../layout.ts';

export interface ErrorView {
  status: number;
  title: string;
  /** Safe to show: never a stack trace or internal detail. */
  message: string;
  code?: string;
  requestId?: string;
  backHref?: string;
}

export function renderError(view: ErrorView): string {
  const reference = view.code !== undefined || view.requestId !== undefined;
  return page({
    title: view.title,
    body: html`<p class="status-code">Error ${view.status}</p>
      <h1 class="card__title">${view.title}</h1>
      <p>${view.message}</p>
      ${view.backHref !== undefined && html`<p><a class="button button--secondary" href="${view.backHref}">Go back</a></p>`}
      ${
        reference &&
        html`<p class="reference">
          If you contact support, mention
          ${view.code !== undefined && html`error <code>${view.code}</code>`}${
            view.code !== undefined && view.requestId !== undefined && ' and '
          }${view.requestId !== undefined && html`reference <code>${view.requestId}</code>`}.
        </p>`
      }`,
  });
}
