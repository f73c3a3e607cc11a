import type { Context } from 'koa';
import Provider from 'oidc-provider';

/** The part of oidc-provider's `ctx.oidc` read here (it exists only on the requests oidc-provider routed). */
interface OidcView {
  client?: { clientId: string; clientAuthMethod: string };
  accessToken?: { clientId: string };
}

interface CallState {
  apiClientId?: string | undefined;
}

/**
 * Called by `compareClientSecret` when a presented secret matched: the request oidc-provider is handling
 * (its AsyncLocalStorage context) was made by that client. oidc-provider calls it only while
 * authenticating a client, and accepts the authentication once it matched (no attestation is configured).
 */
export function markClientAuthenticated(clientId: string): void {
  const ctx = Provider.ctx;
  if (ctx !== undefined) (ctx.state as CallState).apiClientId = clientId;
}

/**
 * Who called one of oidc-provider's partner endpoints, for the console's Activity (http/api-call-recorder.ts):
 *
 * - token, introspect, revoke, PAR: a confidential client authenticated when its secret matched
 *   (markClientAuthenticated sets `ctx.state.apiClientId`, which the recorder reads first); an existing client answered `invalid_client` failed (a wrong secret, a missing
 *   one, the wrong method). A public client never authenticates (anyone may name it): only its token
 *   responses that issued tokens, which took a valid code or refresh token, are its calls.
 * - userinfo: the client of the access token, once oidc-provider found the token valid.
 *
 * A client that is merely named (no such application, a disabled one) is neither.
 */
export function oidcCallClient(
  ctx: Context,
  call: { endpoint: string; status: number; errorCode: string | null },
): { authenticated?: string; failed?: string } {
  const oidc = (ctx as { oidc?: OidcView }).oidc;
  if (oidc === undefined) return {};
  if (call.endpoint === '/api/public/v3/userinfo') {
    const tokenClient = oidc.accessToken?.clientId;
    return tokenClient === undefined ? {} : { authenticated: tokenClient };
  }
  const client = oidc.client;
  if (client === undefined) return {};
  if (client.clientAuthMethod === 'none') {
    return call.endpoint === '/oauth/token' && call.status < 400 ? { authenticated: client.clientId } : {};
  }
  return call.errorCode === 'invalid_client' ? { failed: client.clientId } : {};
}
