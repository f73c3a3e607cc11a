import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { responseTypes, type ResponseType } from '../partners/application.ts';
import { vettedSettingsOf } from './vetted-client.ts';

/** Marks a request that arrived as bare `response_type=token` and was rewritten (see token-shim.ts). */
export const TOKEN_SHIM_PARAM = 'vetted_response_type';

const EID_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The ID.me dialect's checks on an authorization request, run by oidc-provider as `extraParams` validators:
 * after the client and redirect URI are verified, so errors go back to the partner on its redirect URI.
 */
export function authorizationChecks(isKnownScope: (scope: string) => boolean) {
  return {
    op(ctx: KoaContextWithOIDC, value: string | undefined) {
      if (value !== undefined && value !== 'signin' && value !== 'signup') {
        throw new errors.InvalidRequest("op must be 'signin' or 'signup'");
      }
      checkClientAndScopes(ctx, isKnownScope);
    },
    eid(_ctx: KoaContextWithOIDC, value: string | undefined) {
      if (value !== undefined && !EID_PATTERN.test(value)) {
        throw new errors.InvalidRequest('eid must be 1 to 255 printable ASCII characters');
      }
    },
    [TOKEN_SHIM_PARAM](ctx: KoaContextWithOIDC, value: string | undefined) {
      if (value === undefined) return;
      if (value !== 'token' || params(ctx).response_type !== 'code token') {
        throw new errors.InvalidRequest(`${TOKEN_SHIM_PARAM} is not a parameter clients may send`);
      }
      const mode = params(ctx).response_mode;
      if (mode !== undefined && mode !== 'fragment') {
        throw new errors.InvalidRequest('response_type=token is answered in the URL fragment only');
      }
    },
  };
}

function params(ctx: KoaContextWithOIDC): Record<string, unknown> {
  return ctx.oidc.params ?? {};
}

/**
 * The scope as the partner sent it. oidc-provider drops scopes it does not know from `params.scope` before
 * extra parameters are validated, which would turn `scope=military wizard` into `military` (and a lone
 * unknown scope into a missing one); SPEC §2 wants `invalid_scope` for both. A pushed request was checked
 * this way when it was pushed, so its stored parameters are used as they are.
 */
function requestedScope(ctx: KoaContextWithOIDC): unknown {
  if (ctx.oidc.entities.PushedAuthorizationRequest !== undefined) return params(ctx).scope;
  const source: Record<string, unknown> | undefined = ctx.method === 'POST' ? ctx.oidc.body : ctx.query;
  return source?.scope;
}

function requestedResponseType(ctx: KoaContextWithOIDC): ResponseType | undefined {
  if (params(ctx)[TOKEN_SHIM_PARAM] === 'token') return 'token';
  const normalized = normalizeResponseType(String(params(ctx).response_type));
  return responseTypes.find((type) => normalizeResponseType(type) === normalized);
}

function normalizeResponseType(type: string): string {
  return type.split(' ').sort().join(' ');
}

function checkClientAndScopes(ctx: KoaContextWithOIDC, isKnownScope: (scope: string) => boolean): void {
  const client = ctx.oidc.client;
  if (client === undefined) return;
  const settings = vettedSettingsOf(client);
  if (settings.status !== 'active') {
    throw new errors.UnauthorizedClient(`this application is ${settings.status}`);
  }
  const responseType = requestedResponseType(ctx);
  if (responseType === undefined || !settings.responseTypes.includes(responseType)) {
    throw new errors.UnauthorizedClient(
      `response_type=${responseType ?? 'none'} is not enabled for this application`,
    );
  }
  const scope = requestedScope(ctx);
  if (typeof scope !== 'string' || scope.trim() === '') {
    throw new errors.InvalidRequest('missing required parameter: scope (a community, e.g. military)');
  }
  const allowed = new Set(['openid', 'profile', 'email', 'offline_access', ...settings.allowedScopes]);
  for (const requested of scope.split(' ')) {
    if (!isKnownScope(requested)) throw new errors.InvalidScope('requested scope does not exist', requested);
    if (!allowed.has(requested)) {
      throw new errors.InvalidScope('requested scope is not enabled for this application', requested);
    }
  }
}
