import type { ApplicationView, OrganizationView } from '../../../manage/schemas.ts';
import { badge, pager } from '../../console-layout.ts';
import {
  button,
  csrfField,
  errorSummary,
  field,
  notice,
  selectField,
  textareaField,
} from '../../components.ts';
import { html, type SafeHtml } from '../../html.ts';
import { checkboxes } from './controls.ts';

export function organizationsBody(view: {
  organizations: OrganizationView[];
  csrfToken: string;
  notice?: string | undefined;
  name?: string;
  error?: string;
}): SafeHtml {
  return html`${notice(view.notice)}
    ${
      view.organizations.length === 0
        ? html`<p class="card__lede">
            Welcome. Create an organization for your company: its applications, members and API keys live in
            it.
          </p>`
        : html`<ul class="list">
            ${view.organizations.map(
              (org) =>
                html`<li>
                  <a href="/developer/orgs/${encodeURIComponent(org.id)}">${org.name}</a>
                  <span class="muted">${org.role ?? ''}</span>
                </li>`,
            )}
          </ul>`
    }
    <section class="section" aria-labelledby="new-org">
      <h2 id="new-org">Create an organization</h2>
      ${errorSummary(view.error === undefined ? [] : [{ message: view.error, field: 'name' }])}
      <form class="form" method="post" action="/developer/orgs" novalidate>
        ${csrfField(view.csrfToken)}
        ${field({ name: 'name', label: 'Organization name', value: view.name, error: view.error, required: true, maxlength: 100 })}
        ${button('Create organization')}
      </form>
    </section>`;
}

const modeBadge = (mode: string) =>
  badge(mode === 'production' ? 'Production' : 'Sandbox', mode === 'production' ? 'good' : 'warn');
const statusBadge = (status: string) =>
  status === 'active'
    ? badge('Active', 'good')
    : badge(status === 'suspended' ? 'Suspended' : 'Disabled', 'bad');

export function applicationsBody(view: {
  orgPath: string;
  applications: ApplicationView[];
  total: number;
  offset: number;
  limit: number;
  query: string;
  notice?: string | undefined;
}): SafeHtml {
  const href = (offset: number) =>
    `${view.orgPath}?${new URLSearchParams({ q: view.query, offset: String(offset) }).toString()}`;
  return html`${notice(view.notice)}
    <div class="actions">
      <a class="button button--primary" href="${view.orgPath}/apps/new">Register an application</a>
      <a href="${view.orgPath}/members">Members</a>
      <a href="${view.orgPath}/api-keys">API keys</a>
    </div>
    <form class="form form--inline" method="get" action="${view.orgPath}" role="search">
      ${field({ name: 'q', label: 'Search applications', value: view.query, hint: 'Name or client ID' })}
      ${button('Search', { variant: 'secondary' })}
    </form>
    ${
      view.applications.length === 0
        ? html`<p class="empty">${view.query === '' ? 'No applications yet.' : 'No application matches.'}</p>`
        : html`<table class="table">
            <caption class="visually-hidden">
              Applications
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client ID</th>
                <th scope="col">Mode</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              ${view.applications.map(
                (app) =>
                  html`<tr>
                    <td>
                      <a href="${view.orgPath}/apps/${encodeURIComponent(app.client_id)}">${app.name}</a>
                    </td>
                    <td><code class="value">${app.client_id}</code></td>
                    <td>${modeBadge(app.mode)}</td>
                    <td>${statusBadge(app.status)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${pager({ total: view.total, offset: view.offset, limit: view.limit, href })}`;
}

export { modeBadge, statusBadge };

export interface NewApplicationValues {
  name?: string;
  display_name?: string;
  redirect_uris?: string;
  client_type?: string;
  requested_scopes?: string[];
}

export function newApplicationBody(view: {
  action: string;
  csrfToken: string;
  communities: { handle: string; name: string }[];
  values: NewApplicationValues;
  errors: Partial<Record<keyof NewApplicationValues | 'form', string>>;
}): SafeHtml {
  const { values, errors } = view;
  const summary = Object.entries(errors).map(([key, message]) => ({
    message,
    ...(key === 'form' ? {} : { field: key }),
  }));
  return html`${errorSummary(summary)}
    <p class="card__lede">
      New applications start in <strong>sandbox</strong>: only your test users can sign in until an
      administrator approves production.
    </p>
    <form class="form" method="post" action="${view.action}" novalidate>
      ${csrfField(view.csrfToken)}
      ${field({ name: 'name', label: 'Application name', value: values.name, error: errors.name, required: true, maxlength: 100, hint: 'Your own label, e.g. "Shop — website".' })}
      ${field({ name: 'display_name', label: 'Display name', value: values.display_name, error: errors.display_name, maxlength: 100, hint: 'What your users see on the consent page; the name when empty.' })}
      ${textareaField({ name: 'redirect_uris', label: 'Redirect URIs', value: values.redirect_uris, error: errors.redirect_uris, hint: 'One per line, matched exactly. https (http only for localhost, or anywhere in sandbox); native apps may use a reverse-domain scheme.' })}
      ${selectField({
        name: 'client_type',
        label: 'Application type',
        value: values.client_type ?? 'confidential',
        choices: [
          { value: 'confidential', label: 'Web server (confidential: has a client secret)' },
          { value: 'public', label: 'Single-page or native app (public: PKCE, no secret)' },
        ],
      })}
      ${checkboxes({
        name: 'requested_scopes',
        legend: 'Communities to verify',
        hint: 'An administrator enables the ones you ask for.',
        choices: view.communities.map((community) => ({ value: community.handle, label: community.name })),
        checked: new Set(values.requested_scopes ?? []),
        error: errors.requested_scopes,
      })}
      ${button('Register application')}
    </form>`;
}
