import type { Context } from 'koa';
import { isBodyError, readBody } from '../http/body.ts';

/**
 * ID.me's logout takes `redirect_uri` (with `client_id`); OpenID Connect RP-initiated logout calls it
 * `post_logout_redirect_uri`. Both are accepted, and either must be registered for the client.
 */
export function renameLogoutRedirect(ctx: Context): void {
  if (ctx.method !== 'GET' || ctx.path !== '/oauth/logout') return;
  const query = new URLSearchParams(ctx.querystring);
  const redirect = query.get('redirect_uri');
  if (redirect === null || query.has('post_logout_redirect_uri')) return;
  query.delete('redirect_uri');
  query.set('post_logout_redirect_uri', redirect);
  ctx.querystring = query.toString();
}

/**
 * ID.me's token response also says when the refresh token expires (`refresh_expires_in`, seconds): the
 * expiry stored for it (an opaque token's value is its id), as `expiryOf` finds it.
 */
export async function addRefreshExpiry(
  ctx: Context,
  expiryOf: (refreshToken: string) => Promise<number | null | undefined>,
  now: number,
): Promise<void> {
  if (ctx.path !== '/oauth/token' || ctx.status !== 200) return;
  const body = ctx.body as Record<string, unknown> | undefined;
  if (typeof body?.refresh_token !== 'string') return;
  const expiresAt = await expiryOf(body.refresh_token);
  if (expiresAt == null) return;
  ctx.body = { ...body, refresh_expires_in: Math.max(0, Math.round((expiresAt - now) / 1000)) };
}

const MAX_AUTHORIZATION_FORM_BYTES = 16 * 1024;

/**
 * OpenID Connect Core §3.1.2.1 (and SPEC §2) accept POST at the authorization endpoint. oidc-provider only
 * does so with `SameSite=None` session cookies, and Vetted's are `Lax`; so a form POST is answered with a 303
 * to the same request as a GET, which oidc-provider then handles (and a top-level GET carries Lax cookies, so
 * an existing session is used). Returns true when it answered the request.
 */
export async function authorizationPostAsGet(
  ctx: Context,
  renderErrorPage: (input: { status: number; error: string; description: string }) => string,
): Promise<boolean> {
  if (ctx.method !== 'POST' || ctx.path !== '/oauth/authorize') return false;
  const fail = (status: number, description: string) => {
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = renderErrorPage({ status, error: 'invalid_request', description });
    return true;
  };
  if (typeof ctx.is('application/x-www-form-urlencoded') !== 'string') {
    return fail(
      400,
      'An authorization request sent with POST must be an HTML form (application/x-www-form-urlencoded).',
    );
  }
  let body: Buffer;
  try {
    body = await readBody(ctx, MAX_AUTHORIZATION_FORM_BYTES);
  } catch (error) {
    if (!isBodyError(error)) throw error;
    return fail(
      error.status,
      error.status === 413 ? 'The authorization request is too large.' : error.message,
    );
  }
  const params = new URLSearchParams(body.toString('utf8'));
  ctx.set('Cache-Control', 'no-store');
  ctx.redirect(`${ctx.path}?${params.toString()}`);
  ctx.status = 303;
  return true;
}

/**
 * Bare `response_type=token` is served through the shim (token-shim.ts), not by oidc-provider, so its
 * discovery document does not list it; partners' generic clients read the list, so it is added.
 */
export function advertiseTokenResponseType(ctx: Context): void {
  if (ctx.path !== '/.well-known/openid-configuration' || ctx.status !== 200) return;
  const body = ctx.body as { response_types_supported?: unknown } | undefined;
  const types: unknown = body?.response_types_supported;
  if (body === undefined || !Array.isArray(types) || types.includes('token')) return;
  // A new array: the one in the document is oidc-provider's own configuration.
  const withToken = (types as unknown[]).slice();
  withToken.splice(withToken.indexOf('code') + 1, 0, 'token');
  body.response_types_supported = withToken;
}

/**
 * oidc-provider reads its bodies as they come, without decoding a Content-Encoding: an encoded body is refused
 * with a clear 415 (OAuth's error shape) instead of being parsed as garbage. Returns true when it answered.
 * (A posted authorization request is read by authorizationPostAsGet, which decodes.)
 */
export function refuseEncodedBody(ctx: Context): boolean {
  const encoding = ctx.get('content-encoding').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity' || ctx.path === '/oauth/authorize') return false;
  const hasBody = Number(ctx.get('content-length')) > 0 || ctx.get('transfer-encoding') !== '';
  if (!hasBody) return false;
  ctx.status = 415;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = {
    error: 'invalid_request',
    error_description: 'request bodies must be sent without a Content-Encoding on this endpoint',
  };
  return true;
}
