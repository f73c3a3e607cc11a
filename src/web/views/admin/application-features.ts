import { isAppError } from '../../../lib/app-error.ts';
import type { Application, SigningAlg } from '../../../partners/application.ts';
import { standardScopes } from '../../../partners/application-service.ts';
import { applyFeatures, type ApplicationFeatures } from '../../../partners/application-settings.ts';
import { button, csrfField, errorSummary, field, selectField, type SummaryItem } from '../../components.ts';
import { html, type SafeHtml } from '../../html.ts';
import { checkbox } from './shared.ts';

/** The features form as entered (strings as typed), so that a refused form comes back as it was sent. */
export interface FeaturesForm {
  /** Checked community handles. */
  scopes: string[];
  documentPassback: boolean;
  implicitFlow: boolean;
  singleUseAccessTokens: boolean;
  /** '' (JSON), RS256 or ES256 */
  userinfoAlg: string;
  idTokenAlg: string;
  accessTokenTtl: string;
  refreshTokenTtl: string;
  codeTtl: string;
}

export type FeaturesField = Exclude<
  keyof FeaturesForm,
  'documentPassback' | 'implicitFlow' | 'singleUseAccessTokens'
>;
export type FeaturesErrors = Partial<Record<FeaturesField, string>> & { form?: string };

/** The HTML names of the form's fields. */
export const featureFieldNames: Record<FeaturesField, string> = {
  scopes: 'scopes',
  userinfoAlg: 'userinfo_alg',
  idTokenAlg: 'id_token_alg',
  accessTokenTtl: 'access_token_ttl',
  refreshTokenTtl: 'refresh_token_ttl',
  codeTtl: 'code_ttl',
};

const ttl = (value: number | null) => (value === null ? '' : String(value));

/** The form showing the application as it is. */
export function featuresFormOf(app: Application): FeaturesForm {
  return {
    scopes: app.allowedScopes,
    documentPassback: app.documentPassback,
    implicitFlow: app.implicitFlow,
    singleUseAccessTokens: app.singleUseAccessTokens,
    userinfoAlg: app.userinfoSignedResponseAlg ?? '',
    idTokenAlg: app.idTokenSignedResponseAlg,
    accessTokenTtl: ttl(app.accessTokenTtl),
    refreshTokenTtl: ttl(app.refreshTokenTtl),
    codeTtl: ttl(app.codeTtl),
  };
}

const algChoices = [
  { value: 'RS256', label: 'RS256' },
  { value: 'ES256', label: 'ES256' },
];

function lifetime(
  form: FeaturesForm,
  errors: FeaturesErrors,
  key: 'accessTokenTtl' | 'refreshTokenTtl' | 'codeTtl',
  label: string,
  hint: string,
): SafeHtml {
  return field({
    name: featureFieldNames[key],
    label,
    hint,
    value: form[key],
    inputmode: 'numeric',
    error: errors[key],
  });
}

/** Enabled communities and features: only administrators change these. */
export function featuresSection(view: {
  action: string;
  csrfToken: string;
  communities: readonly { handle: string; name: string }[];
  requested: readonly string[];
  form: FeaturesForm;
  errors: FeaturesErrors;
}): SafeHtml {
  const { form, errors } = view;
  const summary: SummaryItem[] = [
    ...(errors.form === undefined ? [] : [{ message: errors.form }]),
    ...(Object.keys(featureFieldNames) as FeaturesField[])
      .filter((key) => errors[key] !== undefined)
      .map((key) => ({ message: errors[key] ?? '', field: featureFieldNames[key] })),
  ];
  return html`<section class="section" aria-labelledby="features-title">
    <h2 id="features-title">Communities and features</h2>
    ${errorSummary(summary)}
    <form class="form" method="post" action="${view.action}" novalidate>
      ${csrfField(view.csrfToken)}
      <fieldset class="field${errors.scopes === undefined ? '' : ' field--error'}" id="field-scopes">
        <legend class="field__label">Enabled communities</legend>
        <p class="field__hint">
          openid, profile and email stay enabled whatever is chosen here. Saving decides every community the
          partner requested: one left unchecked is refused, and the partner is told either way.
        </p>
        ${errors.scopes !== undefined && html`<p class="field__error"><span class="visually-hidden">Error: </span>${errors.scopes}</p>`}
        ${view.communities.map((community) =>
          checkbox({
            name: 'scopes',
            value: community.handle,
            id: `scope-${community.handle}`,
            label: html`${community.name} <code class="muted">${community.handle}</code>${
                view.requested.includes(community.handle) &&
                html` <span class="badge">requested by the partner</span>`
              }`,
            checked: form.scopes.includes(community.handle),
          }),
        )}
      </fieldset>
      ${checkbox({
        name: 'document_passback',
        label: 'Document passback',
        checked: form.documentPassback,
        hint: 'The application may receive the documents a user verified with.',
      })}
      ${checkbox({
        name: 'implicit_flow',
        label: 'Implicit and hybrid flows',
        checked: form.implicitFlow,
        hint: 'Response types that return tokens from the authorization endpoint. Turning it off leaves only code.',
      })}
      ${checkbox({
        name: 'single_use_access_tokens',
        label: 'Single-use access tokens',
        checked: form.singleUseAccessTokens,
        hint: 'An access token works for one attributes call.',
      })}
      ${selectField({
        name: featureFieldNames.userinfoAlg,
        label: 'Userinfo response',
        choices: [
          { value: '', label: 'JSON' },
          ...algChoices.map((choice) => ({ ...choice, label: `Signed JWT (${choice.label})` })),
        ],
        value: form.userinfoAlg,
        error: errors.userinfoAlg,
      })}
      ${selectField({
        name: featureFieldNames.idTokenAlg,
        label: 'ID token signing',
        choices: algChoices,
        value: form.idTokenAlg,
        error: errors.idTokenAlg,
      })}
      ${lifetime(form, errors, 'accessTokenTtl', 'Access token lifetime (seconds)', 'Empty: the default.')}
      ${lifetime(form, errors, 'refreshTokenTtl', 'Refresh token lifetime (seconds)', 'Empty: the default.')}
      ${lifetime(form, errors, 'codeTtl', 'Authorization code lifetime (seconds)', 'Empty: the default.')}
      ${button('Save communities and features')}
    </form>
  </section>`;
}

