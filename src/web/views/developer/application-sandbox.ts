import type { ApplicationView, ChecklistItemView, ProductionRequestView } from '../../../manage/schemas.ts';
import { button, csrfField, errorSummary, notice, selectField } from '../../components.ts';
import { html, type SafeHtml } from '../../html.ts';
import { secretOnce } from './controls.ts';
import { personaTable } from '../persona-table.ts';
import { invitationsTable, inviteForm, type InvitationRow } from './sandbox-invitations.ts';

export type { InvitationRow };

export interface PersonaRow {
  email: string;
  password: string | null;
  community: string;
  outcome: string;
  description: string;
}

export interface TestUserRow {
  user_id: string;
  email: string;
  name: string;
  community: string | null;
  outcome: string | null;
}

const outcomes = [
  { value: 'pass', label: 'Verified at once' },
  { value: 'review', label: 'Goes to manual review' },
  { value: 'reject', label: 'Rejected' },
  { value: 'expired', label: 'Verified, but expired' },
];

export function sandboxBody(view: {
  app: ApplicationView;
  personas: PersonaRow[];
  testUsers: TestUserRow[];
  invitations: InvitationRow[];
  communities: { handle: string; name: string }[];
  createAction: string;
  addAction: string;
  removeAction: (userId: string) => string;
  withdrawAction: (invitationId: string) => string;
  testAction: string;
  csrfToken: string;
  created?: { email: string; password: string };
  notice?: string | undefined;
  errors?: { create?: string; add?: string; test?: string };
  email?: string;
}): SafeHtml {
  const enabled = view.communities.filter((community) => view.app.enabled_scopes.includes(community.handle));
  const errors = view.errors ?? {};
  return html`${notice(view.notice)}
    ${view.created !== undefined && secretOnce(`Password of ${view.created.email}`, view.created.password, 'the password')}
    ${errorSummary([
      ...(errors.create === undefined ? [] : [{ message: errors.create, field: 'community' }]),
      ...(errors.add === undefined ? [] : [{ message: errors.add, field: 'email' }]),
      ...(errors.test === undefined ? [] : [{ message: errors.test }]),
    ])}
    <form class="actions" method="post" action="${view.testAction}">
      ${csrfField(view.csrfToken)} ${button('Test this app')}
      <span class="muted"
        >Starts a sandbox sign-in (with PKCE) that returns to Vetted's test callback, which exchanges the code
        and shows the token and attributes responses: sign in as a persona below. Sandbox applications may
        always return there; your own redirect URIs are unchanged.</span
      >
    </form>
    <section class="section" aria-labelledby="personas">
      <h2 id="personas">Ready-made test personas</h2>
      ${
        view.personas.length === 0
          ? html`<p class="empty">
              Personas appear here once an administrator enables a community for this application.
            </p>`
          : personaTable(view.personas, 'Test personas and their sign-in details')
      }
    </section>
    <section class="section" aria-labelledby="own-testers">
      <h2 id="own-testers">This application's test users</h2>
      ${
        view.testUsers.length === 0
          ? html`<p class="empty">No test users of its own yet.</p>`
          : html`<table class="table">
              <caption class="visually-hidden">
                Test users of this application
              </caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Name</th>
                  <th scope="col">Persona</th>
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                ${view.testUsers.map(
                  (user) =>
                    html`<tr>
                      <td><code class="value">${user.email}</code></td>
                      <td>${user.name}</td>
                      <td>
                        ${user.community === null ? 'Invited account' : `${user.community}: ${user.outcome ?? ''}`}
                      </td>
                      <td>
                        <form method="post" action="${view.removeAction(user.user_id)}">
                          ${csrfField(view.csrfToken)}
                          <button
                            class="button button--secondary"
                            type="submit"
                            aria-label="Remove ${user.email}"
                          >
                            Remove
                          </button>
                        </form>
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      ${
        enabled.length > 0 &&
        html`<form class="form" method="post" action="${view.createAction}" novalidate>
          ${csrfField(view.csrfToken)}
          <h3>Create a test persona</h3>
          ${selectField({ name: 'community', label: 'Community', choices: enabled.map((c) => ({ value: c.handle, label: c.name })), error: errors.create })}
          ${selectField({ name: 'outcome', label: 'Outcome', choices: outcomes })}
          ${button('Create test persona')}
        </form>`
      }
      ${invitationsTable({ invitations: view.invitations, withdrawAction: view.withdrawAction, csrfToken: view.csrfToken })}
      ${inviteForm({ action: view.addAction, csrfToken: view.csrfToken, email: view.email, error: errors.add })}
    </section>`;
}

export function productionBody(view: {
  app: ApplicationView;
  checklist: ChecklistItemView[];
  requests: ProductionRequestView[];
  requestAction: string;
  csrfToken: string;
  notice?: string | undefined;
  error?: string;
}): SafeHtml {
  const pending = view.requests.some((request) => request.status === 'pending');
  const ready = view.checklist.every((item) => item.done);
  return html`${notice(view.notice)}
  ${errorSummary(view.error === undefined ? [] : [{ message: view.error }])}
  ${
    view.app.mode === 'production'
      ? html`<p class="notice" role="status">
          This application is in production: every Vetted user can sign in to it.
        </p>`
      : html`<p>In sandbox only test users can sign in. Before production:</p>
          <ul class="checklist">
            ${view.checklist.map(
              (item) =>
                html`<li>
                  <span
                    class="checklist__mark checklist__mark--${item.done ? 'done' : 'todo'}"
                    aria-hidden="true"
                    >${item.done ? '✓' : '✗'}</span
                  >
                  ${item.label}<span class="visually-hidden">: ${item.done ? 'done' : 'to do'}</span>
                  ${item.detail !== null && html`<span class="muted"> — ${item.detail}</span>`}
                </li>`,
            )}
          </ul>
          ${
            pending
              ? html`<p class="notice" role="status">Your request is waiting for an administrator.</p>`
              : html`<form method="post" action="${view.requestAction}">
                  ${csrfField(view.csrfToken)}
                  ${button(ready ? 'Request production mode' : 'Request production mode (checklist incomplete)')}
                </form>`
          }`
  }
  ${
    view.requests.length > 0 &&
    html`<section class="section" aria-labelledby="history">
      <h2 id="history">Requests</h2>
      <table class="table">
        <caption class="visually-hidden">
          Production requests
        </caption>
        <thead>
          <tr>
            <th scope="col">Asked</th>
            <th scope="col">Decision</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          ${view.requests.map(
            (request) =>
              html`<tr>
                <td>${request.requested_at.slice(0, 16).replace('T', ' ')} UTC</td>
                <td>${request.status}</td>
                <td>${request.note ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`
  }`;
}

export function integrationBody(view: {
  discoveryUrl: string;
  snippets: { language: string; title: string; code: string }[];
}): SafeHtml {
  return html`<p>Discovery URL: <code class="value">${view.discoveryUrl}</code></p>
    <p class="muted">
      Each server-side snippet reads the client secret from the CLIENT_SECRET environment variable: never put
      it in code. The example shop in the Vetted repository (examples/partner-shop) runs all of it end to end.
    </p>
    ${view.snippets.map(
      (snippet) =>
        html`<section class="section" aria-labelledby="snippet-${snippet.language}">
          <h2 id="snippet-${snippet.language}">${snippet.title}</h2>
          <pre class="code" tabindex="0" aria-label="${snippet.title} code">${snippet.code}</pre>
        </section>`,
    )}`;
}
