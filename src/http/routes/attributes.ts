import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { AttributeGrant, AttributeService } from '../../attributes/attribute-service.ts';
import { JSONP_CONTENT_TYPE, jsonpCallbackName, renderJsonp } from '../../attributes/jsonp.ts';

export interface ResolvedToken extends AttributeGrant {
  dpopJkt: string | undefined;
  singleUse: boolean;
  consume(): Promise<boolean>;
}

export interface AttributesRouteDeps {
  attributes: AttributeService;
  resolveToken(value: string): Promise<ResolvedToken | undefined>;
  /** Checks a DPoP proof for this request and token; resolves with the proof key's thumbprint, or undefined. */
  verifyDpopProof(ctx: Context, token: string): Promise<string | undefined>;
  /** Whether a scope is a community (the attributes API is about community membership). */
  isCommunity(scope: string): Promise<boolean>;
}

/** An RFC 6750 error: the status, the `WWW-Authenticate` challenge, and the same in a JSON body. */
function bearerError(ctx: Context, status: number, error?: string, description?: string): void {
  const scheme = ctx.get('authorization').toLowerCase().startsWith('dpop ') ? 'DPoP' : 'Bearer';
  const parts = [`realm="vetted"`];
  if (error !== undefined) parts.push(`error="${error}"`);
  if (description !== undefined) parts.push(`error_description="${description}"`);
  ctx.status = status;
  ctx.set('WWW-Authenticate', `${scheme} ${parts.join(', ')}`);
  ctx.body = {
    error: error ?? 'invalid_request',
    error_description: description ?? 'An access token is required.',
  };
}

/** The token from `Authorization: Bearer|DPoP …` or `?access_token=`; both at once is a bad request. */
function presentedToken(
  ctx: Context,
): { value: string; scheme: 'bearer' | 'dpop' | 'query' } | 'both' | undefined {
  const header = /^(Bearer|DPoP) +([\x21-\x7e]+)$/i.exec(ctx.get('authorization'));
  const query = ctx.query.access_token;
  if (header !== null && query !== undefined) return 'both';
  if (header !== null)
    return { value: header[2] ?? '', scheme: header[1]?.toLowerCase() === 'dpop' ? 'dpop' : 'bearer' };
  if (typeof query === 'string' && query !== '') return { value: query, scheme: 'query' };
  return undefined;
}

export function attributesRoutes(router: Router, deps: AttributesRouteDeps): void {
  const handle =
    (version: 'v2' | 'v3') =>
    async (ctx: Context): Promise<void> => {
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Access-Control-Allow-Origin', '*');
      const callback = jsonpCallbackName(ctx.query.callback);
      const presented = presentedToken(ctx);
      if (presented === 'both') {
        return bearerError(
          ctx,
          400,
          'invalid_request',
          'Send the access token in the Authorization header or the query, not both.',
        );
      }
      if (presented === undefined) return bearerError(ctx, 401);
      const token = await deps.resolveToken(presented.value);
      if (token === undefined)
        return bearerError(ctx, 401, 'invalid_token', 'The access token is invalid or has expired.');
      // The console's Activity records the call under the token's application (http/api-call-recorder.ts).
      (ctx.state as { apiClientId?: string }).apiClientId = token.clientId;
      if (token.dpopJkt !== undefined) {
        if (presented.scheme !== 'dpop') {
          return bearerError(
            ctx,
            401,
            'invalid_token',
            'This token is bound to a DPoP key: use the DPoP scheme and a proof.',
          );
        }
        if ((await deps.verifyDpopProof(ctx, presented.value)) !== token.dpopJkt) {
          return bearerError(ctx, 401, 'invalid_dpop_proof', 'The DPoP proof is missing or invalid.');
        }
      } else if (presented.scheme === 'dpop') {
        return bearerError(
          ctx,
          401,
          'invalid_token',
          'This token is not bound to a DPoP key: use the Bearer scheme.',
        );
      }
      const communities = await Promise.all(token.scopes.map((scope) => deps.isCommunity(scope)));
      if (!communities.includes(true)) {
        return bearerError(ctx, 403, 'insufficient_scope', 'The token was granted no community scope.');
      }
      if (token.singleUse && !(await token.consume())) {
        return bearerError(ctx, 401, 'invalid_token', 'The access token has already been used.');
      }
      const payload = await deps.attributes[version](token);
      if (payload === undefined)
        return bearerError(ctx, 401, 'invalid_token', 'The account no longer exists.');
      if (callback === undefined) {
        ctx.body = payload;
      } else {
        ctx.type = JSONP_CONTENT_TYPE;
        // A partner's page loads it with <script>, across origins.
        ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
        ctx.body = renderJsonp(callback, payload);
      }
    };
  router.get('/api/public/v3/attributes.json', handle('v3'));
  router.get('/api/public/v2/attributes.json', handle('v2'));
  for (const path of ['/api/public/v3/attributes.json', '/api/public/v2/attributes.json']) {
    router.options(path, (ctx) => {
      ctx.set('Access-Control-Allow-Origin', '*');
      ctx.set('Access-Control-Allow-Methods', 'GET');
      ctx.set('Access-Control-Allow-Headers', 'Authorization, DPoP');
      ctx.set('Access-Control-Max-Age', '3600');
      ctx.status = 204;
    });
  }
}
