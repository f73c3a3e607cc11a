import type { Services } from '../services.ts';
import { html, raw } from '../web/html.ts';
import { page } from '../web/layout.ts';
import { renderError } from '../web/views/error.ts';
import { renderSignedOut } from '../web/views/signed-out.ts';
import { createOidc } from './provider.ts';

const errorTitles: Record<string, string> = {
  invalid_client: 'This application is not registered',
  invalid_redirect_uri: 'This return address is not registered',
  redirect_uri_mismatch: 'This return address is not registered',
  invalid_request: 'The sign-in request is not valid',
  unauthorized_client: 'This application may not sign you in this way',
  access_denied: 'Access denied',
};

/** oidc-provider, configured with Vetted's data and pages. */
export function createVettedOidc(services: Services) {
  return createOidc({
    config: services.config,
    keys: services.keys,
    applications: services.applications,
    hasher: services.hasher,
    models: services.oidcModels,
    clock: services.clock,
    logger: services.logger,
    cookieSigner: services.cookieSigner,
    refreshTokenReuseSeconds: services.config.refreshTokenReuseSeconds,
    scopes: () => services.communities.scopeSet(),
    hooks: {
      async accountClaims(accountId) {
        const user = await services.accounts.findById(accountId);
        // A locked account's sessions end with the lock; this closes the gap of a sign-in already under way.
        if (user === undefined || user.locked) return undefined;
        return {
          sub: user.id,
          given_name: user.firstName,
          family_name: user.lastName,
          email: user.email,
          email_verified: user.emailVerified,
          ...(user.birthDate === null ? {} : { birthdate: user.birthDate }),
          updated_at: Math.floor(user.updatedAt.getTime() / 1000),
        };
      },
      // The verify step (interaction/verify-handlers.ts): a requested community the user is not verified for,
      // unless they chose to go on without it in this authorization.
      // Sandbox applications are for test users: the sandbox personas and each application's own.
      isSandboxTester: (accountId, clientId) => services.testUsers.isTester(accountId, clientId),
      tokenIssued: (clientId) => services.applications.markAuthorized(clientId),
      async needsVerification(accountId, scopes, deferred, mode) {
        const unverified = await services.verification.unverifiedCommunities(accountId, scopes, mode);
        return unverified.some((community) => !deferred.includes(community.handle));
      },
      renderErrorPage: ({ status, error, description }) =>
        renderError({
          status,
          title: errorTitles[error] ?? 'Something went wrong',
          message: description ?? 'The request could not be completed.',
          code: error,
        }),
      renderLogoutPage: ({ form, clientName }) =>
        page({
          title: 'Sign out',
          body: html`<h1 class="card__title">Sign out of Vetted?</h1>
            <p>
              ${clientName === undefined ? 'You asked to sign out.' : `${clientName} asked to sign you out.`}
            </p>
            ${raw(form)}
            <button
              class="button button--primary"
              type="submit"
              form="op.logoutForm"
              name="logout"
              value="yes"
            >
              Sign out
            </button>`,
        }),
      renderSignedOutPage: ({ clientName }) =>
        renderSignedOut(clientName === undefined ? {} : { clientName }),
    },
  });
}
