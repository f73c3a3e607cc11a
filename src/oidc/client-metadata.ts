import type { ClientMetadata } from 'oidc-provider';
import { shownName, responseTypes, type Application } from '../partners/application.ts';
import { isLoopback } from '../partners/redirect-uris.ts';
import { vettedSettingsFor } from './vetted-client.ts';

/** Response types oidc-provider is configured with; bare `token` reaches it as `code token` (see token-shim.ts). */
export const providerResponseTypes = responseTypes.filter((type) => type !== 'token');

/** Scopes any application may request besides the communities it is enabled for. */
const alwaysAllowedScopes = ['openid', 'profile', 'email', 'offline_access'];

/**
 * An application as oidc-provider's client metadata. Every client is registered for every response type:
 * which ones an application may really use is enforced in the authorization request (see
 * authorization-checks.ts) so that a disallowed one is answered with `unauthorized_client`, as SPEC §2 asks,
 * instead of oidc-provider's `invalid_request`.
 */
export function clientMetadataFor(
  app: Application,
  secretHashes: string[],
  options: { testCallback?: string } = {},
): ClientMetadata {
  const native =
    app.clientType === 'public' &&
    app.redirectUris.some((uri) => {
      const parsed = new URL(uri);
      return parsed.protocol !== 'https:' || isLoopback(parsed);
    });
  return {
    client_id: app.clientId,
    client_name: shownName(app),
    // Never the secret itself: presented secrets are compared with the hashes (compareClientSecret, provider.ts).
    ...(app.clientType === 'public' ? {} : { client_secret: secretHashes[0] ?? 'no-live-secret' }),
    token_endpoint_auth_method: app.clientType === 'public' ? 'none' : 'client_secret_basic',
    application_type: native ? 'native' : 'web',
    // A sandbox application may also return to Vetted's own test callback (the console's "Test this app",
    // demo/routes.ts), which completes only an authorization the same browser started there.
    redirect_uris:
      app.mode === 'sandbox' && options.testCallback !== undefined
        ? [...new Set([...app.redirectUris, options.testCallback])]
        : app.redirectUris,
    post_logout_redirect_uris: app.postLogoutRedirectUris,
    response_types: [...providerResponseTypes],
    grant_types: ['authorization_code', 'implicit', 'refresh_token'],
    scope: [...new Set([...alwaysAllowedScopes, ...app.allowedScopes])].join(' '),
    id_token_signed_response_alg: app.idTokenSignedResponseAlg,
    ...(app.userinfoSignedResponseAlg === null
      ? {}
      : { userinfo_signed_response_alg: app.userinfoSignedResponseAlg }),
    ...(app.logoUrl === null ? {} : { logo_uri: app.logoUrl }),
    vetted: vettedSettingsFor(app, secretHashes),
  };
}
