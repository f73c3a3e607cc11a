import type { Provider } from 'oidc-provider';
import type { Context } from 'koa';
import { TOKEN_SHIM_PARAM } from './authorization-checks.ts';

/**
 * ID.me's client-side flow asks for bare `response_type=token`, which oidc-provider no longer implements. A
 * request for it is handed to oidc-provider as `code token` with a marker parameter; when the response comes
 * back, the code is taken out of the fragment and destroyed, so the partner receives exactly an access token.
 * Whether an application may use it at all is checked with the other per-application rules.
 */
export function rewriteTokenRequest(ctx: Context): void {
  if (ctx.method !== 'GET' || ctx.path !== '/oauth/authorize') return;
  const query = new URLSearchParams(ctx.querystring);
  if (!query.has(TOKEN_SHIM_PARAM) && query.get('response_type') !== 'token') return;
  query.delete(TOKEN_SHIM_PARAM);
  if (query.get('response_type') === 'token') {
    query.set('response_type', 'code token');
    query.set(TOKEN_SHIM_PARAM, 'token');
  }
  ctx.querystring = query.toString();
}

export async function stripShimCode(
  ctx: Context & { oidc?: { params?: Record<string, unknown> } },
  provider: Provider,
) {
  if (ctx.oidc?.params?.[TOKEN_SHIM_PARAM] !== 'token' || ctx.status !== 303) return;
  const location = URL.parse(ctx.response.get('Location'));
  if (location === null || location.hash === '') return;
  const fragment = new URLSearchParams(location.hash.slice(1));
  const code = fragment.get('code');
  if (code === null) return;
  fragment.delete('code');
  await (await provider.AuthorizationCode.find(code))?.destroy();
  location.hash = fragment.toString();
  ctx.redirect(location.toString());
  ctx.status = 303;
}
