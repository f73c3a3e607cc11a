import type { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { formBody } from '../http/form-body.ts';
import { isAppError } from '../lib/app-error.ts';
import type { ApplicationStatus } from '../partners/application.ts';
import { organizationErrors } from '../partners/errors.ts';
import type { Services } from '../services.ts';
import { renderApplication } from '../web/views/admin/application.ts';
import {
  featuresError,
  featuresFormOf,
  featuresFromForm,
  type FeaturesErrors,
  type FeaturesForm,
} from '../web/views/admin/application-features.ts';
import { renderApplicationList } from '../web/views/admin/applications.ts';
import {
  auditFilterNames,
  auditHref,
  renderAuditLog,
  type AuditFilterForm,
} from '../web/views/admin/audit.ts';
import { renderOrganization, renderOrganizationList } from '../web/views/admin/organizations.ts';
import { renderAdminOverview } from '../web/views/admin/overview.ts';
import { noteField, renderProductionQueue } from '../web/views/admin/production-requests.ts';
import { adminGuard, administratorOf, type AdminGuardDeps } from './guard.ts';

export interface AdminRouteDeps extends AdminGuardDeps {
  services: Pick<
    Services,
    'roles' | 'applications' | 'productionRequests' | 'organizations' | 'communities' | 'audit'
  >;
}

const PAGE_SIZE = 25;
const AUDIT_PAGE_SIZE = 50;
const STATUSES: readonly string[] = ['active', 'suspended', 'disabled'] satisfies ApplicationStatus[];

function body(ctx: Context): Record<string, unknown> {
  return (ctx.request.body as Record<string, unknown> | undefined) ?? {};
}

function formField(ctx: Context, name: string): string {
  const value = body(ctx)[name];
  return typeof value === 'string' ? value : '';
}

/** A field sent once or several times (checkboxes sharing a name). */
function formList(ctx: Context, name: string): string[] {
  const value = body(ctx)[name];
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  return values.filter((item): item is string => typeof item === 'string' && item !== '');
}

function queryText(ctx: Context, name: string): string {
  const value = ctx.query[name];
  return typeof value === 'string' ? value.trim().slice(0, 200) : '';
}

function offsetOf(ctx: Context): number {
  const value = Number.parseInt(queryText(ctx, 'offset'), 10);
  return Number.isSafeInteger(value) && value > 0 ? Math.min(value, 1_000_000) : 0;
}

function html(ctx: Context, page: string, status = 200): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = page;
}

function seeOther(ctx: Context, location: string): void {
  ctx.redirect(location);
  ctx.status = 303;
}

/** An administrator's change refused by the domain (a 4xx AppError); anything else is rethrown. */
function refusal(error: unknown): { status: number; code: string; message: string } {
  if (!isAppError(error) || error.status >= 500) throw error;
  return { status: error.status, code: error.code, message: error.message };
}

/** How many applications waiting for communities the overview lists. */
const WAITING_SHOWN = 20;

