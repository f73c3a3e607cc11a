import { responseTypes } from '../../../partners/application.ts';
import type { ApplicationView, SecretView } from '../../../manage/schemas.ts';
import {
  button,
  csrfField,
  errorSummary,
  field,
  fileField,
  notice,
  selectField,
  textareaField,
} from '../../components.ts';
import { html, type SafeHtml } from '../../html.ts';
import { checkboxes, copyable, secretOnce } from './controls.ts';
import { modeBadge, statusBadge } from './organizations.ts';

export type SettingsField =
  | 'name'
  | 'display_name'
  | 'redirect_uris'
  | 'post_logout_redirect_uris'
  | 'response_types'
  | 'requested_scopes'
  | 'released_attributes'
  | 'privacy_policy_url'
  | 'terms_url'
  | 'primary_color';

export type Errors<K extends string> = Partial<Record<K | 'form', string>>;

const summaryOf = (errors: Record<string, string | undefined>) =>
  Object.entries(errors).flatMap(([key, message]) =>
    message === undefined ? [] : [{ message, ...(key === 'form' ? {} : { field: key }) }],
  );

export function settingsBody(view: {
  app: ApplicationView;
  action: string;
  csrfToken: string;
  communities: { handle: string; name: string; attributes: { handle: string; name: string }[] }[];
  /** What the developer typed, after an error; otherwise the application's values. */
  values?: Partial<Record<SettingsField, string | string[]>>;
  errors?: Errors<SettingsField>;
  notice?: string | undefined;
}): SafeHtml {
  const { app } = view;
  const errors = view.errors ?? {};
  const typed = view.values ?? {};
  const text = (key: SettingsField, fallback: string | null) => {
    const value = typed[key];
    return typeof value === 'string' ? value : (fallback ?? '');
  };
  const list = (key: SettingsField, fallback: string[]) => {
    const value = typed[key];
    return new Set(Array.isArray(value) ? value : value === undefined ? fallback : [value]);
  };
  const enabled = view.communities.filter((community) => app.enabled_scopes.includes(community.handle));
  const attributeChoices = [
    { value: 'age', label: 'Age' },
    ...enabled.flatMap((community) =>
      community.attributes.map((attribute) => ({
        value: attribute.handle,
        label: attribute.name,
        hint: community.name,
      })),
    ),
  ];
  return html`${notice(view.notice)} ${errorSummary(summaryOf(errors))}
    <dl class="details">
      ${copyable('Client ID', app.client_id)}
      <div class="facts__row">
        <dt>Mode</dt>
        <dd>${modeBadge(app.mode)}</dd>
      </div>
      <div class="facts__row">
        <dt>Status</dt>
        <dd>${statusBadge(app.status)}</dd>
      </div>
      <div class="facts__row">
        <dt>Enabled communities</dt>
        <dd>
          ${enabled.length === 0 ? 'None yet: an administrator enables the ones you request.' : enabled.map((c) => c.name).join(', ')}
        </dd>
      </div>
    </dl>
    <form class="form" method="post" action="${view.action}" novalidate>
      ${csrfField(view.csrfToken)}
      <input type="hidden" name="updated_at" value="${app.updated_at}" />
      ${field({ name: 'name', label: 'Application name', value: text('name', app.name), error: errors.name, required: true, maxlength: 100 })}
      ${field({ name: 'display_name', label: 'Display name', value: text('display_name', app.display_name), error: errors.display_name, maxlength: 100, hint: 'Shown to users on the consent page and in Connected apps.' })}
      ${textareaField({ name: 'redirect_uris', label: 'Redirect URIs', value: text('redirect_uris', app.redirect_uris.join('\n')), error: errors.redirect_uris, hint: 'One per line, matched exactly.' })}
      ${textareaField({ name: 'post_logout_redirect_uris', label: 'Post-logout redirect URIs', value: text('post_logout_redirect_uris', app.post_logout_redirect_uris.join('\n')), error: errors.post_logout_redirect_uris, hint: 'One per line.' })}
      ${
        app.features.implicit_flow
          ? checkboxes({
              name: 'response_types',
              legend: 'Response types',
              hint: 'code is the authorization code flow; the others return tokens from the authorization endpoint.',
              choices: responseTypes.map((type) => ({ value: type, label: type })),
              checked: list('response_types', app.response_types),
              error: errors.response_types,
            })
          : html`<p class="muted">
              Response type: code (an administrator can enable the implicit and hybrid flows).
            </p>`
      }
      ${checkboxes({
        name: 'requested_scopes',
        legend: 'Requested communities',
        hint: 'An administrator enables them.',
        choices: view.communities.map((community) => ({
          value: community.handle,
          label: community.name,
          ...(app.enabled_scopes.includes(community.handle) ? { hint: '(enabled)' } : {}),
        })),
        checked: list('requested_scopes', app.requested_scopes),
        error: errors.requested_scopes,
      })}
      ${checkboxes({
        name: 'released_attributes',
        legend: 'Optional attributes released',
        hint: 'Besides the defaults, from the enabled communities.',
        choices: attributeChoices,
        checked: list('released_attributes', app.released_attributes),
        error: errors.released_attributes,
      })}
      ${field({ name: 'privacy_policy_url', label: 'Privacy policy URL', value: text('privacy_policy_url', app.branding.privacy_policy_url), error: errors.privacy_policy_url, hint: 'Required before production.' })}
      ${field({ name: 'terms_url', label: 'Terms of service URL', value: text('terms_url', app.branding.terms_url), error: errors.terms_url, hint: 'Required before production.' })}
      ${field({ name: 'primary_color', label: 'Primary colour', value: text('primary_color', app.branding.primary_color), error: errors.primary_color, hint: 'As #rrggbb.', maxlength: 7 })}
      ${button('Save changes')}
    </form>`;
}

