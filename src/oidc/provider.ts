import compose from 'koa-compose';
import type { Middleware } from 'koa';
import Provider, { type JWK } from 'oidc-provider';
import type { Config } from '../config/load.ts';
import type { CookieSigner } from '../keys/cookie-signer.ts';
import type { SigningKeyService } from '../keys/signing-keys.ts';
import type { TokenHasher } from '../keys/token-hasher.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { BoundedMap } from '../lib/bounded-map.ts';
import { loggedPath } from '../http/logged-path.ts';
import type { ApplicationService } from '../partners/application-service.ts';
import { createAdapterFactory } from './adapter.ts';
import { markClientAuthenticated } from './client-authentication.ts';
import { clientMetadataFor } from './client-metadata.ts';
import { testCallbackUrl } from '../partners/demo-shop.ts';
import { DPOP_ALGORITHMS } from './dpop.ts';
import { refuseDpopHtuWithQuery } from './dpop-htu.ts';
import { providerConfiguration, type ProviderHooks } from './configuration.ts';
import type { ModelRepository } from './model-repository.ts';
import {
  addRefreshExpiry,
  advertiseTokenResponseType,
  authorizationPostAsGet,
  refuseEncodedBody,
  renameLogoutRedirect,
} from './dialect.ts';
import { rewriteTokenRequest, stripShimCode } from './token-shim.ts';
import { vettedSettingsOf } from './vetted-client.ts';

export interface OidcDeps {
  config: Readonly<Config>;
  keys: SigningKeyService;
  applications: ApplicationService;
  hasher: TokenHasher;
  models: ModelRepository;
  clock: Clock;
  logger: Logger;
  cookieSigner: CookieSigner;
  /** Every scope that exists (standard ones and community handles), with a version that changes with them. */
  scopes(): Promise<{ version: string; scopes: string[] }>;
  hooks: Omit<ProviderHooks, 'eidForGrant' | 'saveEidForGrant' | 'rememberedGrantId'>;
  refreshTokenReuseSeconds: number;
}

/** Paths oidc-provider answers, and the label each gets in metrics. */
const providerRoutes: [RegExp, string][] = [
  [/^\/oauth\/authorize$/, '/oauth/authorize'],
  [/^\/oauth\/authorize\/[\w-]+$/, '/oauth/authorize/:uid'],
  [/^\/oauth\/token$/, '/oauth/token'],
  [/^\/oauth\/par$/, '/oauth/par'],
  [/^\/oauth\/revoke$/, '/oauth/revoke'],
  [/^\/oauth\/introspect$/, '/oauth/introspect'],
  [/^\/oauth\/logout(\/confirm|\/success)?$/, '/oauth/logout'],
  [/^\/api\/public\/v3\/userinfo$/, '/api/public/v3/userinfo'],
  [/^\/(oidc\/)?\.well-known\/openid-configuration$/, '/.well-known/openid-configuration'],
];

function routeLabel(path: string): string | undefined {
  return providerRoutes.find(([pattern]) => pattern.test(path))?.[1];
}

/**
 * The only place that constructs oidc-provider. A provider is built for the current signing keys and scopes
 * and rebuilt when either changes (a key rotation seen in the database, a community added), so every
 * instance signs with the active key within the key cache time.
 */
