import { Router } from '@koa/router';
import { recordApiCalls } from './http/api-call-recorder.ts';
import Koa from 'koa';
import { brandingRoutes, logoRoutes } from './http/routes/logos.ts';
import { manageRoutes } from './http/routes/manage.ts';
import { connectedAppsRoutes } from './account/connected-apps.ts';
import { accountRoutes } from './account/routes.ts';
import { testInvitationRoutes } from './account/test-invitation-routes.ts';
import { csrfCookieName, csrfProtection } from './http/csrf.ts';
import { multipartForm } from './http/multipart.ts';
import { errorHandler } from './http/error-handler.ts';
import { createHttpMetrics } from './http/metrics.ts';
import { requestContext } from './http/request-context.ts';
import { warnUntrustedForwarding } from './http/forwarded-warning.ts';
import { rememberRoutes } from './http/route-list.ts';
import { attributesRoutes } from './http/routes/attributes.ts';
import { devRoutes } from './http/routes/dev.ts';
import { healthRoutes } from './http/routes/health.ts';
import { jwksRoutes } from './http/routes/jwks.ts';
import { policiesRoutes } from './http/routes/policies.ts';
import { documentRoutes } from './http/routes/documents.ts';
import { securityHeaders } from './http/security-headers.ts';
import type { AppState } from './http/state.ts';
import { interactionRoutes } from './interaction/routes.ts';
import { findAccessToken } from './oidc/access-tokens.ts';
import { oidcCallClient } from './oidc/client-authentication.ts';
import { INTERACTION_COOKIE } from './oidc/configuration.ts';
import { verifyDpopProof } from './oidc/dpop.ts';
import { createVettedOidc } from './oidc/wiring.ts';
import type { Services } from './services.ts';
import { reviewRoutes } from './review/routes.ts';
import { adminCommunityRoutes } from './admin/community-routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { passbackTokenRoutes } from './admin/passback-routes.ts';
import { adminUserRoutes } from './admin/user-routes.ts';
import { signUpRoutes } from './account/sign-up-routes.ts';
import { demoRoutes } from './demo/routes.ts';
import { createFlowStore } from './demo/flow.ts';
import { developerRoutes } from './developer/routes.ts';
import { homeRoutes } from './home/routes.ts';
import { createShownOnce } from './developer/shown-once.ts';
import { MAX_UPLOAD_BYTES } from './verification/evidence/upload-check.ts';
import { buttonRoutes } from './web/button-routes.ts';
import { communityPickerRoutes } from './http/routes/community-picker.ts';
import { staticRoutes } from './web/static-routes.ts';
import { renderError } from './web/views/error.ts';