/** The administrator console: applications, organizations, production requests and the audit log. */
export function adminRoutes(router: Router, deps: AdminRouteDeps, csrf: Middleware): void {
  const { services } = deps;
  const guard = adminGuard(deps);
  const forms = [formBody(), csrf, ...guard];

  async function organizationNames(ids: readonly (string | null)[]) {
    const unique = [...new Set(ids.filter((id): id is string => id !== null))];
    const found = await Promise.all(unique.map((id) => services.organizations.find(id)));
    return new Map(
      found.filter((org) => org !== undefined).map((org) => [org.id, { id: org.id, name: org.name }]),
    );
  }

  async function showApplication(
    ctx: Context,
    clientId: string,
    extra: { form?: FeaturesForm; errors?: FeaturesErrors; statusError?: string; status?: number } = {},
  ) {
    const admin = await administratorOf(ctx, deps);
    const application = await services.applications.get(clientId);
    const [organizations, communities, history, checklist] = await Promise.all([
      organizationNames([application.organizationId]),
      services.communities.list(),
      services.productionRequests.history(clientId),
      services.productionRequests.checklist(clientId),
    ]);
    const saved = queryText(ctx, 'saved');
    const notice =
      saved === 'features'
        ? 'Communities and features saved.'
        : saved === 'status'
          ? `The application is ${application.status} now.`
          : undefined;
    html(
      ctx,
      renderApplication({
        email: admin.email,
        csrfToken: admin.csrfToken,
        application,
        organization: organizations.get(application.organizationId ?? ''),
        communities: communities.map(({ handle, name }) => ({ handle, name })),
        history,
        checklist,
        form: extra.form ?? featuresFormOf(application),
        errors: extra.errors ?? {},
        ...(extra.statusError === undefined ? {} : { statusError: extra.statusError }),
        ...(notice === undefined || extra.status !== undefined ? {} : { notice }),
      }),
      extra.status,
    );
  }

  async function showQueue(
    ctx: Context,
    refused?: { requestId: string; message: string; onNote: boolean; note: string; status: number },
  ) {
    const admin = await administratorOf(ctx, deps);
    const offset = offsetOf(ctx);
    const { items, total } = await services.productionRequests.queue({ limit: PAGE_SIZE, offset });
    const organizations = await organizationNames(items.map((request) => request.organizationId));
    const decided = queryText(ctx, 'decided');
    const request = decided === '' ? undefined : await services.productionRequests.find(decided);
    const notice =
      request === undefined || request.status === 'pending'
        ? undefined
        : request.status === 'approved'
          ? `${request.applicationName} is in production now.`
          : `${request.applicationName} stays in the sandbox; the partner sees your note.`;
    html(
      ctx,
      renderProductionQueue({
        email: admin.email,
        csrfToken: admin.csrfToken,
        offset,
        limit: PAGE_SIZE,
        total,
        items: items.map((item) => ({
          request: item,
          organization: organizations.get(item.organizationId ?? ''),
        })),
        ...(refused === undefined ? {} : { refused }),
        ...(notice === undefined || refused !== undefined ? {} : { notice }),
      }),
      refused?.status,
    );
  }

  router.get('/admin', csrf, ...guard, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const page = { limit: 1, offset: 0 };
    const [requests, applications, organizations, waiting] = await Promise.all([
      services.productionRequests.queue(page),
      services.applications.search(page),
      services.organizations.search(page),
      services.applications.waitingForCommunities(WAITING_SHOWN),
    ]);
    html(
      ctx,
      renderAdminOverview({
        email: admin.email,
        csrfToken: admin.csrfToken,
        pendingProductionRequests: requests.total,
        applications: applications.total,
        organizations: organizations.total,
        waitingForCommunities: waiting,
      }),
    );
  });

  router.get('/admin/applications', csrf, ...guard, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const query = queryText(ctx, 'q');
    const offset = offsetOf(ctx);
    const { items, total } = await services.applications.search({ query, limit: PAGE_SIZE, offset });
    const organizations = await organizationNames(items.map((app) => app.organizationId));
    html(
      ctx,
      renderApplicationList({
        email: admin.email,
        csrfToken: admin.csrfToken,
        query,
        offset,
        limit: PAGE_SIZE,
        total,
        items: items.map((application) => ({
          application,
          organization: organizations.get(application.organizationId ?? ''),
        })),
      }),
    );
  });

  router.get('/admin/applications/:clientId', csrf, ...guard, async (ctx) => {
    await showApplication(ctx, ctx.params.clientId ?? '');
  });

  router.post('/admin/applications/:clientId/features', ...forms, async (ctx) => {
    const clientId = ctx.params.clientId ?? '';
    const admin = await administratorOf(ctx, deps);
    const { form, errors, features } = featuresFromForm(
      { field: (name) => formField(ctx, name), list: (name) => formList(ctx, name) },
      await services.applications.get(clientId),
    );
    if (Object.keys(errors).length > 0) return showApplication(ctx, clientId, { form, errors, status: 400 });
    try {
      await services.applications.setFeatures(clientId, features, admin.actor);
    } catch (error) {
      const refused = refusal(error);
      if (refused.code === 'partners.application_not_found') throw error;
      return showApplication(ctx, clientId, {
        form,
        errors: featuresError(refused.code, refused.message),
        status: refused.status,
      });
    }
    seeOther(ctx, `/admin/applications/${encodeURIComponent(clientId)}?saved=features`);
  });

  router.post('/admin/applications/:clientId/status', ...forms, async (ctx) => {
    const clientId = ctx.params.clientId ?? '';
    const admin = await administratorOf(ctx, deps);
    const status = formField(ctx, 'status');
    if (!STATUSES.includes(status)) {
      return showApplication(ctx, clientId, {
        statusError: 'Choose Suspend, Disable or Reactivate.',
        status: 400,
      });
    }
    await services.applications.setStatus(clientId, status as ApplicationStatus, admin.actor);
    seeOther(ctx, `/admin/applications/${encodeURIComponent(clientId)}?saved=status`);
  });

  router.get('/admin/organizations', csrf, ...guard, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const query = queryText(ctx, 'q');
    const offset = offsetOf(ctx);
    const { items, total } = await services.organizations.search({ query, limit: PAGE_SIZE, offset });
    html(
      ctx,
      renderOrganizationList({
        email: admin.email,
        csrfToken: admin.csrfToken,
        query,
        offset,
        limit: PAGE_SIZE,
        total,
        items,
      }),
    );
  });

  router.get('/admin/organizations/:id', csrf, ...guard, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const id = ctx.params.id ?? '';
    const organization = await services.organizations.find(id);
    if (organization === undefined) throw organizationErrors.notFound(id);
    const [members, applications] = await Promise.all([
      services.organizations.members(id),
      services.applications.search({ organizationId: id, limit: 100, offset: 0 }),
    ]);
    html(
      ctx,
      renderOrganization({
        email: admin.email,
        csrfToken: admin.csrfToken,
        organization,
        members,
        applications: applications.items,
        moreApplications: applications.total - applications.items.length,
      }),
    );
  });

  router.get('/admin/production-requests', csrf, ...guard, async (ctx) => {
    await showQueue(ctx);
  });

  router.post('/admin/production-requests/:id/decision', ...forms, async (ctx) => {
    const id = ctx.params.id ?? '';
    const admin = await administratorOf(ctx, deps);
    const decision = formField(ctx, 'decision');
    const note = formField(ctx, noteField(id));
    if (decision !== 'approve' && decision !== 'decline') {
      return showQueue(ctx, {
        requestId: id,
        message: 'Choose Approve or Decline.',
        onNote: false,
        note,
        status: 400,
      });
    }
    try {
      if (decision === 'approve') await services.productionRequests.approve(id, { note }, admin.actor);
      else await services.productionRequests.decline(id, { note }, admin.actor);
    } catch (error) {
      const refused = refusal(error);
      return showQueue(ctx, {
        requestId: id,
        message: refused.message,
        onNote: refused.code === 'partners.note_invalid',
        note,
        status: refused.status,
      });
    }
    seeOther(ctx, `/admin/production-requests?decided=${encodeURIComponent(id)}`);
  });

  router.get('/admin/audit', csrf, ...guard, async (ctx) => {
    const admin = await administratorOf(ctx, deps);
    const filters = Object.fromEntries(
      auditFilterNames.map((name) => [name, queryText(ctx, name)]),
    ) as unknown as AuditFilterForm;
    const errors: Partial<Record<keyof AuditFilterForm, string>> = {};
    const day = (name: 'from' | 'to'): number | undefined => {
      const text = filters[name];
      if (text === '') return undefined;
      const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
      if (Number.isNaN(ms)) errors[name] = 'Enter a date as YYYY-MM-DD, or leave it empty.';
      return Number.isNaN(ms) ? undefined : ms;
    };
    const from = day('from');
    const toDay = day('to');
    const before = Number.parseInt(queryText(ctx, 'before'), 10);
    const beforeSeq = Number.isSafeInteger(before) && before > 0 ? before : undefined;
    const rows =
      Object.keys(errors).length > 0
        ? []
        : await services.audit.list({
            ...(filters.actor === '' ? {} : { actorId: filters.actor }),
            ...(filters.entity_type === '' ? {} : { subjectType: filters.entity_type }),
            ...(filters.entity_id === '' ? {} : { subjectId: filters.entity_id }),
            ...(filters.event === '' ? {} : { event: filters.event }),
            ...(from === undefined ? {} : { from }),
            // The "to" day is included: up to the start of the next day.
            ...(toDay === undefined ? {} : { to: toDay + 86_400_000 }),
            ...(beforeSeq === undefined ? {} : { beforeSeq }),
            limit: AUDIT_PAGE_SIZE + 1,
          });
    const shown = rows.slice(0, AUDIT_PAGE_SIZE);
    const last = shown.at(-1);
    html(
      ctx,
      renderAuditLog({
        email: admin.email,
        csrfToken: admin.csrfToken,
        filters,
        errors,
        rows: shown,
        paged: beforeSeq !== undefined,
        ...(rows.length > AUDIT_PAGE_SIZE && last !== undefined
          ? { olderHref: auditHref(filters, { before: String(last.seq) }) }
          : {}),
      }),
      Object.keys(errors).length > 0 ? 400 : 200,
    );
  });
}