/** How the form's fields are read from a request body. */
export interface FormReader {
  field(name: string): string;
  /** A field sent several times (checkboxes sharing a name). */
  list(name: string): string[];
}

const SIGNING_ALGS: readonly string[] = ['RS256', 'ES256'] satisfies SigningAlg[];
const LIFETIMES = ['accessTokenTtl', 'refreshTokenTtl', 'codeTtl'] as const;

/**
 * The features form as sent, the changes it asks for, and the errors found at its fields before the service
 * is asked (lifetimes are range-checked by the domain's own rules, one field at a time). The standard scopes
 * the application has stay enabled; the form only chooses communities.
 */
export function featuresFromForm(
  read: FormReader,
  app: Application,
): { form: FeaturesForm; errors: FeaturesErrors; features: ApplicationFeatures } {
  const text = (key: FeaturesField) => read.field(featureFieldNames[key]).trim();
  const form: FeaturesForm = {
    scopes: read.list(featureFieldNames.scopes),
    documentPassback: read.field('document_passback') !== '',
    implicitFlow: read.field('implicit_flow') !== '',
    singleUseAccessTokens: read.field('single_use_access_tokens') !== '',
    userinfoAlg: text('userinfoAlg'),
    idTokenAlg: text('idTokenAlg'),
    accessTokenTtl: text('accessTokenTtl'),
    refreshTokenTtl: text('refreshTokenTtl'),
    codeTtl: text('codeTtl'),
  };
  const errors: FeaturesErrors = {};
  const standard = app.allowedScopes.filter((scope) => (standardScopes as readonly string[]).includes(scope));
  const features: ApplicationFeatures = {
    allowedScopes: [...new Set([...standard, ...form.scopes])],
    documentPassback: form.documentPassback,
    implicitFlow: form.implicitFlow,
    singleUseAccessTokens: form.singleUseAccessTokens,
  };
  if (form.userinfoAlg === '' || SIGNING_ALGS.includes(form.userinfoAlg)) {
    features.userinfoSignedResponseAlg = form.userinfoAlg === '' ? null : (form.userinfoAlg as SigningAlg);
  } else errors.userinfoAlg = 'Choose JSON, RS256 or ES256.';
  if (SIGNING_ALGS.includes(form.idTokenAlg))
    features.idTokenSignedResponseAlg = form.idTokenAlg as SigningAlg;
  else errors.idTokenAlg = 'Choose RS256 or ES256.';
  for (const key of LIFETIMES) {
    const value = form[key];
    if (value === '') {
      features[key] = null;
    } else if (!/^\d{1,9}$/.test(value)) {
      errors[key] = 'Enter a whole number of seconds, or leave it empty for the default.';
    } else {
      try {
        applyFeatures(app, { [key]: Number(value) }, { knownScopes: new Set(), communities: [] });
        features[key] = Number(value);
      } catch (error) {
        if (!isAppError(error) || error.status >= 500) throw error;
        errors[key] = error.message;
      }
    }
  }
  return { form, errors, features };
}

/** Where a refusal of the service (an AppError code) is shown on the form. */
export function featuresError(code: string, message: string): FeaturesErrors {
  if (code === 'partners.scope_unknown' || code === 'partners.scopes_required') return { scopes: message };
  return { form: message };
}