/** The HTTP application: composition only, no I/O of its own, so tests can mount it on any port. */
export function createApp(services: Services): Koa<AppState> {
  const { config, logger, ids, health } = services;
  const app = new Koa<AppState>({ proxy: config.trustProxy });
  // oidc-provider runs inside this app's contexts, so its signed cookies use these keys.
  app.keys = services.cookieSigner;
  // Errors are answered and logged by errorHandler; Koa's own printer would only duplicate them.
  app.silent = true;
  const metrics = createHttpMetrics();
  const oidc = createVettedOidc(services);
  const secure = config.baseUrl.startsWith('https:');

  // Calls are recorded under the application that authenticated (the handlers and oidc-provider say which);
  // an existing application's failed authentications are counted.
  const apiCallRecorder = recordApiCalls(
    { calls: services.apiCalls, failures: services.authFailures },
    { clientOf: oidcCallClient },
  );

  // One rule for every path: exact case, no trailing slash (oidc-provider's paths are filtered the same way in
  // oidc/provider.ts). A variant of a path that carries a secret never reaches a handler (logged-path.ts).
  const router = new Router({ strict: true, sensitive: true });
  healthRoutes(router, { readiness: health, metrics, metricsToken: config.metricsToken });
  jwksRoutes(router, { keys: services.keys });
  staticRoutes(router);
  buttonRoutes(router);
  communityPickerRoutes(router, {
    applications: services.applications,
    communities: services.communities,
    baseUrl: config.baseUrl,
    issuer: config.issuer,
  });
  interactionRoutes(
    router,
    {
      provider: oidc.provider,
      accounts: services.accounts,
      applications: services.applications,
      verification: services.verification,
      engine: services.engine,
      uploadForm: multipartForm({
        maxFileBytes: MAX_UPLOAD_BYTES,
        maxFiles: 2,
        maxRequestBytes: 2 * MAX_UPLOAD_BYTES + 256 * 1024,
        maxConcurrent: 8,
        // Only a browser in a sign-in (its interaction cookie) with a form token's secret may send a body.
        admit: (ctx) =>
          ctx.cookies.get(csrfCookieName) !== undefined && ctx.cookies.get(INTERACTION_COOKIE) !== undefined,
        refuse: (ctx, status, message) => {
          ctx.status = status;
          ctx.type = 'html';
          ctx.body = renderError({
            status,
            title: status === 413 ? 'This upload is too large' : 'This upload could not be read',
            message,
            // Back to the upload form of the same sign-in (the only multipart form).
            backHref: `${ctx.path.replace(/\/verify\/document$/, '')}?method=document`,
            requestId: (ctx.state as { requestId?: string }).requestId ?? '',
          });
        },
      }),
      saveConsent: (accountId, clientId, grantId) =>
        services.oidcModels.saveConsent(accountId, clientId, grantId, services.clock.now().getTime()),
      secure,
    },
    csrfProtection({ secure }),
  );
  attributesRoutes(router, {
    attributes: services.attributes,
    resolveToken: (value) =>
      findAccessToken(
        {
          models: services.oidcModels,
          applications: services.applications,
          now: () => services.clock.now().getTime(),
        },
        value,
      ),
    verifyDpopProof: (ctx, token) =>
      verifyDpopProof({
        proof: ctx.get('dpop'),
        method: ctx.method,
        urls: [`${config.baseUrl}${ctx.path}`, `${ctx.origin}${ctx.path}`],
        accessToken: token,
        now: services.clock.now().getTime(),
        models: services.oidcModels,
      }),
    isCommunity: (scope) => services.communities.isCommunityScope(scope),
  });
  const sessions = { accounts: services.accounts, webSessions: services.webSessions, secure };
  homeRoutes(
    router,
    { ...sessions, firstRunSetup: services.firstRunSetup, issuer: config.issuer, demo: config.demo },
    csrfProtection({ secure }),
  );
  manageRoutes(router, services, sessions);
  signUpRoutes(
    router,
    {
      ...sessions,
      pendingSignUps: {
        box: services.signUpBox,
        secure,
        now: () => services.clock.now().getTime(),
      },
    },
    csrfProtection({ secure }),
  );
  const shownOnce = createShownOnce({
    box: services.consoleBox,
    secure,
    now: () => services.clock.now().getTime(),
  });
  const testFlows = createFlowStore({
    box: services.testFlowBox,
    secure,
    now: () => services.clock.now().getTime(),
  });
  demoRoutes(router, { ...sessions, services, flows: testFlows }, csrfProtection({ secure }));
  developerRoutes(router, { ...sessions, services, shownOnce, testFlows }, csrfProtection({ secure }));
  adminRoutes(router, { ...sessions, services }, csrfProtection({ secure }));
  adminUserRoutes(router, { ...sessions, services }, csrfProtection({ secure }));
  adminCommunityRoutes(router, { ...sessions, services }, csrfProtection({ secure }));
  passbackTokenRoutes(
    router,
    {
      ...sessions,
      services,
      shownOnce: createShownOnce({
        box: services.consoleBox,
        secure,
        now: () => services.clock.now().getTime(),
        path: '/admin',
      }),
    },
    csrfProtection({ secure }),
  );
  logoRoutes(router, { logos: services.applicationLogos });
  brandingRoutes(router);
  accountRoutes(
    router,
    {
      ...sessions,
      verification: services.verification,
      communities: services.communities,
      documentCount: async (id) => (await services.documents.listForVerification(id)).length,
      documentAccesses: async (userId) =>
        (await services.documentPassback.accessesForUser(userId, { limit: 50, offset: 0 })).items,
    },
    csrfProtection({ secure }),
  );
  connectedAppsRoutes(
    router,
    {
      ...sessions,
      consents: services.consents,
      applications: services.applications,
      verification: services.verification,
      testUsers: services.testUsers,
    },
    csrfProtection({ secure }),
  );
  testInvitationRoutes(
    router,
    { ...sessions, testInvitations: services.testInvitations, testUsers: services.testUsers },
    csrfProtection({ secure }),
  );
  reviewRoutes(
    router,
    { ...sessions, review: services.review, roles: services.roles },
    csrfProtection({ secure }),
  );
  policiesRoutes(router, {
    applications: services.applications,
    communities: services.communities,
    hasher: services.hasher,
  });
  documentRoutes(router, { passback: services.documentPassback });
  if (config.env === 'development') devRoutes(router, { outbox: services.outbox });

  app.use(metrics.middleware);
  app.use(requestContext(ids, logger));
  app.use(warnUntrustedForwarding(config.trustProxy, logger));
  app.use(securityHeaders({ https: secure }));
  app.use(async (ctx, next) => {
    // While draining, ask clients not to reuse the connection so the server can close it.
    if (health.isDraining()) ctx.set('Connection', 'close');
    await next();
  });
  app.use(errorHandler());
  app.use(apiCallRecorder);
  app.use(router.routes());
  app.use(oidc.middleware);
  app.use(router.allowedMethods());
  rememberRoutes(app, router);
  return app;
}
