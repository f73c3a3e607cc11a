import type { Application } from '../../../partners/application.ts';
import { pager } from '../../console-layout.ts';
import { html } from '../../html.ts';
import { adminPage, modeBadge, searchForm, statusBadge, when, type AdminFrame } from './shared.ts';

export interface ApplicationListView extends AdminFrame {
  query: string;
  offset: number;
  limit: number;
  total: number;
  items: { application: Application; organization: { id: string; name: string } | undefined }[];
}

export const applicationHref = (clientId: string) => `/admin/applications/${encodeURIComponent(clientId)}`;
export const organizationHref = (id: string) => `/admin/organizations/${encodeURIComponent(id)}`;

/** `/admin/applications`: every application, newest first, searchable by name and client ID. */
export function renderApplicationList(view: ApplicationListView): string {
  const href = (offset: number) =>
    `/admin/applications?${new URLSearchParams({ ...(view.query === '' ? {} : { q: view.query }), offset: String(offset) }).toString()}`;
  return adminPage(view, {
    title: 'Applications',
    current: '/admin/applications',
    body: html`${searchForm({ action: '/admin/applications', label: 'Name or client ID', query: view.query })}
    ${
      view.items.length === 0
        ? html`<p class="empty">
            ${view.query === '' ? 'There are no applications yet.' : 'No application matches.'}
          </p>`
        : html`<table class="table">
            <caption class="visually-hidden">
              Applications
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Organization</th>
                <th scope="col">Mode</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              ${view.items.map(
                ({ application, organization }) =>
                  html`<tr>
                    <td>
                      <a href="${applicationHref(application.clientId)}">${application.name}</a><br /><code
                        class="muted"
                        >${application.clientId}</code
                      >
                    </td>
                    <td>
                      ${
                        organization === undefined
                          ? html`<span class="muted">Operator</span>`
                          : html`<a href="${organizationHref(organization.id)}">${organization.name}</a>`
                      }
                    </td>
                    <td>${modeBadge(application.mode)}</td>
                    <td>${statusBadge(application.status)}</td>
                    <td class="nowrap">${when(application.createdAt)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${pager({ total: view.total, offset: view.offset, limit: view.limit, href })}`,
  });
}