export function createOidc(deps: OidcDeps) {
  // The expiry of each refresh token this process just stored, for the token response that carries it.
  const refreshExpiries = new BoundedMap<string, number | null>(1_000);
  const Adapter = createAdapterFactory({
    repository: deps.models,
    clock: deps.clock,
    refreshTokenReuseSeconds: deps.refreshTokenReuseSeconds,
    onRefreshTokenSaved: (id, expiresAt) => refreshExpiries.set(id, expiresAt),
  });
  async function refreshTokenExpiry(id: string): Promise<number | null | undefined> {
    const remembered = refreshExpiries.get(id);
    refreshExpiries.delete(id);
    return remembered !== undefined
      ? remembered
      : (await deps.models.find('RefreshToken', 'id', id))?.expiresAt;
  }
  const adapter = class extends Adapter {
    override async find(id: string) {
      if (this.model !== 'Client') return super.find(id);
      const record = await deps.applications.clientRecord(id);
      if (record === undefined || record.application.status === 'disabled') return undefined;
      return clientMetadataFor(record.application, record.secretHashes, {
        testCallback: testCallbackUrl(deps.config.baseUrl),
      });
    }
  };
  const hooks: ProviderHooks = {
    ...deps.hooks,
    async eidForGrant(grantId) {
      return (await deps.models.findGrantContext(grantId))?.eid ?? null;
    },
    async saveEidForGrant(grantId, eid) {
      // Most authorizations repeat the grant's last eid (or have none): a read spares the write.
      const saved = await deps.models.findGrantContext(grantId);
      if ((saved?.eid ?? null) === eid && (saved !== undefined || eid === null)) return;
      await deps.models.saveGrantContext(grantId, eid, deps.clock.now().getTime());
    },
    rememberedGrantId: (accountId, clientId) => deps.models.findConsent(accountId, clientId),
  };

  let built: { version: string; provider: Provider; run: Middleware } | undefined;
  let building: Promise<NonNullable<typeof built>> | undefined;

  function build(version: string, keys: JWK[], scopes: string[]) {
    const scopeSet = new Set(scopes);
    const configuration = providerConfiguration({
      keys,
      cookieSigner: deps.cookieSigner,
      secureCookies: deps.config.baseUrl.startsWith('https:'),
      scopes,
      isKnownScope: (scope) => scopeSet.has(scope),
      adapter,
      hooks,
    });
    const provider = new Provider(deps.config.issuer, configuration);
    provider.proxy = deps.config.trustProxy;
    customizeClients(provider, deps.hasher);
    provider.on('server_error', (ctx, error) => {
      deps.logger.error({ err: error, path: loggedPath(ctx.path) }, 'oidc-provider server error');
    });
    provider.on('grant.success', (ctx) => {
      const clientId = ctx.oidc.client?.clientId;
      if (clientId === undefined) return;
      hooks.tokenIssued(clientId).catch((error: unknown) => {
        deps.logger.error({ err: error, clientId }, 'could not record the token response');
      });
    });
    return { version, provider, run: compose(provider.middleware) as Middleware };
  }

  async function current() {
    const [keySet, scopeSet] = await Promise.all([deps.keys.privateKeySet(), deps.scopes()]);
    const version = `${keySet.version}|${scopeSet.version}`;
    if (built?.version === version) return built;
    building ??= Promise.resolve(build(version, keySet.keys, scopeSet.scopes)).finally(() => {
      building = undefined;
    });
    built = await building;
    return built;
  }

  const middleware: Middleware = async (ctx, next) => {
    const label = routeLabel(ctx.path);
    if (label === undefined) {
      await next();
      return;
    }
    (ctx.state as { routeLabel?: string }).routeLabel = label;
    if (ctx.path === '/oidc/.well-known/openid-configuration') ctx.path = '/.well-known/openid-configuration';
    if (refuseEncodedBody(ctx)) return;
    if (await authorizationPostAsGet(ctx, deps.hooks.renderErrorPage)) return;
    // An authorization resumes from its stored parameters, so a query on the resume URL means nothing; one
    // naming a client and a repeated redirect_uri made oidc-provider's error handler throw (a 500).
    if (label === '/oauth/authorize/:uid') ctx.querystring = '';
    if (refuseDpopHtuWithQuery(ctx, label, { issuer: deps.config.issuer, algorithms: DPOP_ALGORITHMS }))
      return;
    rewriteTokenRequest(ctx);
    renameLogoutRedirect(ctx);
    const { provider, run } = await current();
    await run(ctx, next);
    await stripShimCode(ctx, provider);
    await addRefreshExpiry(ctx, refreshTokenExpiry, deps.clock.now().getTime());
    advertiseTokenResponseType(ctx);
  };

  return {
    middleware,
    provider: async (): Promise<Provider> => (await current()).provider,
  };
}

export type Oidc = ReturnType<typeof createOidc>;

export function customizeClients(provider: Provider, hasher: TokenHasher): void {
  const Client = provider.Client as unknown as {
    prototype: {
      compareClientSecret(this: Parameters<typeof vettedSettingsOf>[0], actual: string): Promise<boolean>;
    };
    Schema: { prototype: { invalidate(message: string, code?: string): void } };
  };
  // Client secrets are stored as HMAC hashes; any live secret (two during a rotation) authenticates.
  Client.prototype.compareClientSecret = function compareClientSecret(actual) {
    let matched = false;
    for (const hash of vettedSettingsOf(this).secretHashes) matched = hasher.matches(actual, hash) || matched;
    // The console's Activity records the calls of a client that authenticated (client-authentication.ts).
    if (matched) markClientAuthenticated(this.clientId);
    return Promise.resolve(matched);
  };
  // Every client is registered with the implicit grant (client-metadata.ts); whether its redirect URIs may be
  // plain http is decided by Vetted's own registration rules (partners/redirect-uris.ts).
  const { prototype: schema } = Client.Schema;
  const invalidate = schema.invalidate.bind(schema);
  schema.invalidate = function relaxedInvalidate(message, code) {
    if (code === 'implicit-force-https' || code === 'implicit-forbid-localhost') return;
    invalidate(message, code);
  };
}
