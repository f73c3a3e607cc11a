import { z } from 'zod';
import { integrationSnippets } from '../../partners/snippets.ts';
import { sandboxOutcomes } from '../../verification/sources/sandbox.ts';
import { actorOf } from '../access.ts';
import { operation, type Operation } from '../route.ts';
import {
  checklistItemSchema,
  listOf,
  page,
  productionRequestSchema,
  productionRequestView,
} from '../schemas.ts';

const app = z.object({ organizationId: z.string().max(100), clientId: z.string().max(100) });
const read = { role: 'viewer', scope: 'applications:read' } as const;
const time = z.iso.datetime();
const outcome = z.enum(sandboxOutcomes);

const personaSchema = z
  .object({
    email: z.string(),
    password: z.string().nullable().describe('null: the account exists with a password set by the operator'),
    community: z.string(),
    outcome,
    description: z.string(),
  })
  .meta({ id: 'SandboxPersona' });
const apiCallSchema = z
  .object({
    at: time,
    method: z.string(),
    endpoint: z.string(),
    status: z.number().int(),
    latency_ms: z.number().int(),
    error_code: z.string().nullable(),
  })
  .meta({ id: 'ApiCall' });
const auditEventSchema = z
  .object({
    at: time,
    event: z.string(),
    actor_type: z.string(),
    actor_id: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });

export const sandboxOperations: Operation[] = [
  operation({
    id: 'listSandboxPersonas',
    method: 'get',
    path: '/organizations/{organizationId}/applications/{clientId}/personas',
    tag: 'Sandbox',
    summary: 'Ready-made test personas for every enabled community and outcome, with their sign-in details',
    access: read,
    params: app,
    response: z.object({ items: z.array(personaSchema) }),
    async handle({ services, params, application }) {
      await application();
      const personas = await services.testUsers.readyPersonas(params.clientId);
      return { items: personas.map(({ userId: _userId, ...persona }) => persona) };
    },
  }),
  operation({
    id: 'getProductionStatus',
    method: 'get',
    path: '/organizations/{organizationId}/applications/{clientId}/production',
    tag: 'Production',
    summary: 'The production checklist as it stands, and the requests made so far',
    access: read,
    params: app,
    response: z.object({
      checklist: z.array(checklistItemSchema),
      requests: z.array(productionRequestSchema),
    }),
    async handle({ services, params, application }) {
      await application();
      const [checklist, requests] = await Promise.all([
        services.productionRequests.checklist(params.clientId),
        services.productionRequests.history(params.clientId),
      ]);
      return { checklist, requests: requests.map(productionRequestView) };
    },
  }),
  operation({
    id: 'requestProduction',
    method: 'post',
    path: '/organizations/{organizationId}/applications/{clientId}/production',
    tag: 'Production',
    summary: 'Asks an administrator to move the application to production (the checklist must be complete)',
    access: { role: 'admin', scope: 'applications:write' },
    params: app,
    status: 201,
    response: productionRequestSchema,
    async handle({ caller, services, params, application }) {
      await application();
      return productionRequestView(
        await services.productionRequests.request(params.clientId, actorOf(caller)),
      );
    },
  }),
  operation({
    id: 'listApiCalls',
    method: 'get',
    path: '/organizations/{organizationId}/applications/{clientId}/activity/api-calls',
    tag: 'Activity',
    summary: 'The last 500 partner API calls of the application, newest first',
    access: read,
    params: app,
    query: page,
    response: listOf(apiCallSchema),
    async handle({ services, params, query, application }) {
      await application();
      const calls = await services.apiCalls.list(params.clientId, query);
      return {
        items: calls.items.map((call) => ({
          at: call.at.toISOString(),
          method: call.method,
          endpoint: call.endpoint,
          status: call.status,
          latency_ms: call.latencyMs,
          error_code: call.errorCode,
        })),
        total: calls.total,
        limit: query.limit,
        offset: query.offset,
      };
    },
  }),
  operation({
    id: 'listApplicationEvents',
    method: 'get',
    path: '/organizations/{organizationId}/applications/{clientId}/activity/events',
    tag: 'Activity',
    summary: 'Audit events of the application (secret rotated, redirect URIs changed, production approved…)',
    access: read,
    params: app,
    response: z.object({ items: z.array(auditEventSchema) }),
    async handle({ services, params, application }) {
      await application();
      const events = await services.audit.list({
        subjectType: 'application',
        subjectId: params.clientId,
        limit: 200,
      });
      return {
        items: events.map((event) => ({
          at: new Date(event.occurredAt).toISOString(),
          event: event.event,
          actor_type: event.actorType,
          actor_id: event.actorId,
          data: event.data,
        })),
      };
    },
  }),
  operation({
    id: 'getSnippets',
    method: 'get',
    path: '/organizations/{organizationId}/applications/{clientId}/snippets',
    tag: 'Integration',
    summary: "Copy-paste integration code pre-filled with the application's values",
    access: read,
    params: app,
    response: z.object({
      discovery_url: z.string(),
      items: z.array(z.object({ language: z.string(), title: z.string(), code: z.string() })),
    }),
    async handle({ services, application }) {
      const found = await application();
      const baseUrl = services.config.baseUrl;
      return {
        discovery_url: `${services.config.issuer}/.well-known/openid-configuration`,
        items: integrationSnippets({
          baseUrl,
          clientId: found.clientId,
          redirectUri: found.redirectUris[0] ?? '',
          scopes: found.allowedScopes,
          clientType: found.clientType,
        }),
      };
    },
  }),
];
