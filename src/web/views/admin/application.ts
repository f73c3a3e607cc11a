import type { Application } from '../../../partners/application.ts';
import type { ChecklistItem } from '../../../partners/production-checklist.ts';
import type { ProductionRequest } from '../../../partners/production-request-repository.ts';
import { button, clientLogo, csrfField, errorSummary, notice } from '../../components.ts';
import { html, safeUrl, type SafeHtml } from '../../html.ts';
import { applicationHref, organizationHref } from './applications.ts';
import { featuresSection, type FeaturesErrors, type FeaturesForm } from './application-features.ts';
import { adminPage, modeBadge, statusBadge, when, type AdminFrame } from './shared.ts';

export interface ApplicationView extends AdminFrame {
  application: Application;
  organization: { id: string; name: string } | undefined;
  communities: readonly { handle: string; name: string }[];
  history: readonly ProductionRequest[];
  checklist: readonly ChecklistItem[];
  form: FeaturesForm;
  errors: FeaturesErrors;
  /** A refused status change. */
  statusError?: string;
  notice?: string;
}

const list = (values: readonly string[], none: string): SafeHtml =>
  values.length === 0
    ? html`<span class="muted">${none}</span>`
    : html`<ul>
        ${values.map((value) => html`<li><code>${value}</code></li>`)}
      </ul>`;

function link(url: string | null): SafeHtml | string {
  const safe = safeUrl(url ?? undefined);
  if (url === null) return 'Not set';
  return safe === undefined ? url : html`<a href="${safe}" rel="noreferrer">${url}</a>`;
}

export function checklistList(items: readonly ChecklistItem[]): SafeHtml {
  return html`<ul class="checklist">
    ${items.map(
      (item) =>
        html`<li>
          <span class="checklist__mark checklist__mark--${item.done ? 'done' : 'todo'}" aria-hidden="true"
            >${item.done ? '✓' : '✗'}</span
          >${item.label}<span class="visually-hidden">${item.done ? ' (done)' : ' (not done)'}</span>
          ${item.detail !== null && html`<span class="muted">: ${item.detail}</span>`}
        </li>`,
    )}
  </ul>`;
}

function facts(view: ApplicationView): SafeHtml {
  const app = view.application;
  const names = new Map(view.communities.map((community) => [community.handle, community.name]));
  const communityNames = (handles: readonly string[]) =>
    handles
      .filter((handle) => names.has(handle))
      .map((handle) => `${names.get(handle) ?? handle} (${handle})`);
  return html`<dl class="facts">
      <div>
        <dt>Client ID</dt>
        <dd><code>${app.clientId}</code></dd>
      </div>
      <div>
        <dt>Organization</dt>
        <dd>
          ${
            view.organization === undefined
              ? 'None (an operator application)'
              : html`<a href="${organizationHref(view.organization.id)}">${view.organization.name}</a>`
          }
        </dd>
      </div>
      <div>
        <dt>Mode</dt>
        <dd>${modeBadge(app.mode)}</dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd>${statusBadge(app.status)}</dd>
      </div>
      <div>
        <dt>Client type</dt>
        <dd>${app.clientType}</dd>
      </div>
      <div>
        <dt>Response types</dt>
        <dd>${app.responseTypes.join(', ')}</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>${when(app.createdAt)}</dd>
      </div>
      <div>
        <dt>First authorization</dt>
        <dd>${when(app.firstAuthorizedAt, 'Not yet')}</dd>
      </div>
      <div>
        <dt>Redirect URIs</dt>
        <dd>${list(app.redirectUris, 'None')}</dd>
      </div>
      <div>
        <dt>Requested communities</dt>
        <dd>${communityNames(app.requestedScopes).join(', ') || 'None'}</dd>
      </div>
      <div>
        <dt>Enabled communities</dt>
        <dd>${communityNames(app.allowedScopes).join(', ') || 'None'}</dd>
      </div>
    </dl>
    <section class="section" aria-labelledby="branding-title">
      <h2 id="branding-title">Branding</h2>
      ${clientLogo({ name: app.name, logoUri: app.logoUrl ?? undefined }, 'large')}
      <dl class="facts">
        <div>
          <dt>Name shown to users</dt>
          <dd>${app.displayName ?? app.name}</dd>
        </div>
        <div>
          <dt>Colour</dt>
          <dd>${app.primaryColor ?? 'Not set'}</dd>
        </div>
        <div>
          <dt>Logo</dt>
          <dd>${app.logoUrl === null ? 'Not uploaded' : 'Uploaded'}</dd>
        </div>
        <div>
          <dt>Privacy policy</dt>
          <dd>${link(app.privacyPolicyUrl)}</dd>
        </div>
        <div>
          <dt>Terms of service</dt>
          <dd>${link(app.termsUrl)}</dd>
        </div>
      </dl>
    </section>`;
}

