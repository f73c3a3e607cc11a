import type { Router } from '@koa/router';
import { pickCommunities } from '../../partners/community-picker.ts';
import { shownName } from '../../partners/application.ts';
import type { ApplicationService } from '../../partners/application-service.ts';
import type { CommunityService } from '../../verification/community-service.ts';
import { renderCommunityPicker } from '../../web/views/community-picker.ts';
import { renderError } from '../../web/views/error.ts';

export interface CommunityPickerDeps {
  applications: ApplicationService;
  communities: CommunityService;
  baseUrl: string;
  issuer: string;
}

const refusals = {
  client_id_missing: 'The link that brought you here has no client_id: the website has to send one.',
  unknown_client: 'The website that sent you here is not registered with Vetted (or is disabled).',
  redirect_uri_unregistered:
    'The website that sent you here gave a return address (redirect_uri) it has not registered with Vetted.',
} as const;

/** `GET /groups`: the community picker in front of the authorization (partners/community-picker.ts). */
export function communityPickerRoutes(router: Router, deps: CommunityPickerDeps): void {
  router.get('/groups', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const query = new URLSearchParams(ctx.querystring);
    const clientId = query.get('client_id') ?? '';
    const outcome = pickCommunities({
      query,
      application:
        clientId === '' || clientId.length > 200
          ? undefined
          : await deps.applications.findByClientId(clientId),
      communities: await deps.communities.list(),
      authorizationEndpoint: `${deps.baseUrl}/oauth/authorize`,
      issuer: deps.issuer,
    });
    switch (outcome.kind) {
      case 'refused':
        ctx.status = 400;
        ctx.type = 'html';
        ctx.body = renderError({
          status: 400,
          title: 'This verification link does not work',
          message: refusals[outcome.reason],
          code: `groups.${outcome.reason}`,
        });
        return;
      case 'no_community':
        return ctx.redirect(outcome.errorRedirect);
      case 'continue':
        return ctx.redirect(outcome.location);
      case 'choose': {
        const { application } = outcome;
        ctx.type = 'html';
        ctx.body = renderCommunityPicker({
          client: {
            name: shownName(application),
            logoUri: application.logoUrl ?? undefined,
            color: application.primaryColor,
          },
          choices: outcome.choices.map((choice) => ({
            name: choice.community.name,
            subgroups: choice.community.subgroups,
            href: choice.href,
          })),
          cancelHref: outcome.cancelHref,
        });
      }
    }
  });
}
