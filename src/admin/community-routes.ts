import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { formBody } from '../http/form-body.ts';
import { isAppError } from '../lib/app-error.ts';
import type { Services } from '../services.ts';
import { verificationErrors } from '../verification/errors.ts';
import type { RosterProblem } from '../verification/sources/errors.ts';
import type { Community } from '../verification/types.ts';
import {
  renderAdminCommunities,
  renderAdminCommunity,
  type AdminCommunityView,
} from '../web/views/admin-communities.ts';
import { adminGuard, administratorOf, type AdminGuardDeps } from './guard.ts';

export interface AdminCommunityRouteDeps extends AdminGuardDeps {
  services: Pick<Services, 'roles' | 'communities' | 'emailRules' | 'rosters' | 'verificationAdmin'>;
}

const HOME = '/admin/communities';
const communityPath = (handle: string) => `${HOME}/${encodeURIComponent(handle)}`;

type Extra = Pick<AdminCommunityView, 'errors' | 'values' | 'notice' | 'problems'>;
type FormName = 'subgroup' | 'pattern' | 'organization' | 'csv';

function formField(ctx: Context, name: FormName): string {
  const value = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

const notices: Record<string, string> = {
  rule_added: 'The rule was added.',
  rule_removed: 'The rule was removed.',
  roster_imported: 'The roster was imported.',
  roster_removed: 'The roster was removed.',
};

/** Which field a refused change is about, by error code. */
const fieldOf: Record<string, FormName> = {
  'verification.unknown_subgroup': 'subgroup',
  'verification.invalid_domain_pattern': 'pattern',
  'verification.rule_exists': 'pattern',
  'verification.invalid': 'organization',
  'verification.roster_invalid': 'csv',
};

async function requireCommunity(deps: AdminCommunityRouteDeps, handle: string): Promise<Community> {
  const community = await deps.services.communities.find(handle);
  if (community === undefined) throw verificationErrors.unknownCommunity(handle);
  return community;
}

async function showCommunity(
  ctx: Context,
  deps: AdminCommunityRouteDeps,
  handle: string,
  extra: Extra = {},
): Promise<void> {
  const { services } = deps;
  const admin = await administratorOf(ctx, deps);
  const community = await requireCommunity(deps, handle);
  const path = communityPath(community.handle);
  const rules = await services.emailRules.list(community.handle);
  const rosters = await services.rosters.listRosters(community.handle);
  ctx.type = 'html';
  ctx.body = renderAdminCommunity({
    email: admin.email,
    csrfToken: admin.csrfToken,
    community,
    rules: rules.map((rule) => ({
      ...rule,
      removeAction: `${path}/rules/${encodeURIComponent(rule.id)}/remove`,
    })),
    rosters: rosters.map((roster) => ({
      id: roster.id,
      organization: roster.organization,
      entries: roster.entryCount,
      createdAt: roster.createdAt,
      removeAction: `${path}/rosters/${encodeURIComponent(roster.id)}/remove`,
    })),
    actions: { addRule: `${path}/rules`, importRoster: `${path}/rosters` },
    ...extra,
  });
}

function problemsOf(error: unknown): RosterProblem[] | undefined {
  if (!isAppError(error) || error.code !== 'verification.roster_invalid') return undefined;
  const problems = (error.detail as { problems?: unknown } | undefined)?.problems;
  return Array.isArray(problems) ? (problems as RosterProblem[]) : undefined;
}

/** Answers a refused change with the community's page, the message next to its field. */
async function refused(
  ctx: Context,
  deps: AdminCommunityRouteDeps,
  handle: string,
  error: unknown,
  values: Extra['values'] & object,
): Promise<void> {
  if (!isAppError(error) || error.status >= 500 || error.code === 'verification.unknown_community')
    throw error;
  ctx.status = error.status;
  const problems = problemsOf(error);
  await showCommunity(ctx, deps, handle, {
    errors: { [fieldOf[error.code] ?? 'form']: error.message },
    values,
    ...(problems === undefined ? {} : { problems }),
  });
}

function done(ctx: Context, handle: string, what: string): void {
  ctx.redirect(`${communityPath(handle)}?done=${what}`);
  ctx.status = 303;
}

/** The administrator console's communities: how each is proven, its email-domain rules and rosters. */
export function adminCommunityRoutes(router: Router, deps: AdminCommunityRouteDeps, csrf: Middleware): void {
  const guard = adminGuard(deps);
  const forms = [formBody(), csrf, ...guard];
  const { services } = deps;

  router.get(HOME, csrf, ...guard, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    ctx.type = 'html';
    ctx.body = renderAdminCommunities({
      email: admin.email,
      csrfToken: admin.csrfToken,
      items: await services.communities.list(),
      href: communityPath,
    });
  });

  router.get(`${HOME}/:handle`, csrf, ...guard, async (ctx) => {
    const notice = typeof ctx.query.done === 'string' ? notices[ctx.query.done] : undefined;
    await showCommunity(ctx, deps, ctx.params.handle ?? '', notice === undefined ? {} : { notice });
  });

  router.post(`${HOME}/:handle/rules`, ...forms, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const community = await requireCommunity(deps, ctx.params.handle ?? '');
    const values = { subgroup: formField(ctx, 'subgroup'), pattern: formField(ctx, 'pattern').trim() };
    if (values.subgroup === '' || values.pattern === '') {
      ctx.status = 400;
      return showCommunity(ctx, deps, community.handle, {
        errors: {
          ...(values.subgroup === '' ? { subgroup: 'Choose the subgroup such an address proves.' } : {}),
          ...(values.pattern === '' ? { pattern: 'Give a domain pattern, such as *.mil.' } : {}),
        },
        values,
      });
    }
    try {
      await services.verificationAdmin.addEmailDomainRule(
        { community: community.handle, ...values },
        admin.actor,
      );
    } catch (error) {
      return refused(ctx, deps, community.handle, error, values);
    }
    done(ctx, community.handle, 'rule_added');
  });

  router.post(`${HOME}/:handle/rules/:id/remove`, ...forms, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const community = await requireCommunity(deps, ctx.params.handle ?? '');
    const id = ctx.params.id ?? '';
    // Only a rule of this community, as the page showed it.
    const rules = await services.emailRules.list(community.handle);
    if (!rules.some((rule) => rule.id === id)) return; // 404 from the error handler
    await services.verificationAdmin.removeEmailDomainRule(id, admin.actor);
    done(ctx, community.handle, 'rule_removed');
  });

  router.post(`${HOME}/:handle/rosters`, ...forms, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const community = await requireCommunity(deps, ctx.params.handle ?? '');
    const values = { organization: formField(ctx, 'organization'), csv: formField(ctx, 'csv') };
    try {
      await services.verificationAdmin.importRoster(
        { community, organization: values.organization, csv: values.csv },
        admin.actor,
      );
    } catch (error) {
      return refused(ctx, deps, community.handle, error, values);
    }
    done(ctx, community.handle, 'roster_imported');
  });

  router.post(`${HOME}/:handle/rosters/:id/remove`, ...forms, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const community = await requireCommunity(deps, ctx.params.handle ?? '');
    const roster = await services.rosters.findRoster(ctx.params.id ?? '');
    if (roster?.community !== community.handle) return; // 404 from the error handler
    await services.verificationAdmin.removeRoster(roster.id, admin.actor);
    done(ctx, community.handle, 'roster_removed');
  });
}
