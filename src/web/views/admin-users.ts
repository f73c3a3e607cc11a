import { badge, pager } from '../console-layout.ts';
import { button, csrfField, errorSummary, field, notice, textareaField } from '../components.ts';
import { html, type SafeHtml } from '../html.ts';
import { adminPage, searchForm, when, type AdminFrame } from './admin/shared.ts';

export interface AdminUserSummary {
  href: string;
  name: string;
  email: string;
  emailVerified: boolean;
  createdAt: Date;
  locked: boolean;
  testPersona: string | null;
}

export interface AdminUsersView extends AdminFrame {
  query: string;
  total: number;
  offset: number;
  limit: number;
  items: readonly AdminUserSummary[];
  href: (offset: number) => string;
  notice?: string;
}

const USERS = { href: '/admin/users', label: 'Users' };

function flags(user: { emailVerified: boolean; locked: boolean; testPersona: string | null }): SafeHtml {
  return html`${user.locked && badge('Locked', 'bad')}
  ${!user.emailVerified && badge('Email not confirmed', 'warn')}
  ${user.testPersona !== null && badge('Test persona')}`;
}

/** The users, searched by email or name, newest first. */
export function renderAdminUsers(view: AdminUsersView): string {
  const found = view.total === 1 ? '1 account' : `${view.total} accounts`;
  return adminPage(view, {
    title: 'Users',
    current: USERS.href,
    body: html`${notice(view.notice)}
      ${searchForm({ action: USERS.href, label: 'Email address or name', query: view.query })}
      <p>
        ${view.query === '' ? `${found}, newest first.` : `${found} match “${view.query}”, newest first.`}
      </p>
      ${
        view.items.length === 0
          ? html`<p class="empty">No account matches.</p>`
          : html`<table class="table">
              <caption class="visually-hidden">
                Accounts
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Created</th>
                  <th scope="col"><span class="visually-hidden">State</span></th>
                </tr>
              </thead>
              <tbody>
                ${view.items.map(
                  (user) =>
                    html`<tr>
                      <td><a href="${user.href}">${user.name}</a></td>
                      <td>${user.email}</td>
                      <td class="nowrap">${when(user.createdAt)}</td>
                      <td>${flags(user)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      ${pager({ total: view.total, offset: view.offset, limit: view.limit, href: view.href })}`,
  });
}

export interface AdminUserVerification {
  community: string;
  status: string;
  method: string;
  subgroups: readonly string[];
  createdAt: Date;
  verifiedAt: Date | null;
  expiresAt: Date | null;
}

export interface AdminUserView extends AdminFrame {
  user: {
    id: string;
    name: string;
    email: string;
    emailVerified: boolean;
    createdAt: Date;
    testPersona: string | null;
    lockedAt: Date | null;
    lockedReason: string | null;
  };
  verifications: readonly AdminUserVerification[];
  apps: readonly { name: string; clientId: string; scopes: readonly string[]; since: Date }[];
  actions: { lock: string; unlock: string; delete: string };
  /** Messages by form field (`reason`, `confirm`), or for the page (`form`). */
  errors?: { reason?: string; confirm?: string; form?: string };
  values?: { reason?: string; confirm?: string };
  notice?: string;
}

const statusTone = (status: string) =>
  status === 'verified' ? 'good' : ['rejected', 'revoked', 'expired'].includes(status) ? 'bad' : 'neutral';

function lockSection(view: AdminUserView): SafeHtml {
  const { user, errors = {}, values = {} } = view;
  if (user.lockedAt !== null) {
    return html`<section class="section" aria-labelledby="lock-title">
      <h2 id="lock-title">Locked</h2>
      <p>Locked ${when(user.lockedAt)}: ${user.lockedReason ?? ''}</p>
      <form class="form" method="post" action="${view.actions.unlock}">
        ${csrfField(view.csrfToken)} ${button('Unlock account', { variant: 'secondary' })}
      </form>
    </section>`;
  }
  return html`<section class="section" aria-labelledby="lock-title">
    <h2 id="lock-title">Lock the account</h2>
    <p>
      A locked account cannot sign in. Its sessions end, and every application loses its access (grants and
      tokens are deleted).
    </p>
    <form class="form" method="post" action="${view.actions.lock}" novalidate>
      ${csrfField(view.csrfToken)}
      ${textareaField({
        name: 'reason',
        label: 'Reason',
        hint: 'Kept with the account and in the audit log.',
        value: values.reason,
        error: errors.reason,
        maxlength: 500,
      })}
      ${button('Lock account')}
    </form>
  </section>`;
}

function deleteSection(view: AdminUserView): SafeHtml {
  const { errors = {}, values = {} } = view;
  return html`<section class="section danger" aria-labelledby="delete-title">
    <h2 id="delete-title">Delete the account</h2>
    <p>
      Deletes the account with all its data: verifications and their documents, consents, tokens and sessions.
      This cannot be undone.
    </p>
    <form class="form" method="post" action="${view.actions.delete}" novalidate>
      ${csrfField(view.csrfToken)}
      ${field({
        name: 'confirm',
        label: 'Type the account’s email address to confirm',
        type: 'email',
        value: values.confirm,
        error: errors.confirm,
        autocomplete: 'off',
        verbatim: true,
      })}
      ${button('Delete account and all its data')}
    </form>
  </section>`;
}

/** One account: profile, verifications, connected apps; lock, unlock, delete. */
export function renderAdminUser(view: AdminUserView): string {
  const { user, errors = {} } = view;
  const problems = [
    ...(errors.form === undefined ? [] : [{ message: errors.form }]),
    ...(errors.reason === undefined ? [] : [{ message: errors.reason, field: 'reason' }]),
    ...(errors.confirm === undefined ? [] : [{ message: errors.confirm, field: 'confirm' }]),
  ];
  return adminPage(view, {
    title: user.name,
    current: `${USERS.href}/${user.id}`,
    breadcrumbs: [USERS],
    body: html`${errorSummary(problems)} ${notice(view.notice)}
      <dl class="facts">
        <dt>Email</dt>
        <dd>
          ${user.email} ${user.emailVerified ? badge('Confirmed', 'good') : badge('Not confirmed', 'warn')}
        </dd>
        <dt>Created</dt>
        <dd>${when(user.createdAt)}</dd>
        <dt>Test persona</dt>
        <dd>${user.testPersona ?? 'No'}</dd>
        <dt>Locked</dt>
        <dd>
          ${user.lockedAt === null ? 'No' : html`${badge('Locked', 'bad')} since ${when(user.lockedAt)}`}
        </dd>
        <dt>Id</dt>
        <dd><code>${user.id}</code></dd>
      </dl>
      <section class="section" aria-labelledby="verifications-title">
        <h2 id="verifications-title">Verifications</h2>
        ${
          view.verifications.length === 0
            ? html`<p class="empty">No verifications.</p>`
            : html`<table class="table">
                <thead>
                  <tr>
                    <th scope="col">Community</th>
                    <th scope="col">Status</th>
                    <th scope="col">Subgroups</th>
                    <th scope="col">Started</th>
                    <th scope="col">Verified</th>
                    <th scope="col">Expires</th>
                  </tr>
                </thead>
                <tbody>
                  ${view.verifications.map(
                    (item) =>
                      html`<tr>
                        <td>${item.community}<br /><span class="muted">${item.method}</span></td>
                        <td>${badge(item.status, statusTone(item.status))}</td>
                        <td>${item.subgroups.join(', ')}</td>
                        <td class="nowrap">${when(item.createdAt)}</td>
                        <td class="nowrap">${when(item.verifiedAt)}</td>
                        <td class="nowrap">${when(item.expiresAt, 'Never')}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }
      </section>
      <section class="section" aria-labelledby="apps-title">
        <h2 id="apps-title">Connected apps</h2>
        ${
          view.apps.length === 0
            ? html`<p class="empty">No application has access.</p>`
            : html`<table class="table">
                <thead>
                  <tr>
                    <th scope="col">Application</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Since</th>
                  </tr>
                </thead>
                <tbody>
                  ${view.apps.map(
                    (app) =>
                      html`<tr>
                        <td>${app.name}<br /><span class="muted">${app.clientId}</span></td>
                        <td>${app.scopes.join(' ')}</td>
                        <td class="nowrap">${when(app.since)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
        }
      </section>
      ${lockSection(view)} ${deleteSection(view)}`,
  });
}
