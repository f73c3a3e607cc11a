import type { Context } from 'koa';
import type { Provider } from 'oidc-provider';

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

/** ID.me's token response also says when the refresh token expires (`refresh_expires_in`, seconds). */
export async function addRefreshExpiry(ctx: Context, provider: Provider, now: number): Promise<void> {
  if (ctx.path !== '/oauth/token' || ctx.status !== 200) return;
  const body = ctx.body as Record<string, unknown> | undefined;
  if (typeof body?.refresh_token !== 'string') return;
  const refreshToken = await provider.RefreshToken.find(body.refresh_token);
  if (refreshToken?.exp === undefined) return;
  ctx.body = { ...body, refresh_expires_in: Math.max(0, refreshToken.exp - Math.floor(now / 1000)) };
}
