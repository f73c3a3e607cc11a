import type { Context } from 'koa';
import { decodeJwt } from 'jose';

/** The routes where oidc-provider checks a DPoP proof, and how each answers a bad one. */
const DPOP_ROUTES: Record<string, 'oauth' | 'resource'> = {
  '/oauth/token': 'oauth',
  '/oauth/par': 'oauth',
  '/api/public/v3/userinfo': 'resource',
};
const DESCRIPTION = 'DPoP proof htu must not carry a query or fragment';

/** Whether a DPoP proof's `htu` carries a query or fragment; false for anything that is not such a JWT. */
export function htuHasQueryOrFragment(proof: string | undefined): boolean {
  if (proof === undefined || proof === '') return false;
  try {
    const { htu } = decodeJwt(proof);
    return typeof htu === 'string' && /[?#]/.test(htu);
  } catch {
    // Not a JWT: oidc-provider refuses it with its own error.
    return false;
  }
}

/**
 * RFC 9449 §4.2: `htu` is the target URI "without query and fragment parts". oidc-provider compares it after
 * stripping them, so a proof naming `…/oauth/token?x` passes there; this refuses it first, in
 * oidc-provider's shape (400 `invalid_dpop_proof` at the token and PAR endpoints; 401 with a DPoP challenge
 * at userinfo). The proof's signature does not matter here: such a proof is refused either way, and a
 * valid-looking one is still checked in full by oidc-provider. Returns true when it answered.
 */
export function refuseDpopHtuWithQuery(
  ctx: Context,
  route: string,
  options: { issuer: string; algorithms: readonly string[] },
): boolean {
  const kind = DPOP_ROUTES[route];
  if (kind === undefined || !htuHasQueryOrFragment(ctx.get('dpop'))) return false;
  ctx.set('Cache-Control', 'no-store');
  if (kind === 'resource') {
    ctx.status = 401;
    ctx.set(
      'WWW-Authenticate',
      `DPoP realm="${options.issuer}", error="invalid_dpop_proof", error_description="${DESCRIPTION}", algs="${options.algorithms.join(' ')}"`,
    );
  } else {
    ctx.status = 400;
  }
  ctx.body = { error: 'invalid_dpop_proof', error_description: DESCRIPTION };
  return true;
}