function statusSection(view: ApplicationView): SafeHtml {
  const app = view.application;
  const action = `${applicationHref(app.clientId)}/status`;
  return html`<section class="section danger" aria-labelledby="status-title">
    <h2 id="status-title">Status</h2>
    ${errorSummary(view.statusError === undefined ? [] : [{ message: view.statusError }])}
    <p>
      ${
        app.status === 'active'
          ? 'Suspending refuses its authorization requests (unauthorized_client) and stops its tokens working; disabling also stops Vetted recognising its client ID.'
          : `The application is ${app.status}: its authorization requests are refused and its tokens do not work.`
      }
    </p>
    <form class="form form--inline actions" method="post" action="${action}">
      ${csrfField(view.csrfToken)}
      ${
        app.status === 'active'
          ? html`${button('Suspend', { name: 'status', value: 'suspended' })}
            ${button('Disable', { name: 'status', value: 'disabled', variant: 'secondary' })}`
          : button('Reactivate', { name: 'status', value: 'active' })
      }
    </form>
  </section>`;
}

function historySection(view: ApplicationView): SafeHtml {
  return html`<section class="section" aria-labelledby="history-title">
    <h2 id="history-title">Production</h2>
    <h3>Checklist now</h3>
    ${checklistList(view.checklist)}
    <h3>Requests</h3>
    ${
      view.history.length === 0
        ? html`<p class="empty">No production request yet.</p>`
        : html`<table class="table">
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Decision</th>
                <th scope="col">Decided</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              ${view.history.map(
                (request) =>
                  html`<tr>
                    <td class="nowrap">${when(request.requestedAt)}</td>
                    <td>
                      ${
                        request.status === 'pending'
                          ? html`<a href="/admin/production-requests">Waiting</a>`
                          : request.status === 'approved'
                            ? 'Approved'
                            : 'Declined'
                      }
                    </td>
                    <td class="nowrap">${when(request.decidedAt)}</td>
                    <td>${request.note ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

/** `/admin/applications/:clientId`: the application, its features and status, and its production history. */
export function renderApplication(view: ApplicationView): string {
  const app = view.application;
  return adminPage(view, {
    title: app.name,
    current: applicationHref(app.clientId),
    breadcrumbs: [
      { href: '/admin', label: 'Administration' },
      { href: '/admin/applications', label: 'Applications' },
    ],
    body: html`${notice(view.notice)} ${facts(view)}
      ${featuresSection({
        action: `${applicationHref(app.clientId)}/features`,
        csrfToken: view.csrfToken,
        communities: view.communities,
        requested: app.requestedScopes,
        form: view.form,
        errors: view.errors,
      })}
      <section class="section" aria-labelledby="passback-title">
        <h2 id="passback-title">Document passback</h2>
        <p>
          ${app.documentPassback ? 'Enabled.' : 'Not enabled (see the features above).'}
          <a href="${applicationHref(app.clientId)}/passback-token">Manage the document passback API token</a>
        </p>
      </section>
      ${statusSection(view)} ${historySection(view)}`,
  });
}
