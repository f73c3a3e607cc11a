import type { ApiKeyView, InvitationView, MemberView } from '../../../manage/schemas.ts';
import { button, csrfField, errorSummary, field, notice, selectField } from '../../components.ts';
import { html, type SafeHtml } from '../../html.ts';
import { checkboxes, secretOnce } from './controls.ts';

const roles = [
  { value: 'viewer', label: 'Viewer: sees everything, changes nothing' },
  { value: 'developer', label: 'Developer: edits applications and test users' },
  { value: 'admin', label: 'Admin: also members, secrets, production and deletion' },
  { value: 'owner', label: 'Owner: also makes owners' },
];
const roleName = (role: string) => role.charAt(0).toUpperCase() + role.slice(1);

export function membersBody(view: {
  members: MemberView[];
  invitations: InvitationView[] | undefined;
  me: string;
  base: string;
  csrfToken: string;
  notice?: string | undefined;
  error?: string;
  email?: string;
}): SafeHtml {
  return html`${notice(view.notice)}
    ${errorSummary(view.error === undefined ? [] : [{ message: view.error, field: 'email' }])}
    <table class="table">
      <caption class="visually-hidden">
        Members
      </caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Email</th>
          <th scope="col">Role</th>
          <th scope="col"><span class="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        ${view.members.map(
          (member) =>
            html`<tr>
              <td>${member.name}${member.user_id === view.me ? ' (you)' : ''}</td>
              <td>${member.email}</td>
              <td>
                <form
                  class="form--inline"
                  method="post"
                  action="${view.base}/${encodeURIComponent(member.user_id)}/role"
                >
                  ${csrfField(view.csrfToken)}
                  <label class="visually-hidden" for="role-${member.user_id}">Role of ${member.email}</label>
                  <select class="field__input field__select" id="role-${member.user_id}" name="role">
                    ${roles.map((role) => html`<option value="${role.value}" ${role.value === member.role ? 'selected' : ''}>${roleName(role.value)}</option>`)}
                  </select>
                  <button
                    class="button button--secondary"
                    type="submit"
                    aria-label="Change the role of ${member.email}"
                  >
                    Change
                  </button>
                </form>
              </td>
              <td>
                <form method="post" action="${view.base}/${encodeURIComponent(member.user_id)}/remove">
                  ${csrfField(view.csrfToken)}
                  <button
                    class="button button--secondary"
                    type="submit"
                    aria-label="${member.user_id === view.me ? 'Leave the organization' : `Remove ${member.email}`}"
                  >
                    ${member.user_id === view.me ? 'Leave' : 'Remove'}
                  </button>
                </form>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      view.invitations !== undefined &&
      html`<section class="section" aria-labelledby="invite">
        <h2 id="invite">Invite someone</h2>
        <form
          class="form"
          method="post"
          action="${view.base.replace(/\/members$/, '/invitations')}"
          novalidate
        >
          ${csrfField(view.csrfToken)}
          ${field({ name: 'email', label: 'Email', type: 'email', value: view.email, error: view.error, verbatim: true, required: true })}
          ${selectField({ name: 'role', label: 'Role', value: 'developer', choices: roles })}
          ${button('Send invitation')}
        </form>
        ${
          view.invitations.length > 0 &&
          html`<table class="table">
            <caption>
              Invitations
            </caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              ${view.invitations.map(
                (invitation) =>
                  html`<tr>
                    <td>${invitation.email}</td>
                    <td>${roleName(invitation.role)}</td>
                    <td>
                      ${invitation.accepted_at !== null ? 'Accepted' : `Until ${invitation.expires_at.slice(0, 10)}`}
                    </td>
                    <td>
                      ${
                        invitation.accepted_at === null &&
                        html`<form
                          method="post"
                          action="${view.base.replace(/\/members$/, '/invitations')}/${encodeURIComponent(invitation.id)}/revoke"
                        >
                          ${csrfField(view.csrfToken)}
                          <button
                            class="button button--secondary"
                            type="submit"
                            aria-label="Withdraw the invitation of ${invitation.email}"
                          >
                            Withdraw
                          </button>
                        </form>`
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
        }
      </section>`
    }`;
}

export function apiKeysBody(view: {
  keys: ApiKeyView[];
  base: string;
  csrfToken: string;
  created?: string;
  notice?: string | undefined;
  errors?: { name?: string; scopes?: string };
  name?: string;
  scopes?: string[];
}): SafeHtml {
  const errors = view.errors ?? {};
  return html`${notice(view.notice)}
    ${view.created !== undefined && secretOnce('API key', view.created, 'the key')}
    ${errorSummary([
      ...(errors.name === undefined ? [] : [{ message: errors.name, field: 'name' }]),
      ...(errors.scopes === undefined ? [] : [{ message: errors.scopes, field: 'scopes' }]),
    ])}
    <p>
      API keys call the <a href="/api/manage/v1/openapi.json">management API</a> as this organization:
      <code>Authorization: Bearer vtd_…</code>.
    </p>
    ${
      view.keys.length === 0
        ? html`<p class="empty">No API keys.</p>`
        : html`<table class="table">
            <caption class="visually-hidden">
              API keys
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scopes</th>
                <th scope="col">Last used</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              ${view.keys.map(
                (key) =>
                  html`<tr>
                    <td>${key.name}</td>
                    <td>${key.scopes.join(', ')}</td>
                    <td>
                      ${key.revoked_at !== null ? 'Revoked' : (key.last_used_at?.slice(0, 16).replace('T', ' ') ?? 'Never')}
                    </td>
                    <td>
                      ${
                        key.revoked_at === null &&
                        html`<form method="post" action="${view.base}/${encodeURIComponent(key.id)}/revoke">
                          ${csrfField(view.csrfToken)}
                          <button
                            class="button button--secondary"
                            type="submit"
                            aria-label="Revoke ${key.name}"
                          >
                            Revoke
                          </button>
                        </form>`
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <section class="section" aria-labelledby="new-key">
      <h2 id="new-key">Create an API key</h2>
      <form class="form" method="post" action="${view.base}" novalidate>
        ${csrfField(view.csrfToken)}
        ${field({ name: 'name', label: 'Key name', value: view.name, error: errors.name, required: true, maxlength: 100, hint: 'Where it is used, e.g. "CI deploys".' })}
        ${checkboxes({
          name: 'scopes',
          legend: 'Scopes',
          choices: [
            { value: 'applications:read', label: 'Read applications' },
            { value: 'applications:write', label: 'Change applications' },
            { value: 'organization:read', label: 'Read the organization' },
            { value: 'organization:write', label: 'Change the organization (members, invitations)' },
          ],
          checked: new Set(view.scopes ?? ['applications:read']),
          error: errors.scopes,
        })}
        ${button('Create API key')}
      </form>
    </section>`;
}

export function invitationBody(view: { action: string; csrfToken: string; error?: string }): SafeHtml {
  return html`${errorSummary(view.error === undefined ? [] : [{ message: view.error }])}
    <p>You were invited to an organization on Vetted.</p>
    <form method="post" action="${view.action}">
      ${csrfField(view.csrfToken)} ${button('Accept invitation')}
    </form>`;
}
