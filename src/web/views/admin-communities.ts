import { badge } from '../console-layout.ts';
import { button, csrfField, errorSummary, field, notice, selectField, textareaField } from '../components.ts';
import { html, type SafeHtml } from '../html.ts';
import type { Community } from '../../verification/types.ts';
import { adminPage, when, type AdminFrame } from './admin/shared.ts';

const COMMUNITIES = { href: '/admin/communities', label: 'Communities' };

const methodNames: Record<string, string> = {
  email_domain: 'Email domain',
  document: 'Document review',
  roster: 'Roster',
  registry: 'Registry',
};

const days = (value: number | null) => (value === null ? 'Does not expire' : `${value} days`);

function methodList(community: Community): string {
  return community.methods.map((method) => methodNames[method] ?? method).join(', ') || 'None';
}

export interface AdminCommunitiesView extends AdminFrame {
  items: readonly Community[];
  href: (handle: string) => string;
}

/** Every community, in display order, with how it is proven. */
export function renderAdminCommunities(view: AdminCommunitiesView): string {
  return adminPage(view, {
    title: 'Communities',
    current: COMMUNITIES.href,
    body:
      view.items.length === 0
        ? html`<p class="empty">No communities.</p>`
        : html`<table class="table">
            <caption class="visually-hidden">
              Communities
            </caption>
            <thead>
              <tr>
                <th scope="col">Community</th>
                <th scope="col">Handle</th>
                <th scope="col">Methods</th>
                <th scope="col">Valid for</th>
              </tr>
            </thead>
            <tbody>
              ${view.items.map(
                (community) =>
                  html`<tr>
                    <td><a href="${view.href(community.handle)}">${community.name}</a></td>
                    <td><code>${community.handle}</code></td>
                    <td>${methodList(community)}</td>
                    <td>${days(community.validityDays)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`,
  });
}

export interface AdminCommunityView extends AdminFrame {
  community: Community;
  rules: readonly { id: string; subgroup: string; pattern: string; createdAt: Date; removeAction: string }[];
  rosters: readonly {
    id: string;
    organization: string;
    entries: number;
    createdAt: Date;
    removeAction: string;
  }[];
  actions: { addRule: string; importRoster: string };
  /** Messages by form field (`subgroup`, `pattern`, `organization`, `csv`), or for the page (`form`). */
  errors?: Partial<Record<'subgroup' | 'pattern' | 'organization' | 'csv' | 'form', string>>;
  /** Roster lines that were refused, with their line numbers. */
  problems?: readonly { line: number; message: string }[];
  values?: Partial<Record<'subgroup' | 'pattern' | 'organization' | 'csv', string>>;
  notice?: string;
}

function rulesSection(view: AdminCommunityView): SafeHtml {
  const { community, errors = {}, values = {} } = view;
  return html`<section class="section" aria-labelledby="rules-title">
    <h2 id="rules-title">Email-domain rules</h2>
    <p>Confirmed addresses at a matching domain verify the subgroup.</p>
    ${
      view.rules.length === 0
        ? html`<p class="empty">No rules.</p>`
        : html`<table class="table">
            <thead>
              <tr>
                <th scope="col">Pattern</th>
                <th scope="col">Subgroup</th>
                <th scope="col">Added</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              ${view.rules.map(
                (rule) =>
                  html`<tr>
                    <td><code>${rule.pattern}</code></td>
                    <td>${rule.subgroup}</td>
                    <td class="nowrap">${when(rule.createdAt)}</td>
                    <td>
                      <form method="post" action="${rule.removeAction}">
                        ${csrfField(view.csrfToken)}
                        ${button(`Remove ${rule.pattern}`, { variant: 'secondary' })}
                      </form>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <h3>Add a rule</h3>
    <form class="form" method="post" action="${view.actions.addRule}" novalidate>
      ${csrfField(view.csrfToken)}
      ${selectField({
        name: 'subgroup',
        label: 'Subgroup',
        choices: community.subgroups.map((subgroup) => ({ value: subgroup, label: subgroup })),
        value: values.subgroup,
        error: errors.subgroup,
        placeholder: 'Choose…',
      })}
      ${field({
        name: 'pattern',
        label: 'Domain pattern',
        hint: 'Dot-separated labels; * alone stands for one or more labels: *.mil, army.mil, *.k12.*.us',
        value: values.pattern,
        error: errors.pattern,
        verbatim: true,
      })}
      ${button('Add rule')}
    </form>
  </section>`;
}

function rostersSection(view: AdminCommunityView): SafeHtml {
  const { errors = {}, values = {} } = view;
  return html`<section class="section" aria-labelledby="rosters-title">
    <h2 id="rosters-title">Rosters</h2>
    ${
      view.rosters.length === 0
        ? html`<p class="empty">No rosters.</p>`
        : html`<table class="table">
            <thead>
              <tr>
                <th scope="col">Organization</th>
                <th scope="col">Members</th>
                <th scope="col">Imported</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              ${view.rosters.map(
                (roster) =>
                  html`<tr>
                    <td>${roster.organization}</td>
                    <td>${roster.entries}</td>
                    <td class="nowrap">${when(roster.createdAt)}</td>
                    <td>
                      <form method="post" action="${roster.removeAction}">
                        ${csrfField(view.csrfToken)}
                        ${button(`Remove the roster of ${roster.organization}`, { variant: 'secondary' })}
                      </form>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <h3>Import a roster</h3>
    ${
      view.problems !== undefined &&
      view.problems.length > 0 &&
      html`<ul class="error-summary__list">
        ${view.problems.map((problem) => html`<li>Line ${problem.line}: ${problem.message}</li>`)}
      </ul>`
    }
    <form class="form" method="post" action="${view.actions.importRoster}" novalidate>
      ${csrfField(view.csrfToken)}
      ${field({
        name: 'organization',
        label: 'Organization',
        value: values.organization,
        error: errors.organization,
      })}
      ${textareaField({
        name: 'csv',
        label: 'Members (CSV)',
        hint: 'A header row: first_name, last_name, subgroup, and email or member_id. Up to 16 KB here; import larger files with `vetted rosters import`.',
        value: values.csv,
        error: errors.csv,
      })}
      ${button('Import roster')}
    </form>
  </section>`;
}

/** One community: how it is proven, its email-domain rules and rosters. */
export function renderAdminCommunity(view: AdminCommunityView): string {
  const { community, errors = {} } = view;
  const problems = Object.entries(errors).map(([name, message]) =>
    name === 'form' ? { message } : { message, field: name },
  );
  const validity = Object.entries(community.subgroupValidityDays);
  return adminPage(view, {
    title: community.name,
    current: `${COMMUNITIES.href}/${community.handle}`,
    breadcrumbs: [COMMUNITIES],
    body: html`${errorSummary(problems)} ${notice(view.notice)}
      <dl class="facts">
        <dt>Handle (scope)</dt>
        <dd><code>${community.handle}</code></dd>
        <dt>Methods</dt>
        <dd>${methodList(community)}</dd>
        <dt>Valid for</dt>
        <dd>
          ${days(community.validityDays)}
          ${validity.map(([subgroup, value]) => html`<br /><span class="muted">${subgroup}: ${days(value)}</span>`)}
        </dd>
        <dt>Subgroups</dt>
        <dd>${community.subgroups.join(', ')}</dd>
      </dl>
      <section class="section" aria-labelledby="documents-title">
        <h2 id="documents-title">Document types</h2>
        ${
          community.documentTypes.length === 0
            ? html`<p class="empty">No document types.</p>`
            : html`<ul>
                ${community.documentTypes.map(
                  (type) =>
                    html`<li>
                      ${type.name} <code>${type.handle}</code> ${type.back && badge('Front and back')}
                    </li>`,
                )}
              </ul>`
        }
      </section>
      ${rulesSection(view)} ${rostersSection(view)}`,
  });
}