export function credentialsBody(view: {
  app: ApplicationView;
  secrets: SecretView[];
  newSecret?: string;
  rotateAction: string;
  csrfToken: string;
  discoveryUrl: string;
  error?: string;
}): SafeHtml {
  const { app } = view;
  return html`${view.newSecret !== undefined && secretOnce('Client secret', view.newSecret, 'the secret')}
    ${errorSummary(view.error === undefined ? [] : [{ message: view.error }])}
    <dl class="details">
      ${copyable('Client ID', app.client_id)} ${copyable('Discovery URL', view.discoveryUrl)}
      <div class="facts__row">
        <dt>Type</dt>
        <dd>${app.client_type === 'public' ? 'Public (PKCE, no secret)' : 'Confidential'}</dd>
      </div>
    </dl>
    ${
      app.client_type === 'confidential' &&
      html`<section class="section" aria-labelledby="secrets">
        <h2 id="secrets">Client secrets</h2>
        <table class="table">
          <caption class="visually-hidden">
            Live client secrets
          </caption>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Works until</th>
            </tr>
          </thead>
          <tbody>
            ${view.secrets.map(
              (secret) =>
                html`<tr>
                  <td>${secret.created_at.replace('T', ' ').slice(0, 16)} UTC</td>
                  <td>
                    ${secret.expires_at === null ? 'Until rotated' : `${secret.expires_at.replace('T', ' ').slice(0, 16)} UTC`}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        <form class="form" method="post" action="${view.rotateAction}">
          ${csrfField(view.csrfToken)}
          ${selectField({
            name: 'overlap_hours',
            label: 'Keep the current secret working for',
            value: '24',
            hint: 'Deploy the new secret within this time; at most two secrets are ever live.',
            choices: [
              { value: '0', label: 'No overlap (it stops now)' },
              { value: '1', label: '1 hour' },
              { value: '24', label: '24 hours' },
              { value: '72', label: '3 days' },
              { value: '168', label: '7 days' },
            ],
          })}
          ${button('Rotate secret')}
        </form>
      </section>`
    }`;
}

export function brandingBody(view: {
  app: ApplicationView;
  uploadAction: string;
  removeAction: string;
  csrfToken: string;
  notice?: string | undefined;
  error?: string;
}): SafeHtml {
  const logo = view.app.branding.logo_url;
  return html`${notice(view.notice)}
    ${errorSummary(view.error === undefined ? [] : [{ message: view.error, field: 'logo' }])}
    <p>Your logo, colour and policies appear on the consent page your users see.</p>
    ${
      logo === null
        ? html`<p class="empty">No logo yet.</p>`
        : html`<p>
              <img
                class="client-logo client-logo--large"
                src="${logo}"
                alt="Current logo of ${view.app.display_name ?? view.app.name}"
              />
            </p>
            <form method="post" action="${view.removeAction}">
              ${csrfField(view.csrfToken)} ${button('Remove logo', { variant: 'secondary' })}
            </form>`
    }
    <form class="form" method="post" action="${view.uploadAction}" enctype="multipart/form-data">
      ${csrfField(view.csrfToken)}
      ${fileField({ name: 'logo', label: 'Logo', accept: 'image/png,image/jpeg,image/svg+xml', hint: 'PNG, JPEG or SVG up to 512 KB; stored as a PNG of at most 256 × 256.', error: view.error, required: true })}
      ${button('Upload logo')}
    </form>
    <p class="muted">The colour and the privacy policy and terms URLs are on the Settings tab.</p>`;
}

export function dangerBody(view: {
  app: ApplicationView;
  statusAction: string;
  deleteAction: string;
  csrfToken: string;
  error?: string;
  confirm?: string;
}): SafeHtml {
  const active = view.app.status === 'active';
  return html`<section class="section danger" aria-labelledby="danger">
    <h2 id="danger">Disable or delete</h2>
    ${
      view.app.status !== 'suspended' &&
      html`<form class="form" method="post" action="${view.statusAction}">
        ${csrfField(view.csrfToken)}
        <input type="hidden" name="status" value="${active ? 'disabled' : 'active'}" />
        <p>
          ${active ? 'Disabling stops sign-ins and makes its tokens stop working, until you enable it again.' : 'The application is disabled.'}
        </p>
        ${button(active ? 'Disable application' : 'Enable application', { variant: 'secondary' })}
      </form>`
    }
    <form class="form" method="post" action="${view.deleteAction}" novalidate>
      ${csrfField(view.csrfToken)}
      <p>Deleting ends every user's grant and token at once. It cannot be undone.</p>
      ${field({ name: 'confirm', label: 'Type the application name to confirm', value: view.confirm, error: view.error })}
      ${button('Delete application')}
    </form>
  </section>`;
}
