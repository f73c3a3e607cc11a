import {
  errors,
  interactionPolicy,
  type Configuration,
  type JWK,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { CookieSigner } from '../keys/cookie-signer.ts';
import { authorizationChecks, TOKEN_SHIM_PARAM } from './authorization-checks.ts';
import { providerResponseTypes } from './client-metadata.ts';
import { DPOP_ALGORITHMS } from './dpop.ts';
import { vettedSettingsOf } from './vetted-client.ts';

/** The cookie of a browser in the middle of an authorization (oidc-provider's interaction). */
export const INTERACTION_COOKIE = 'vetted_interaction';

/** Default lifetimes (SPEC §2), in seconds; applications may override the first three. */
export const defaultLifetimes = {
  authorizationCode: 300,
  accessToken: 300,
  refreshToken: 604_800,
  idToken: 3600,
  interaction: 3600,
  session: 14 * 24 * 3600,
  grant: 365 * 24 * 3600,
};

export interface AccountClaims {
  [claim: string]: unknown;
  sub: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  email_verified?: boolean;
  birthdate?: string;
  updated_at?: number;
}

export interface ProviderHooks {
  /** Standard OIDC claims of an account, or undefined when it no longer exists. */
  accountClaims(accountId: string): Promise<AccountClaims | undefined>;
  /** The `eid` the partner sent with the authorization that created or last used this grant. */
  eidForGrant(grantId: string): Promise<string | null>;
  /** Records the `eid` of the authorization now using this grant, before any token is issued from it. */
  saveEidForGrant(grantId: string, eid: string | null): Promise<void>;
  /** The grant in which this account already consented to this client, across sessions. */
  rememberedGrantId(accountId: string, clientId: string): Promise<string | undefined>;
  /**
   * Whether the account must prove membership of a requested community before consenting; `deferred` are
   * the communities the user chose to go on without in this authorization.
   */
  needsVerification(
    accountId: string,
    scopes: string[],
    deferred: string[],
    mode: 'production' | 'sandbox',
  ): Promise<boolean>;
  /** Whether the account may use the sandbox application (a test persona or one of its test users). */
  isSandboxTester(accountId: string, clientId: string): Promise<boolean>;
  /** A token response succeeded (the production checklist's "an authorization went through"). */
  tokenIssued(clientId: string): Promise<void>;
  /** Renders an HTML error page for errors that cannot go back to the partner. */
  renderErrorPage(input: { status: number; error: string; description: string | undefined }): string;
  /** Renders the page that confirms signing out (RP-initiated logout); `form` must be embedded as is. */
  renderLogoutPage(input: { form: string; clientName: string | undefined }): string;
  renderSignedOutPage(input: { clientName: string | undefined }): string;
}

export interface ProviderSettings {
  keys: JWK[];
  cookieSigner: CookieSigner;
  secureCookies: boolean;
  scopes: string[];
  isKnownScope: (scope: string) => boolean;
  adapter: NonNullable<Configuration['adapter']>;
  hooks: ProviderHooks;
}

function lifetime(pick: (settings: ReturnType<typeof vettedSettingsOf>) => number | null, fallback: number) {
  return (_ctx: KoaContextWithOIDC, _token: unknown, client: Parameters<typeof vettedSettingsOf>[0]) =>
    pick(vettedSettingsOf(client)) ?? fallback;
}

/** The communities the user chose to go on without (interaction/verify-state.ts keeps them in the result). */
function deferredIn(result: unknown): string[] {
  const deferred = (result as { vetted?: { deferred?: unknown } } | undefined)?.vetted?.deferred;
  return Array.isArray(deferred) ? deferred.filter((item): item is string => typeof item === 'string') : [];
}

function interactions(hooks: ProviderHooks) {
  const policy = interactionPolicy.base();
  // The hook point for community verification: between sign-in and consent.
  policy.add(
    new interactionPolicy.Prompt(
      { name: 'verify', requestable: false },
      new interactionPolicy.Check(
        'community_unverified',
        'a requested community is not verified',
        async (ctx) => {
          const accountId = ctx.oidc.session?.accountId;
          if (accountId === undefined) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
          const scopes = [...ctx.oidc.requestParamScopes];
          const mode = ctx.oidc.client === undefined ? 'production' : vettedSettingsOf(ctx.oidc.client).mode;
          return (await hooks.needsVerification(accountId, scopes, deferredIn(ctx.oidc.result), mode))
            ? interactionPolicy.Check.REQUEST_PROMPT
            : interactionPolicy.Check.NO_NEED_TO_PROMPT;
        },
      ),
    ),
    1,
  );
  // Before anything else once signed in: a sandbox application is only for its test users. The prompt has
  // no way through; its page explains, and returns to the partner with access_denied.
  policy.add(
    new interactionPolicy.Prompt(
      { name: 'sandbox', requestable: false },
      new interactionPolicy.Check('sandbox_only', 'the application is in sandbox mode', async (ctx) => {
        const accountId = ctx.oidc.session?.accountId;
        if (accountId === undefined || ctx.oidc.client === undefined)
          return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        if (vettedSettingsOf(ctx.oidc.client).mode !== 'sandbox')
          return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        return (await hooks.isSandboxTester(accountId, ctx.oidc.client.clientId))
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      }),
    ),
    1,
  );
  return {
    url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    policy,
  };
}

export function providerConfiguration(settings: ProviderSettings): Configuration {
  const { hooks } = settings;
  const cookie = { signed: true, httpOnly: true, sameSite: 'lax' as const, secure: settings.secureCookies };
  return {
    adapter: settings.adapter,
    clients: [],
    jwks: { keys: settings.keys },
    cookies: {
      keys: settings.cookieSigner,
      names: { session: 'vetted_session', interaction: INTERACTION_COOKIE, resume: 'vetted_resume' },
      long: cookie,
      short: cookie,
    },
    scopes: settings.scopes,
    claims: {
      openid: ['sub'],
      profile: ['given_name', 'family_name', 'birthdate', 'updated_at'],
      email: ['email', 'email_verified'],
    },
    async findAccount(_ctx, sub) {
      const claims = await hooks.accountClaims(sub);
      if (claims === undefined) return undefined;
      return { accountId: sub, claims: () => claims };
    },
    routes: {
      authorization: '/oauth/authorize',
      token: '/oauth/token',
      end_session: '/oauth/logout',
      revocation: '/oauth/revoke',
      introspection: '/oauth/introspect',
      pushed_authorization_request: '/oauth/par',
      userinfo: '/api/public/v3/userinfo',
      jwks: '/oidc/.well-known/jwks',
    },
    responseTypes: [...providerResponseTypes, 'none'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      introspectionSigningAlgValues: ['RS256', 'ES256'],
      authorizationSigningAlgValues: ['RS256', 'ES256'],
      dPoPSigningAlgValues: DPOP_ALGORITHMS,
    },
    pkce: {
      // Public clients must use PKCE (S256; `plain` is not supported at all), except the bare `token` shim,
      // whose code is destroyed before the response leaves (token-shim.ts).
      required: (ctx, client) =>
        client.clientAuthMethod === 'none' && ctx.oidc.params?.[TOKEN_SHIM_PARAM] !== 'token',
    },
    extraParams: authorizationChecks(settings.isKnownScope),
    extraClientMetadata: { properties: ['vetted'] },
    features: {
      devInteractions: { enabled: false },
      // Partners do not trust each other: a token is revoked or described only for the application it was
      // issued to (oidc-provider's defaults let any confidential client introspect any token).
      revocation: {
        enabled: true,
        allowedPolicy(_ctx, client, token) {
          if (token.clientId === client.clientId) return true;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      jwtUserinfo: { enabled: true },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      dPoP: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = hooks.renderLogoutPage({ form, clientName: ctx.oidc.client?.clientName });
        },
        postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = hooks.renderSignedOutPage({ clientName: ctx.oidc.client?.clientName });
        },
      },
    },
    ttl: {
      AuthorizationCode: lifetime((app) => app.codeTtl, defaultLifetimes.authorizationCode),
      AccessToken: lifetime((app) => app.accessTokenTtl, defaultLifetimes.accessToken),
      RefreshToken: lifetime((app) => app.refreshTokenTtl, defaultLifetimes.refreshToken),
      IdToken: defaultLifetimes.idToken,
      Interaction: defaultLifetimes.interaction,
      Session: defaultLifetimes.session,
      Grant: defaultLifetimes.grant,
    },
    // ID.me issues refresh tokens without offline_access, rotates them, and partners' tokens outlive the
    // user's session at Vetted.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    expiresWithSession: () => false,
    async extraTokenClaims(ctx, token) {
      const client = ctx.oidc.client;
      if (client !== undefined && vettedSettingsOf(client).status !== 'active') {
        throw new errors.UnauthorizedClient(`this application is ${vettedSettingsOf(client).status}`);
      }
      const grantId = (token as { grantId?: string }).grantId;
      const eid = grantId === undefined ? null : await hooks.eidForGrant(grantId);
      return eid === null ? undefined : { eid };
    },
    async loadExistingGrant(ctx) {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (accountId === undefined || clientId === undefined) return undefined;
      const grantId =
        ctx.oidc.result?.consent?.grantId ??
        ctx.oidc.session?.grantIdFor(clientId) ??
        (await hooks.rememberedGrantId(accountId, clientId));
      if (grantId === undefined) return undefined;
      const grant = await ctx.oidc.provider.Grant.find(grantId);
      if (grant?.accountId !== accountId || grant.clientId !== clientId) return undefined;
      const eid = ctx.oidc.params?.eid;
      await hooks.saveEidForGrant(grant.jti, typeof eid === 'string' ? eid : null);
      return grant;
    },
    interactions: interactions(hooks),
    renderError(ctx, out) {
      ctx.type = 'html';
      // An unregistered return address, at authorization or logout, is ID.me's (and SPEC §2's)
      // `redirect_uri_mismatch`; at logout oidc-provider calls it an invalid_request about the OpenID name.
      const mismatch =
        out.error === 'invalid_redirect_uri' ||
        (ctx.oidc.route === 'end_session' &&
          out.error_description === 'post_logout_redirect_uri not registered');
      ctx.body = hooks.renderErrorPage({
        status: ctx.status,
        error: mismatch ? 'redirect_uri_mismatch' : out.error,
        description: mismatch
          ? 'The redirect_uri is not one the application registered.'
          : out.error_description,
      });
    },
    clockTolerance: 5,
  };
}
