import type { Application } from './application.ts';
import { validateRedirectUri } from './redirect-uris.ts';

export type ChecklistKey = 'redirect_uris' | 'branding' | 'policies' | 'sandbox_authorization';

export interface ChecklistItem {
  key: ChecklistKey;
  label: string;
  done: boolean;
  /** What is missing, when it is not done. */
  detail: string | null;
}

/**
 * What an application must have before production (seed 003's QA): redirect URIs that production accepts,
 * its branding, the privacy policy and terms its users are shown, and one authorization that went all the way
 * through in the sandbox.
 */
export function productionChecklist(app: Application): ChecklistItem[] {
  const badRedirects = app.redirectUris.filter((uri) => {
    try {
      validateRedirectUri(uri, { clientType: app.clientType, mode: 'production' });
      return false;
    } catch {
      return true;
    }
  });
  const missingPolicies = [
    ...(app.privacyPolicyUrl === null ? ['privacy policy URL'] : []),
    ...(app.termsUrl === null ? ['terms of service URL'] : []),
  ];
  return [
    {
      key: 'redirect_uris',
      label: 'Redirect URIs are valid for production (https, or a native app scheme)',
      done: badRedirects.length === 0,
      detail: badRedirects.length === 0 ? null : `not allowed in production: ${badRedirects.join(', ')}`,
    },
    {
      key: 'branding',
      label: 'A logo is uploaded',
      done: app.logoBlobKey !== null || app.logoUrl !== null,
      detail: app.logoBlobKey !== null || app.logoUrl !== null ? null : 'upload a logo',
    },
    {
      key: 'policies',
      label: 'Privacy policy and terms of service URLs are set',
      done: missingPolicies.length === 0,
      detail: missingPolicies.length === 0 ? null : `set the ${missingPolicies.join(' and the ')}`,
    },
    {
      key: 'sandbox_authorization',
      label: 'A sandbox authorization went through (a token was issued)',
      done: app.firstAuthorizedAt !== null,
      detail: app.firstAuthorizedAt !== null ? null : 'sign in with a test user and exchange the code',
    },
  ];
}
