import type { Router } from '@koa/router';
import type { Middleware } from 'koa';
import { fieldsForConsent } from '../attributes/payloads.ts';
import { formBody } from '../http/form-body.ts';
import type { ConsentService } from '../oidc/consents.ts';
import type { ApplicationService } from '../partners/application-service.ts';
import type { TestUserService } from '../partners/test-users.ts';
import type { VerificationService } from '../verification/verification-service.ts';
import { renderConnectedApps } from '../web/views/connected-apps.ts';
import { requireSignIn } from './routes.ts';
import { currentUser, type AccountSessionDeps } from './session.ts';
import { sharedDocumentFields, shownName } from '../partners/application.ts';

export interface ConnectedAppsDeps extends AccountSessionDeps {
  consents: ConsentService;
  applications: ApplicationService;
  verification: VerificationService;
  testUsers: Pick<TestUserService, 'testing'>;
}

/** What a redirect from the test invitation pages says (by key: a link cannot make the page say anything else). */
const testingNotices: Record<string, string> = {
  accepted: "You accepted the invitation: this account can now sign in to the application's sandbox.",
  declined: "You declined the invitation. The application's developers are not told.",
  left: 'You are no longer a test user of that application.',
};

const HOME = '/account/apps';
type PageState = { csrfToken: string; requestId: string };

/** "Connected apps": the applications the user consented to, what each receives, and "Revoke". */
export function connectedAppsRoutes(router: Router, deps: ConnectedAppsDeps, csrf: Middleware): void {
  const signedIn = requireSignIn(deps);

  router.get(HOME, csrf, signedIn, async (ctx) => {
    const user = await currentUser(ctx, deps);
    if (user === undefined) return;
    const now = new Date();
    const items = [];
    for (const connected of await deps.consents.connectedApps(user.id)) {
      const app = await deps.applications.findByClientId(connected.clientId);
      if (app === undefined) continue;
      const communities = await deps.verification.standingFor(user.id, connected.scopes, now, app.mode);
      items.push({
        clientId: app.clientId,
        name: shownName(app),
        ...(app.logoUrl === null ? {} : { logoUri: app.logoUrl }),
        since: connected.since,
        fields: [
          ...fieldsForConsent({
            user,
            scopes: connected.scopes,
            communities,
            releasedAttributes: app.releasedAttributes,
            now,
          }),
          ...sharedDocumentFields(app),
        ],
      });
    }
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    const testing = typeof ctx.query.testing === 'string' ? testingNotices[ctx.query.testing] : undefined;
    ctx.body = renderConnectedApps({
      email: user.email,
      items,
      testing: await deps.testUsers.testing(user.id),
      leaveAction: (clientId) => `${HOME}/testing/${encodeURIComponent(clientId)}/leave`,
      csrfToken: (ctx.state as PageState).csrfToken,
      revokeAction: (clientId) => `${HOME}/${encodeURIComponent(clientId)}/revoke`,
      ...(typeof ctx.query.revoked === 'string'
        ? { notice: `${ctx.query.revoked} no longer has access.` }
        : testing === undefined
          ? {}
          : { notice: testing }),
    });
  });

  router.post(`${HOME}/:clientId/revoke`, formBody(), csrf, signedIn, async (ctx) => {
    const user = await currentUser(ctx, deps);
    if (user === undefined) return;
    const clientId = ctx.params.clientId ?? '';
    const app = await deps.applications.findByClientId(clientId);
    // An application the user never consented to is answered like an unknown page (404).
    if (app === undefined || !(await deps.consents.revoke(user.id, clientId, { type: 'user', id: user.id })))
      return;
    ctx.redirect(`${HOME}?${new URLSearchParams({ revoked: shownName(app) }).toString()}`);
    ctx.status = 303;
  });
}
