import type { Application } from '../../../partners/application.ts';
import { button, csrfField, notice } from '../../components.ts';
import { html } from '../../html.ts';
import { secretOnce } from '../developer/controls.ts';
import { adminPage, when, type AdminFrame } from './shared.ts';

export interface PassbackTokenView extends AdminFrame {
  application: Application;
  status: { createdAt: Date; lastUsedAt: Date | null } | undefined;
  /** The token just provisioned: shown this once. */
  token?: string | undefined;
  notice?: string | undefined;
}

/** `/admin/applications/:clientId/passback-token`: the static API token of the Document Passback API. */
export function renderPassbackToken(view: PassbackTokenView): string {
  const app = view.application;
  const base = `/admin/applications/${encodeURIComponent(app.clientId)}`;
  return adminPage(view, {
    title: 'Document passback API token',
    current: base,
    breadcrumbs: [
      { href: '/admin', label: 'Administration' },
      { href: '/admin/applications', label: 'Applications' },
      { href: base, label: app.name },
    ],
    body: html`${notice(view.notice)}
      ${view.token !== undefined && secretOnce('API token', view.token, 'the token')}
      <p>
        With document passback
        ${app.documentPassback ? html`<strong>enabled</strong>` : html`<strong>not enabled</strong>`} and a
        token, the application receives document tokens from the attributes endpoint and exchanges them, with
        this token, for images of the identity document its users verified with.
      </p>
      <dl class="details">
        <div class="facts__row">
          <dt>Token</dt>
          <dd>${view.status === undefined ? 'None' : `Provisioned ${when(view.status.createdAt)}`}</dd>
        </div>
        <div class="facts__row">
          <dt>Last used</dt>
          <dd>${when(view.status?.lastUsedAt, 'Never')}</dd>
        </div>
      </dl>
      <div class="actions">
        <form method="post" action="${base}/passback-token">
          ${csrfField(view.csrfToken)}
          ${button(view.status === undefined ? 'Provision API token' : 'Rotate API token')}
        </form>
        ${
          view.status !== undefined &&
          html`<form method="post" action="${base}/passback-token/revoke">
            ${csrfField(view.csrfToken)} ${button('Revoke API token', { variant: 'secondary' })}
          </form>`
        }
      </div>
      ${view.status !== undefined && html`<p class="muted">Rotating stops the current token at once.</p>`}`,
  });
}
