import type { Application } from '../../../partners/application.ts';
import type { Member, Organization } from '../../../partners/organizations.ts';
import { pager } from '../../console-layout.ts';
import { html } from '../../html.ts';
import { applicationHref, organizationHref } from './applications.ts';
import { adminPage, modeBadge, searchForm, statusBadge, when, type AdminFrame } from './shared.ts';

export interface OrganizationListView extends AdminFrame {
  query: string;
  offset: number;
  limit: number;
  total: number;
  items: readonly Organization[];
}

/** `/admin/organizations`: every partner organization by name, searchable by name or ID. */
export function renderOrganizationList(view: OrganizationListView): string {
  const href = (offset: number) =>
    `/admin/organizations?${new URLSearchParams({ ...(view.query === '' ? {} : { q: view.query }), offset: String(offset) }).toString()}`;
  return adminPage(view, {
    title: 'Organizations',
    current: '/admin/organizations',
    body: html`${searchForm({ action: '/admin/organizations', label: 'Name or ID', query: view.query })}
    ${
      view.items.length === 0
        ? html`<p class="empty">
            ${view.query === '' ? 'There are no organizations yet.' : 'No organization matches.'}
          </p>`
        : html`<table class="table">
            <caption class="visually-hidden">
              Organizations
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">ID</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              ${view.items.map(
                (organization) =>
                  html`<tr>
                    <td><a href="${organizationHref(organization.id)}">${organization.name}</a></td>
                    <td><code class="muted">${organization.id}</code></td>
                    <td class="nowrap">${when(organization.createdAt)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${pager({ total: view.total, offset: view.offset, limit: view.limit, href })}`,
  });
}

export interface OrganizationView extends AdminFrame {
  organization: Organization;
  members: readonly Member[];
  applications: readonly Application[];
  /** More applications than listed. */
  moreApplications: number;
}

/** `/admin/organizations/:id`: the members and the applications of one organization. */
export function renderOrganization(view: OrganizationView): string {
  const { organization } = view;
  return adminPage(view, {
    title: organization.name,
    current: organizationHref(organization.id),
    breadcrumbs: [
      { href: '/admin', label: 'Administration' },
      { href: '/admin/organizations', label: 'Organizations' },
    ],
    body: html`<dl class="facts">
        <div>
          <dt>ID</dt>
          <dd><code>${organization.id}</code></dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>${when(organization.createdAt)}</dd>
        </div>
      </dl>
      <section class="section" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            ${view.members.map(
              (member) =>
                html`<tr>
                  <td>${member.firstName} ${member.lastName}</td>
                  <td>${member.email}</td>
                  <td>${member.role}</td>
                  <td class="nowrap">${when(member.since)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section class="section" aria-labelledby="applications-title">
        <h2 id="applications-title">Applications</h2>
        ${
          view.applications.length === 0
            ? html`<p class="empty">This organization has no applications.</p>`
            : html`<table class="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Mode</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  ${view.applications.map(
                    (application) =>
                      html`<tr>
                        <td><a href="${applicationHref(application.clientId)}">${application.name}</a></td>
                        <td>${modeBadge(application.mode)}</td>
                        <td>${statusBadge(application.status)}</td>
                        <td class="nowrap">${when(application.createdAt)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }
        ${
          view.moreApplications > 0 &&
          html`<p class="muted">
            And ${view.moreApplications} more (the ${view.applications.length} newest are listed).
          </p>`
        }
      </section>`,
  });
}
