import { z } from 'zod';
import { apiKeyScopes } from '../../partners/api-keys.ts';
import { actorOf } from '../access.ts';
import { operation, type Operation } from '../route.ts';
import { apiKeySchema, apiKeyView } from '../schemas.ts';

const org = z.object({ organizationId: z.string().max(100) });

/** API keys are managed by people only: a key cannot mint or revoke keys. */
export const apiKeyOperations: Operation[] = [
  operation({
    id: 'listApiKeys',
    method: 'get',
    path: '/organizations/{organizationId}/api-keys',
    tag: 'API keys',
    summary: "The organization's API keys (never the keys themselves)",
    access: { sessionOnly: true, role: 'admin' },
    params: org,
    response: z.object({ items: z.array(apiKeySchema) }),
    async handle({ services, params }) {
      return { items: (await services.apiKeys.list(params.organizationId)).map(apiKeyView) };
    },
  }),
  operation({
    id: 'createApiKey',
    method: 'post',
    path: '/organizations/{organizationId}/api-keys',
    tag: 'API keys',
    summary: 'Creates an API key with scopes (admins only); the key is in this response only',
    access: { sessionOnly: true, role: 'admin' },
    params: org,
    body: z.object({ name: z.string().max(200), scopes: z.array(z.enum(apiKeyScopes)).min(1) }),
    status: 201,
    response: z.object({
      api_key: apiKeySchema,
      key: z.string().describe('send as "Authorization: Bearer <key>"'),
    }),
    async handle({ caller, services, params, body }) {
      const created = await services.apiKeys.create(params.organizationId, body, actorOf(caller));
      return { api_key: apiKeyView(created.apiKey), key: created.key };
    },
  }),
  operation({
    id: 'revokeApiKey',
    method: 'delete',
    path: '/organizations/{organizationId}/api-keys/{apiKeyId}',
    tag: 'API keys',
    summary: 'Revokes an API key at once (admins only)',
    access: { sessionOnly: true, role: 'admin' },
    params: org.extend({ apiKeyId: z.string().max(100) }),
    status: 204,
    async handle({ caller, services, params }) {
      await services.apiKeys.revoke(params.organizationId, params.apiKeyId, actorOf(caller));
    },
  }),
];
