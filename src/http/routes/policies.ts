import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { TokenHasher } from '../../keys/token-hasher.ts';
import type { ApplicationService } from '../../partners/application-service.ts';
import type { CommunityService } from '../../verification/community-service.ts';

export interface PoliciesRouteDeps {
  applications: ApplicationService;
  communities: CommunityService;
  hasher: TokenHasher;
}

/** The client's credentials from HTTP Basic or the query (`client_id`, `client_secret`); undefined when absent. */
function credentials(ctx: Context): { clientId: string; clientSecret: string } | 'both' | undefined {
  const basic = /^Basic +([A-Za-z0-9+/=]+)$/i.exec(ctx.get('authorization'))?.[1];
  const query = { clientId: ctx.query.client_id, clientSecret: ctx.query.client_secret };
  const inQuery = typeof query.clientId === 'string' && typeof query.clientSecret === 'string';
  if (basic !== undefined && inQuery) return 'both';
  if (basic !== undefined) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    // RFC 6749 §2.3.1: both parts are form-urlencoded inside Basic.
    const decode = (part: string) => {
      try {
        return decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        return part;
      }
    };
    return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
  }
  if (inQuery) return { clientId: String(query.clientId), clientSecret: String(query.clientSecret) };
  return undefined;
}

function refuse(ctx: Context, status: number, error: string, description: string): void {
  ctx.status = status;
  if (status === 401) ctx.set('WWW-Authenticate', 'Basic realm="vetted"');
  ctx.body = { error, error_description: description };
}

/**
 * `GET /api/public/v3/policies` (SPEC §2): the policies (communities) enabled for the calling application,
 * as `[{name, handle, active, groups:[{name, handle, subgroups}]}]`, for a confidential client with its secret.
 */
export function policiesRoutes(router: Router, deps: PoliciesRouteDeps): void {
  router.get('/api/public/v3/policies', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const given = credentials(ctx);
    if (given === 'both') {
      return refuse(
        ctx,
        400,
        'invalid_request',
        'Send the client credentials in the Authorization header or the query, not both.',
      );
    }
    if (given === undefined)
      return refuse(ctx, 401, 'invalid_client', 'client_id and client_secret are required.');
    const record =
      given.clientId.length > 200 ? undefined : await deps.applications.clientRecord(given.clientId);
    let matched = false;
    // Every live secret is compared, in constant time, whatever the first comparisons gave.
    for (const hash of record?.secretHashes ?? [])
      matched = deps.hasher.matches(given.clientSecret, hash) || matched;
    // The console's Activity records the calls of a client that authenticated, and only counts the others
    // (http/api-call-recorder.ts).
    const state = ctx.state as { apiClientId?: string; apiClientAuthFailed?: string };
    if (record !== undefined && matched) state.apiClientId = record.application.clientId;
    else if (record !== undefined) state.apiClientAuthFailed = record.application.clientId;
    if (record === undefined || !matched || record.application.status === 'disabled') {
      return refuse(ctx, 401, 'invalid_client', 'The client credentials are not valid.');
    }
    const communities = await deps.communities.list();
    const enabled = new Set(record.application.allowedScopes);
    ctx.body = communities
      .filter((community) => enabled.has(community.handle))
      .map((community) => ({
        name: community.name,
        handle: community.handle,
        active: record.application.status === 'active',
        groups: [{ name: community.name, handle: community.handle, subgroups: community.subgroups }],
      }));
  });
}
